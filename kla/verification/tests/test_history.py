"""An entry's history through HTTP: labels and names instead of codes and dicts, who may read it (the kab/kota's
secretariat, the operators of the agencies it is assigned to, its reviewers), the seal (a canary), query counts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kla.agencies.models import Agency
from kla.core import audit
from kla.demo.answers import fill_answers
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.services import answer_save, assignment_set, evaluation_submit
from kla.evaluations.workflow import Step
from kla.verification.services import returns, steps

pytestmark = pytest.mark.django_db

# Recognisable sealed points and reasons: the ministry's and the field team's decisions, the province's own.
SEALED = {"ministry": ("643.21", "RAHASIA-KEMENTERIAN"), "field": ("632.19", "RAHASIA-LAPANGAN")}
PROVINCE = ("621.98", "CATATAN-PROVINSI")


def _entry(number: int, code: str = "16.71") -> Entry:
    return Entry.objects.select_related("evaluation__region", "indicator").get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id=code, indicator__number=number
    )


def _url(entry: Entry) -> str:
    return reverse("verification:entry_history", args=[entry.pk])


def _percentage(entry: Entry) -> Any:
    return entry.indicator.questions.filter(answer_type="percentage").order_by("position").first()


def test_the_secretariat_reads_labels_and_names_not_codes_and_dicts(client_for: Any, user_of: Any) -> None:
    entry = _entry(4)
    health, civil = (Agency.objects.get(region_id="16.71", kind=k) for k in ("DINKES", "DISDUKCAPIL"))
    assignment_set(entry=entry, agencies=[civil], by=user_of("secretariat"))
    assignment_set(entry=entry, agencies=[health, civil], by=user_of("secretariat"))
    answer_save(
        entry=entry,
        question=_percentage(entry),
        raw_value={"numerator": "1500", "denominator": "2000"},
        expected_version=0,
        by=user_of("opd"),
    )
    page = client_for("secretariat").get(_url(entry))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Penugasan instansi diubah" in text and "Jawaban disimpan" in text
    assert health.name in text and civil.name in text  # the agencies by name, not [4, 6]
    assert "1.500" in text and "2.000" in text  # Indonesian numbers
    assert "Instansi:" in text and "Jawaban:" in text and "Poin:" in text  # field labels
    assert "kla." not in re.sub(r"<(script|link|head)[^>]*>.*?</\1>", "", text, flags=re.S)
    assert "{&#x27;" not in text and "{'" not in text and "agencies" not in text


def test_a_chosen_option_reads_by_its_label(client_for: Any, user_of: Any) -> None:
    entry = _entry(1)  # Perda KLA: the form of the regulation is chosen from the instrument's options
    question = entry.indicator.questions.filter(answer_type="option").order_by("position").first()
    assert question is not None
    option = question.spec["options"][0]
    answer_save(
        entry=entry,
        question=question,
        raw_value={"option": option["code"]},
        expected_version=None,
        by=user_of("secretariat"),
    )
    text = client_for("secretariat").get(_url(entry)).text
    assert f"Pilihan: {option['label']}" in text or f"pilihan: {option['label']}" in text
    assert f": {option['code']}<" not in text


def test_the_verification_page_shows_the_same_history(client_for: Any, user_of: Any) -> None:
    evaluation = _in_province_review()
    entry = _entry(4)
    assignment_set(entry=entry, agencies=[Agency.objects.get(region_id="16.71", kind="DINKES")], by=None)
    text = client_for("province").get(reverse("verification:entry", args=[entry.pk])).content.decode()
    assert "Penugasan instansi diubah" in text and "<code>kla." not in text
    assert evaluation.region.name in text


def test_operators_read_the_history_of_entries_assigned_to_their_agency_only(client_for: Any) -> None:
    opd = client_for("opd")  # Disdukcapil Palembang: indicator 4, not indicator 1 (Perda KLA)
    assert opd.get(_url(_entry(4))).status_code == 200
    assert opd.get(_url(_entry(1))).status_code == 404
    assert client_for("secretariat").get(_url(_entry(1))).status_code == 200
    assert client_for("other_secretariat").get(_url(_entry(4))).status_code == 404
    assert opd.get(reverse("verification:entry_history", args=[10**8])).status_code == 404


def _in_province_review() -> Evaluation:
    from kla.accounts.models import User

    evaluation = Evaluation.objects.select_related("cycle__framework", "region").get(
        cycle__code="evaluasi-kla-demo", region_id="16.71"
    )
    fill_answers(evaluation, seed=3, strength=0.8)
    evaluation_submit(evaluation=evaluation, by=None, acknowledge_missing=True)
    return steps.advance(
        evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=User.objects.get(username="prov-sumsel")
    )


def _verdicts(entry: Entry, user_of: Any) -> None:
    """Verdict events as they stand later in the cycle: the province's own, then sealed ministry and field ones."""
    question = entry.indicator.questions.order_by("position").first()
    assert question is not None
    points, reason = PROVINCE
    audit.record(
        action="kla.verdict.recorded",
        by=user_of("province"),
        obj=entry,
        after={"question": question.code, "stage": "province", "decision": "corrected", "points": points},
        reason=reason,
    )
    points, reason = SEALED["ministry"]
    for action in ("kla.verdict.recorded", "kla.entry.accepted"):
        audit.record(
            action=action,
            by=user_of("ministry_verifier"),
            obj=entry,
            after={"question": question.code, "stage": "ministry", "decision": "corrected", "points": points},
            reason=reason,
        )
    points, reason = SEALED["field"]
    audit.record(
        action="kla.verdict.field_points",
        by=user_of("field_verifier"),
        obj=entry,
        after={"points": points},
        reason=reason,
    )


def _spellings(value: str) -> list[str]:
    return [value, value.replace(".", ","), value.split(".")[0]]


@pytest.mark.parametrize("persona", ["secretariat", "opd", "province"])
def test_no_sealed_verdict_reaches_the_history_below_the_ministry(client_for: Any, user_of: Any, persona: str) -> None:
    evaluation = _in_province_review()
    entry = _entry(4)
    deadline = timezone.now() + dt.timedelta(days=3)
    returns.entries_return(
        evaluation=evaluation, entries=[entry], reason="Lampirkan SK terbaru", deadline=deadline, by=user_of("province")
    )
    _verdicts(entry, user_of)
    text = client_for(persona).get(_url(entry)).content.decode()
    assert "Lampirkan SK terbaru" in text  # the return is addressed to the kab/kota: everybody sees it
    assert "Indikator dikembalikan untuk diperbaiki" in text
    sealed = [s for points, reason in SEALED.values() for s in [*_spellings(points), reason]]
    if persona != "province":  # the province sees the decisions it made itself, the kab/kota none before publication
        sealed += [*_spellings(PROVINCE[0]), PROVINCE[1]]
    else:
        assert PROVINCE[1] in text and "621,98" in text
    assert [s for s in sealed if s in text] == []
    assert "Keputusan verifikator pada tahap yang masih disegel" in text


def test_the_ministry_reads_every_verdict(client_for: Any, user_of: Any) -> None:
    """The control of the canary: the same history does show the sealed values to the ministry."""
    _in_province_review()
    entry = _entry(4)
    _verdicts(entry, user_of)
    text = client_for("ministry_verifier").get(_url(entry)).content.decode()
    for points, reason in [*SEALED.values(), PROVINCE]:
        assert reason in text and points.replace(".", ",") in text
    assert "Keputusan verifikator dicatat" in text and "Poin verifikasi lapangan dicatat" in text
    assert "Diterima dengan koreksi poin" in text and "corrected" not in text


def _data_queries(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in captured.captured_queries if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]


def _more_events(entry: Entry, user_of: Any, rounds: int, *, answers: bool) -> None:
    agencies = list(Agency.objects.filter(region_id="16.71").order_by("pk")[: rounds + 1])
    for i in range(rounds):
        assignment_set(entry=entry, agencies=agencies[i : i + 2], by=user_of("secretariat"))
        if answers:  # while the self-assessment is open
            answer_save(
                entry=entry,
                question=_percentage(entry),
                raw_value={"numerator": str(10 + i), "denominator": "100"},
                expected_version=None,
                by=user_of("secretariat"),
            )


@pytest.mark.parametrize(("persona", "url_name"), [("secretariat", "entry_history"), ("province", "entry")])
def test_history_pages_read_a_fixed_number_of_queries(
    client_for: Any, user_of: Any, persona: str, url_name: str
) -> None:
    if url_name == "entry":
        _in_province_review()
    entry = _entry(4)
    client = client_for(persona)
    url = reverse(f"verification:{url_name}", args=[entry.pk])
    _more_events(entry, user_of, 1, answers=url_name == "entry_history")
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _more_events(entry, user_of, 4, answers=url_name == "entry_history")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count("Penugasan instansi diubah") >= 5
    assert len(_data_queries(many)) == len(_data_queries(few)), "\n".join(_data_queries(many))
    if url_name == "entry_history":
        # the user with memberships, the entry (with evaluation, cycle, framework, region, indicator, cluster), its
        # deadlines and assignments, the ids of its answers and evidence, the events with their actors, the agencies
        # named, the options of the questions answered
        assert len(_data_queries(few)) == 8, "\n".join(_data_queries(few))


def test_the_entry_page_links_the_history_only_for_those_who_may_read_it(client_for: Any) -> None:
    link = 'href="{}"'
    mine, other = _entry(4), _entry(1)
    assert link.format(_url(mine)) in client_for("opd").get(reverse("evaluations:entry_detail", args=[mine.pk])).text
    opd_other = client_for("opd").get(reverse("evaluations:entry_detail", args=[other.pk])).text
    assert "Riwayat perubahan indikator ini" not in opd_other  # no link to a page that answers 404
    secretariat = client_for("secretariat").get(reverse("evaluations:entry_detail", args=[other.pk])).text
    assert link.format(_url(other)) in secretariat
