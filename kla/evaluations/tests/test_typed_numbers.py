"""Numbers typed the Indonesian way on the entry page (issue 21, item 4): `1.500` is fifteen hundred, `1,5` one and
a half, `1.234,5` both; a dot used as a decimal mark or `1,250` is refused with a hint and the typed text kept; a
saved answer comes back in the form the way a person types it, so saving it again reads the same numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kla.evaluations.models import Answer, Entry
from kla.indicators.models import Question

pytestmark = pytest.mark.django_db


def _percentage(entry: Entry) -> Question:
    return entry.indicator.questions.filter(answer_type="percentage").order_by("position").first()


def _save(client: Client, entry: Entry, question: Question, data: dict[str, str]) -> Any:
    url = reverse("evaluations:answer_save", args=[entry.pk, question.pk])
    return client.post(url, data, headers={"HX-Request": "true"})


def _version(entry: Entry, question: Question) -> str:
    answer = Answer.objects.filter(entry=entry, question=question).first()
    return str(answer.version) if answer else "0"


@pytest.mark.parametrize(
    ("numerator", "denominator", "stored"),
    [
        ("1.500", "3.000", ("1500", "3000")),
        ("1.234,5", "2.469", ("1234.5", "2469")),
        ("0,5", "1", ("0.5", "1")),
        ("Rp 1.250.000", "2.500.000", ("1250000", "2500000")),
    ],
)
def test_indonesian_numbers_are_read_as_typed(
    client_for: Any, entry_of: Any, numerator: str, denominator: str, stored: tuple[str, str]
) -> None:
    entry = entry_of(4)
    question = _percentage(entry)
    response = _save(client_for("opd"), entry, question, {"numerator": numerator, "denominator": denominator})
    assert response.status_code == 200, response.content.decode()
    answer = Answer.objects.get(entry=entry, question=question)
    assert (answer.value["numerator"], answer.value["denominator"]) == stored
    assert Decimal(stored[0]) / Decimal(stored[1]) == Decimal("0.5")  # every case is 50 %
    assert "= 50,00%" in answer.explanation, answer.explanation


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("1.5", "Tulis 1,5 untuk bilangan desimal"),
        ("1,250", "Tulis 1.250 jika maksudnya ribuan, atau 1,25 jika maksudnya bilangan desimal"),
        ("seratus", "bukan angka"),
    ],
)
def test_a_number_that_cannot_be_read_is_refused_with_a_hint_and_kept(
    client_for: Any, entry_of: Any, typed: str, hint: str
) -> None:
    entry = entry_of(4)
    question = _percentage(entry)
    before = Answer.objects.filter(entry=entry, question=question).values_list("value", "version").first()
    response = _save(client_for("opd"), entry, question, {"numerator": typed, "denominator": "100"})
    body = response.content.decode()
    assert response.status_code == 422
    assert hint in body
    assert f'value="{typed}"' in body  # what was typed is shown again, not lost
    assert Answer.objects.filter(entry=entry, question=question).values_list("value", "version").first() == before


def test_a_saved_answer_is_shown_as_typed_and_saves_again_unchanged(client_for: Any, entry_of: Any) -> None:
    entry = entry_of(4)
    question = _percentage(entry)
    client = client_for("opd")
    assert _save(client, entry, question, {"numerator": "1.234,5", "denominator": "2.469"}).status_code == 200
    page = client.get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert 'value="1.234,5"' in page and 'value="2.469"' in page
    again = _save(
        client,
        entry,
        question,
        {"numerator": "1.234,5", "denominator": "2.469", "version": _version(entry, question)},
    )
    assert again.status_code == 200
    answer = Answer.objects.get(entry=entry, question=question)
    assert (answer.value["numerator"], answer.value["denominator"]) == ("1234.5", "2469")


# --- English pages (language cookie "en"): the English way -----------------------------------------------------------


def _english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(
    ("numerator", "denominator", "stored"),
    [
        ("1,500", "3,000", ("1500", "3000")),
        ("1,234.5", "2,469", ("1234.5", "2469")),
        ("0.5", "1", ("0.5", "1")),
        ("Rp 1,250,000", "2,500,000", ("1250000", "2500000")),
    ],
)
def test_english_numbers_are_read_as_typed_on_an_english_page(
    client_for: Any, entry_of: Any, numerator: str, denominator: str, stored: tuple[str, str]
) -> None:
    entry = entry_of(4)
    question = _percentage(entry)
    response = _save(_english(client_for("opd")), entry, question, {"numerator": numerator, "denominator": denominator})
    assert response.status_code == 200, response.content.decode()
    answer = Answer.objects.get(entry=entry, question=question)
    assert (answer.value["numerator"], answer.value["denominator"]) == stored
    assert "50.00%" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "code_and_examples"),
    [
        ("1.250", ("1,250", "1.25")),  # a thousand or one and a quarter: both ways are named
        ("1,5", ("1.5",)),  # an Indonesian decimal comma
        ("1.500.000", ("1,234.5",)),  # Indonesian thousands dots
    ],
)
def test_an_english_page_refuses_what_it_cannot_read_and_keeps_it(
    client_for: Any, entry_of: Any, typed: str, code_and_examples: tuple[str, ...]
) -> None:
    entry = entry_of(4)
    question = _percentage(entry)
    before = Answer.objects.filter(entry=entry, question=question).values_list("value", "version").first()
    response = _save(_english(client_for("opd")), entry, question, {"numerator": typed, "denominator": "100"})
    body = response.content.decode()
    assert response.status_code == 422
    assert all(example in body for example in code_and_examples), body
    assert f'value="{typed}"' in body
    assert Answer.objects.filter(entry=entry, question=question).values_list("value", "version").first() == before


def test_the_same_text_means_the_page_language(client_for: Any, entry_of: Any) -> None:
    """ "1.500" is fifteen hundred on an Indonesian page; on an English page it is one and a half, and "1,500"
    fifteen hundred. A saved answer comes back in the page's language and saves again unchanged."""
    entry = entry_of(4)
    question = _percentage(entry)
    client = client_for("opd")
    assert _save(client, entry, question, {"numerator": "1.500", "denominator": "2.000"}).status_code == 200
    assert Answer.objects.get(entry=entry, question=question).value["numerator"] == "1500"
    english = _english(client_for("opd"))
    page = english.get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert 'value="1,500"' in page and 'value="2,000"' in page
    version = _version(entry, question)
    saved = _save(english, entry, question, {"numerator": "1,500", "denominator": "2,000", "version": version})
    assert saved.status_code == 200 and "75.00%" in saved.content.decode()
    assert Answer.objects.get(entry=entry, question=question).value["numerator"] == "1500"
    version = _version(entry, question)
    decimal = _save(english, entry, question, {"numerator": "1.5", "denominator": "2", "version": version})
    assert decimal.status_code == 200
    assert Answer.objects.get(entry=entry, question=question).value["numerator"] == "1.5"
