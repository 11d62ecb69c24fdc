"""Typed numbers follow the page's language beyond the answers (issue 21, item 4): the RAD KLA region budget, an
activity's budget and the what-if sandbox read English numbers on English pages (language cookie
``django_language=en``) and Indonesian ones on Indonesian pages, and say a refusal in the page's words; a form shows a
stored figure the way the page reads it back. The API reads text numbers the Indonesian way whatever
``Accept-Language`` says (a machine interface means the same in every language)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kla.activities.models import Activity
from kla.activities.tests import builders as activities
from kla.rad.models import RegionBudget
from kla.rad.tests import builders as rad

pytestmark = pytest.mark.django_db


def _in(language: str, client: Client) -> Client:
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize(
    ("language", "typed", "shown"),
    [("en", "Rp 5,000,000,000.50", "5,000,000,000.5"), ("id", "Rp 5.000.000.000,50", "5.000.000.000,5")],
)
def test_the_region_budget_is_read_and_shown_in_the_page_language(
    client_for: Callable[[str], Client], language: str, typed: str, shown: str
) -> None:
    built = rad.built_plan(adopt=True)
    client = _in(language, client_for("secretariat"))
    url = reverse("rad:region_budget", args=[built.plan.pk])
    response = client.post(url, {"year": "2025", "total": typed})
    assert response.status_code == 302, response.content.decode()
    assert str(RegionBudget.objects.get(region_id=rad.PALEMBANG, year=2025).amount) == "5000000000.50"
    form = client.get(reverse("rad:budget", args=[built.plan.pk]) + "?tahun=2025").content.decode()
    assert f'value="{shown}"' in form


@pytest.mark.parametrize(
    ("language", "typed", "examples"), [("en", "5.000", ("5,000", "5.0")), ("id", "5,000", ("5.000", "5,0"))]
)
def test_an_ambiguous_region_budget_is_refused_with_both_readings_and_kept(
    client_for: Callable[[str], Client], language: str, typed: str, examples: tuple[str, str]
) -> None:
    built = rad.built_plan(adopt=True)
    client = _in(language, client_for("secretariat"))
    response = client.post(reverse("rad:region_budget", args=[built.plan.pk]), {"year": "2025", "total": typed})
    text = response.content.decode()
    assert response.status_code == 422
    assert all(example in text for example in examples) and f'value="{typed}"' in text
    assert not RegionBudget.objects.exists()


def _activity(budget: str) -> dict[str, str]:
    return {
        "title": "Sosialisasi hak anak di sekolah",
        "start_date": "2026-05-04",
        "end_date": "2026-05-05",
        "agency": str(activities.agency().pk),
        "girls_6_12": "40",
        "boys_6_12": "38",
        "adults": "6",
        "budget_used": budget,
    }


@pytest.mark.parametrize(("language", "typed"), [("en", "Rp 12,500,000.50"), ("id", "Rp 12.500.000,50")])
def test_an_activity_budget_is_read_in_the_page_language(
    client_for: Callable[[str], Client], language: str, typed: str, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    client = _in(language, client_for("opd"))
    response = client.post(reverse("activities:create", args=[activities.PALEMBANG]), _activity(typed))
    assert response.status_code == 302, response.content.decode()
    activity = Activity.objects.get(title="Sosialisasi hak anak di sekolah")
    assert str(activity.budget_used) == "12500000.50"
    form = client.get(reverse("activities:edit", args=[activity.pk])).content.decode()
    assert typed.removeprefix("Rp ") in form


def test_an_english_page_refuses_an_indonesian_activity_budget(client_for: Callable[[str], Client]) -> None:
    client = _in("en", client_for("opd"))
    response = client.post(reverse("activities:create", args=[activities.PALEMBANG]), _activity("12.500.000,50"))
    assert response.status_code == 422
    assert "1,234.5" in response.content.decode()  # the English example of a decimal
    assert not Activity.objects.exists()


WHATIF = "/dasbor/kabkota/16.71/simulasi/?cycle=evaluasi-kla-demo"


@pytest.mark.parametrize(("language", "typed", "shown"), [("en", "1,200", "1,200"), ("id", "1.200", "1.200")])
def test_the_what_if_sandbox_reads_the_page_language(
    client_for: Callable[[str], Client], language: str, typed: str, shown: str
) -> None:
    client = _in(language, client_for("secretariat"))
    assert client.post(WHATIF, {"question": "1.4", "number": typed}).status_code == 302
    assert f'value="{shown}"' in client.get(WHATIF).content.decode()


def test_the_what_if_sandbox_refuses_an_indonesian_thousand_on_an_english_page(
    client_for: Callable[[str], Client],
) -> None:
    response = _in("en", client_for("secretariat")).post(WHATIF, {"question": "1.4", "number": "1.200"})
    assert response.status_code == 422
    assert "1,200" in response.content.decode() and "1.2" in response.content.decode()


def test_the_api_reads_text_numbers_the_indonesian_way_in_english_too(user_of: Callable[[str], Any]) -> None:
    from kla.accounts.services import token_create

    built = rad.built_plan(adopt=True)
    _token, plain = token_create(user=user_of("opd"), name="uji", by=None)
    url = f"/api/v1/action-plan-nodes/{built.birth.pk}/realisations"
    body = {"year": 2025, "quarter": 1, "spent": {"apbd_kabkota": "50.000.000"}, "notes": "Keliling."}
    headers = {"Authorization": f"Bearer {plain}", "Accept-Language": "en"}
    response = Client().post(url, body, content_type="application/json", headers=headers)
    assert response.status_code == 200, response.content
    assert response.json()["spent"] == {"apbd_kabkota": "50000000.00"}


def _submitted() -> Any:
    from kla.demo.answers import fill_answers
    from kla.evaluations.models import Evaluation
    from kla.evaluations.services import evaluation_submit

    evaluation = Evaluation.objects.select_related("cycle__framework", "region").get(
        cycle__code="evaluasi-kla-demo", region_id="16.71"
    )
    fill_answers(evaluation, seed=3, strength=0.8)
    evaluation_submit(evaluation=evaluation, by=None, acknowledge_missing=True)
    return evaluation


@pytest.mark.parametrize(("language", "typed", "refused"), [("en", "2.5", "2,5"), ("id", "2,5", "2,500")])
def test_corrected_points_are_read_in_the_page_language(
    client_for: Callable[[str], Client], user_of: Callable[[str], Any], language: str, typed: str, refused: str
) -> None:
    from kla.evaluations.workflow import Step
    from kla.indicators.models import Question
    from kla.verification.models import Verdict
    from kla.verification.services import steps

    evaluation = steps.advance(evaluation=_submitted(), step=Step.START_PROVINCE_REVIEW, by=user_of("province"))
    entry = evaluation.entries.get(indicator__number=4)
    question = Question.objects.filter(indicator=entry.indicator).order_by("position").first()
    assert question is not None
    client = _in(language, client_for("province"))
    url = reverse("verification:verdict", args=[entry.pk, question.pk])
    body = {"decision": "corrected", "reason": "Data diperbaiki.", "points": refused}
    assert client.post(url, body, headers={"HX-Request": "true"}).status_code == 422
    assert not Verdict.objects.filter(entry=entry, question=question).exists()
    saved = client.post(url, {**body, "points": typed}, headers={"HX-Request": "true"})
    assert saved.status_code == 200, saved.content.decode()
    assert str(Verdict.objects.get(entry=entry, question=question).points) == "2.50"
