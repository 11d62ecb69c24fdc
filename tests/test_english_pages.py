"""English mode is complete: after switching the language the way a user does (the header's language form, which
posts to `set_language` and sets the cookie), the main page of every persona shows no Indonesian interface text,
and the API answers its error details in English when asked with `Accept-Language: en`.

The words below are interface words only. Data keeps its language: the instrument's indicator texts, agency and region
names, and what people typed are Indonesian by nature, so the check reads the visible text of the page (tags,
scripts and styles stripped) for words that belong to the interface and not to that data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

CYCLE = "evaluasi-kla-demo"

# Unambiguously Indonesian interface words (not names of people, bodies, regions or predicates).
INDONESIAN = [
    "Simpan",
    "Kirim",
    "Batas waktu",
    "batas waktu",
    "Belum",
    "belum",
    "indikator",
    "Kembali",
    "Tahap",
    "tahap",
    "dikembalikan",
    "Langkah berikutnya",
    "Tersimpan",
    "Unduh",
    "Tambah",
    "Ubah",
    "Pilih",
    "Lihat",
    "Keluar",
    "Akun saya",
    "Tugas saya",
    "Halaman",
    "halaman",
    "Beranda",
    "Evaluasi mandiri",
    "evaluasi mandiri",
    "Verifikasi",
    "verifikasi",
    "Pengumuman",
    "Diumumkan",
    "Ditetapkan",
    "Dikirim",
    "sudah",
    "tidak",
    "Tidak ada",
    "Anda",
    "Rencana",
    "Anggaran",
    "Realisasi",
    "Kegiatan",
    "Rapat",
    "Tindak lanjut",
    "Laporan",
    "Siklus",
    "siklus",
    "Kabupaten/kota",
    "Bukti dukung",
    "bukti dukung",
]
WORDS = re.compile(r"(?<![\w/])(" + "|".join(re.escape(w) for w in INDONESIAN) + r")(?![\w/])")


class _VisibleText(HTMLParser):
    """The text a reader sees: every text node outside <script>, <style> and <template>, plus button values,
    placeholders, alt and title attributes and aria-labels (read aloud by screen readers)."""

    HIDDEN = {"script", "style", "template"}
    ATTRIBUTES = ("placeholder", "alt", "title", "aria-label")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        found = dict(attrs)
        self.parts += [found[a] or "" for a in self.ATTRIBUTES if found.get(a)]
        if tag == "input" and found.get("type") in {"submit", "button"} and found.get("value"):
            self.parts.append(found["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def indonesian_in(html: str) -> list[str]:
    """Each Indonesian interface word found, with the words around it (to find the template or view)."""
    text = visible_text(html)
    return [text[max(m.start() - 40, 0) : m.end() + 40] for m in WORDS.finditer(text)]


def english(client: Client) -> Client:
    """Switch to English as a user does: the header's language form posts to set_language."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def _palembang_evaluation() -> dict[str, Any]:
    from kla.evaluations.models import Evaluation

    return {"pk": Evaluation.objects.get(cycle__code=CYCLE, region_id="16.71").pk}


def _palembang_entry() -> dict[str, Any]:
    from kla.evaluations.models import Entry

    entry = Entry.objects.get(evaluation__cycle__code=CYCLE, evaluation__region_id="16.71", indicator__number=4)
    return {"pk": entry.pk}


PAGES: list[tuple[str, str, Callable[[], dict[str, Any]]]] = [
    ("opd", "evaluations:my_work", dict),
    ("opd", "evaluations:entry_detail", _palembang_entry),
    ("secretariat", "evaluations:my_work", dict),
    ("secretariat", "evaluations:evaluation_detail", _palembang_evaluation),
    ("secretariat", "dashboards:kabkota", lambda: {"code": "16.71"}),
    ("secretariat", "taskforce:region", lambda: {"code": "16.71"}),
    ("secretariat", "rad:region", lambda: {"code": "16.71"}),
    ("secretariat", "activities:region", lambda: {"code": "16.71"}),
    ("province", "verification:queue", dict),
    ("province", "verification:province", lambda: {"cycle_code": CYCLE, "code": "16"}),
    ("province", "dashboards:province", lambda: {"code": "16"}),
    ("ministry_verifier", "verification:queue", dict),
    ("field_verifier", "fieldvisits:index", dict),
    ("ministry_admin", "evaluations:cycles", dict),
    ("ministry_admin", "results:publication", lambda: {"cycle_code": CYCLE}),
    ("anonymous", "site:home", dict),
    ("anonymous", "results:public_index", dict),
]


@pytest.mark.parametrize(("persona", "name", "kwargs"), PAGES, ids=[f"{p}-{n}" for p, n, _k in PAGES])
def test_main_pages_in_english_have_no_indonesian_interface_words(
    client_for: Callable[[str], Client], persona: str, name: str, kwargs: Callable[[], dict[str, Any]]
) -> None:
    client = english(client_for(persona))
    response = client.get(reverse(name, kwargs=kwargs()))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert indonesian_in(response.content.decode()) == []


def test_the_same_pages_in_indonesian_do_show_those_words(client_for: Callable[[str], Client]) -> None:
    """The check is not blind: without the switch, the operator's page reads Indonesian."""
    response = client_for("opd").get(reverse("evaluations:entry_detail", kwargs=_palembang_entry()))
    assert indonesian_in(response.content.decode())


def test_a_refusal_flash_message_is_english(client_for: Callable[[str], Client]) -> None:
    """A message built in a view (saved answer) reaches the page in English."""
    client = english(client_for("secretariat"))
    response = client.post(
        reverse("evaluations:cycle_extend", kwargs={"code": CYCLE}), {"stage": "", "ends_at": ""}, follow=True
    )
    assert response.status_code in {200, 403, 422}
    assert indonesian_in(response.content.decode()) == []


def _token(user_of: Callable[[str], Any], persona: str) -> str:
    from kla.accounts.services import token_create

    _token_row, plain = token_create(user=user_of(persona), name="english", by=None)
    return plain


@pytest.mark.parametrize(
    ("path", "status", "english_detail"),
    [
        ("/api/v1/evaluations/999999999", 404, "Not found in your area of responsibility."),
        ("/api/v1/results/no-such-cycle/provinces/16", 404, "The results have not been announced yet."),
        ("/api/v1/exports/999999999", 404, "Report not found."),
    ],
)
def test_api_error_details_follow_accept_language(
    user_of: Callable[[str], Any], path: str, status: int, english_detail: str
) -> None:
    headers = {"Authorization": f"Bearer {_token(user_of, 'secretariat')}"}
    response = Client().get(path, headers={**headers, "Accept-Language": "en"})
    assert response.status_code == status
    assert response.json()["detail"] == english_detail
    assert "Accept-Language" in response.headers["Vary"]
    indonesian = Client().get(path, headers=headers)
    assert indonesian.json()["detail"] != english_detail


def test_api_without_credentials_answers_in_english_when_asked() -> None:
    response = Client().get("/api/v1/me", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 401
    assert indonesian_in(response.json()["detail"]) == []
    assert Client().get("/api/v1/me").json()["detail"].startswith("Masuk terlebih dahulu")


def test_api_validation_refusal_in_english(user_of: Callable[[str], Any]) -> None:
    """A service refusal (ValidationError) comes back translated: the export request for an unknown kind."""
    headers = {"Authorization": f"Bearer {_token(user_of, 'secretariat')}", "Accept-Language": "en"}
    response = Client().post(
        "/api/v1/exports/",
        {"kind": "no-such-report", "cycle_code": CYCLE, "format": "xlsx"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    assert indonesian_in(response.json()["detail"]) == []


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("Persentase 5/6 = 83,33% ≥ 80 → 25 poin dari 25", "Percentage 5/6 = 83.33% ≥ 80 → 25 points of 25"),
        ("Tidak dijawab → 0 poin dari 12,5", "Not answered → 0 points of 12.5"),
        ("Pilihan 'Ada' → 10 poin dari 10", "Choice 'Ada' → 10 points of 10"),
        ("Angka 1.500 ≥ 1.000 → 5 poin dari 5", "Number 1,500 ≥ 1,000 → 5 points of 5"),
        (
            "Persentase 7/6 = 116,67% melebihi 100% → 0 poin dari 25. "
            "Pembilang lebih besar dari penyebut: periksa kembali datanya.",
            "Percentage 7/6 = 116.67% exceeds 100% → 0 points of 25. "
            "The numerator is larger than the denominator: check the data again.",
        ),
    ],
)
def test_a_stored_score_explanation_reads_in_english(stored: str, shown: str) -> None:
    from django.utils import translation

    from kla.evaluations.explanations import explanation

    with translation.override("en"):
        assert explanation(stored) == shown
    with translation.override("id"):
        assert explanation(stored) == stored


def test_api_parameter_refusal_in_english(user_of: Callable[[str], Any]) -> None:
    """A bad query parameter: the field and pydantic's English message after the translated prefix."""
    headers = {"Authorization": f"Bearer {_token(user_of, 'secretariat')}"}
    english_answer = Client().get("/api/v1/evaluations/?limit=x", headers={**headers, "Accept-Language": "en"})
    assert english_answer.status_code == 422
    assert english_answer.json()["detail"].startswith("Invalid parameter: limit: ")
    assert indonesian_in(english_answer.json()["detail"]) == []
    indonesian = Client().get("/api/v1/evaluations/?limit=x", headers=headers)
    assert indonesian.json()["detail"] == "Parameter tidak sah: limit: harus bilangan bulat"


@pytest.mark.parametrize(
    ("written", "english"),
    [
        ("Tidak ada evaluasi pada siklus ini", "No evaluation in this cycle"),
        (
            "Nilai 612,50 di bawah Madya (minimal 700): kurang 87,50 poin",
            "Score 612.50 below Madya (minimum 700): 87.50 points short",
        ),
        ("Predikat Pratama di bawah Madya", "Predicate Pratama below Madya"),
        ("Belum berpredikat", "No predicate yet"),
        ("a reason of another shape", "a reason of another shape"),
    ],
)
def test_a_province_blocker_reads_in_english(written: str, english: str) -> None:
    from django.utils import translation

    from kla.results.wording import blocker_reason

    with translation.override("en"):
        assert blocker_reason(written) == english
    with translation.override("id"):
        assert blocker_reason(written) == written
