"""Steps the README walks share, in Indonesian (`test_readme_walk.py`) and in English (`test_readme_walk_en.py`):
the answers set up through the service, typing into an autosaving answer, finding a question, signing out, and the
header's language selector."""

from __future__ import annotations

import random
import re
from typing import Any

from playwright.sync_api import expect

INDICATOR_4 = "4. Kepemilikan Kutipan Akta Kelahiran"


def answer_all_but_indicator_4(region_code: str) -> None:
    """Palembang's other 23 indicators, answered through the answering service (typing them is the same journey 23
    times); indicator 4 is typed in the browser."""
    from kla.accounts.models import User
    from kla.demo.answers import answer_for
    from kla.evaluations.models import Evaluation
    from kla.evaluations.services import answer_save
    from kla.indicators.models import Question

    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id=region_code)
    entries = {e.indicator_id: e for e in evaluation.entries.all()}
    rng = random.Random(11)  # repeatable test data
    operator = User.objects.get(username="gt-palembang")
    questions = Question.objects.filter(indicator__framework_id=evaluation.cycle.framework_id).exclude(
        indicator__number=4
    )
    for question in questions.order_by("indicator__position", "position"):
        answer_save(
            entry=entries[question.indicator_id],
            question=question,
            raw_value=answer_for(question, 0.9, rng),
            justification="Data demo.",
            expected_version=None,
            by=operator,
        )


def sign_out(page: Any, button: str = "Keluar", link: str = "Masuk") -> None:
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("link", name=link, exact=True)).to_be_visible()


def type_answer(form: Any, field: str, text: str) -> None:
    """Type into a field like a person (select what is there, type over it), then leave it: the change autosaves.
    The walk waits for that save before the next field, as a person waits for "Tersimpan"."""
    box = form.locator(f"input[name={field}]")
    box.click()
    box.press("Control+A")
    box.press_sequentially(text)
    action = form.get_attribute("action")
    with form.page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(action)):
        box.press("Tab")


def question(page: Any, code: str) -> Any:
    return page.locator("form[data-autosave]").filter(has=page.locator("legend", has_text=re.compile(rf"^{code}\b")))


def choose_language(page: Any, code: str) -> None:
    """Pick a language in the header's selector ("Bahasa", in English "Language"), as a person does: the form sends
    itself and the same page comes back in that language."""
    if page.locator("html").get_attribute("lang") == code:
        return
    with page.expect_navigation():
        page.get_by_label(re.compile("^(Bahasa|Language)$")).select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", code)
