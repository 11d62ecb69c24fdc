"""The README's journey in English, walked the way a person does (issue 21, items 4 and 14).

The person switches the language with the header's "Bahasa" selector, signs in, and walks the main part of the
journey: the operator types English numbers into an answer (`1,500` of `2,000` is 75.00%), sees an ambiguous
`1.250` refused with an English hint and the typed text kept, corrects it; the secretariat sees the EM score against
the gate and submits; the province reviewer finds the submission in its queue, starts the review and accepts every
indicator. No page it passes shows an
Indonesian interface word (the list of `tests/test_english_pages.py`); data keeps its language.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.readme_steps import answer_all_but_indicator_4, choose_language, question, sign_out, type_answer
from tests.test_english_pages import indonesian_in

pytestmark = pytest.mark.browser

# Words of the Indonesian number hints: none may show in the English one.
HINT_WORDS = ("dapat", "dibaca", "Tulis", "jika", "maksudnya", "ribuan", "desimal", "bukan angka")


def no_indonesian(page: Any) -> None:
    """The page as it is now (after htmx swaps too) shows no Indonesian interface word."""
    found = indonesian_in(page.content())
    assert found == [], f"{page.url}: {found}"


def english_after_sign_in(page: Any, site: str, username: str) -> None:
    """Sign in on the English sign-in page; signing in applies the user's saved language, so a person who finds the
    page Indonesian again picks English once more (it is then saved for them)."""
    sign_in(page, site, username, "en")
    choose_language(page, "en")


def test_the_readme_journey_in_english(watched_page: Any, site: str) -> None:
    page = watched_page
    answer_all_but_indicator_4("16.71")

    # the header's selector switches the public home page to English, and the sign-in page with it
    page.goto(site)
    choose_language(page, "en")
    no_indonesian(page)

    # 1. the operator opens indicator 4 from "My tasks"
    english_after_sign_in(page, site, "opd-palembang")
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")
    no_indonesian(page)
    page.get_by_role("link", name=re.compile(r"^4\. ")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("4.")
    no_indonesian(page)

    # 4.1: "1,500" of "2,000" is 75 %, written the English way
    type_answer(question(page, "4.1"), "numerator", "1,500")
    type_answer(question(page, "4.1"), "denominator", "2,000")
    expect(question(page, "4.1").locator(".save-state")).to_contain_text("Saved")
    expect(question(page, "4.1")).to_contain_text("75.00%")
    expect(question(page, "4.1").locator(".points")).to_have_text("8 points")

    # "1.250" could be a thousand or one and a quarter: refused with an English hint naming both, the text kept
    type_answer(question(page, "4.1"), "numerator", "1.250")
    alert = question(page, "4.1").get_by_role("alert")
    expect(alert).to_contain_text("1,250")
    expect(alert).to_contain_text("1.25")
    hint = alert.inner_text()
    # the hints are kla.core.formatting's messages: the English catalogue (locale/en) must translate them
    assert [w for w in HINT_WORDS if re.search(rf"\b{w}\b", hint)] == [], f"hint not in English: {hint}"
    expect(question(page, "4.1").locator("input[name=numerator]")).to_have_value("1.250")
    no_indonesian(page)
    type_answer(question(page, "4.1"), "numerator", "1,900")
    expect(question(page, "4.1").locator(".save-state")).to_contain_text("Saved")
    expect(question(page, "4.1")).to_contain_text("95.00%")
    expect(question(page, "4.1").locator(".points")).to_have_text("25 points")

    # 4.2: "1.5" of "3" is one and a half of three (50 %)
    type_answer(question(page, "4.2"), "numerator", "1.5")
    type_answer(question(page, "4.2"), "denominator", "3")
    expect(question(page, "4.2")).to_contain_text("50.00%")
    expect(question(page, "4.2").locator(".points")).to_have_text("4 points")
    expect(page.locator("#score-panel")).to_contain_text("29 / 45")
    no_indonesian(page)

    # the saved numbers come back the English way after a reload
    page.reload()
    expect(question(page, "4.1").locator("input[name=numerator]")).to_have_value("1,900")
    expect(question(page, "4.2").locator("input[name=numerator]")).to_have_value("1.5")
    sign_out(page, "Sign out", "Sign in")

    # 2. the secretariat sees the EM score above the gate and submits
    english_after_sign_in(page, site, "gt-palembang")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kota Palembang")
    gate = page.get_by_test_id("gate-check")
    expect(gate).to_contain_text("exceeds the threshold")
    expect(gate).not_to_contain_text("does not exceed")
    no_indonesian(page)
    acknowledge = page.get_by_label("I am submitting this evaluation with the incomplete items listed above.")
    if acknowledge.count():
        acknowledge.check()
    page.get_by_role("button", name="Submit to the province").click()
    expect(page.locator(".messages")).to_contain_text("Self-assessment submitted")
    no_indonesian(page)
    sign_out(page, "Sign out", "Sign in")

    # 3. the province reviewer finds Palembang in its queue and opens it
    english_after_sign_in(page, site, "prov-sumsel")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verification")
    no_indonesian(page)
    page.get_by_role("table").get_by_role("link", name="Kota Palembang").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Palembang")
    no_indonesian(page)

    # it starts the review and accepts every indicator
    page.get_by_role("button", name="Start the province administrative verification").click()
    expect(page.locator(".messages")).to_be_visible()
    no_indonesian(page)
    page.get_by_label("Select all indicators").check()
    page.get_by_role("button", name="Accept selected indicators").click()
    expect(page.locator(".messages")).to_contain_text("accepted")
    no_indonesian(page)
