"""The score-embargo canary: recognisable sealed scores, then every page and JSON response of the persona matrix,
read by every persona below the ministry, must not contain them. The ministry's view is the control: it must."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kla.evaluations.models import Evaluation
from kla.results.models import StageScore
from tests.test_persona_matrix import MATRIX

CANARIES = {"ministry_va": "666.66", "vl": "655.55", "final": "654.32"}
PROVINCE_OWN = "777.77"
BELOW_MINISTRY = ["anonymous", "no_role", "opd", "secretariat", "other_secretariat", "province"]


def spellings(value: str) -> list[str]:
    """How a number may appear: API JSON, Python, Indonesian format."""
    return [value, value.replace(".", ",")]


@pytest.fixture
def sealed(db: None) -> dict[str, str]:
    """Every GET URL of the matrix (objects such as evidence created while the evaluation is still open), then
    Palembang's evaluation determined with the canary scores."""
    urls = {name: reverse(name, kwargs=rule.kwargs()) for name, rule in MATRIX.items() if "GET" in rule.expect}
    evaluation = Evaluation.objects.select_related("cycle").get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    evaluation.status = Evaluation.Status.DETERMINED
    evaluation.em_score = Decimal("888.88")
    evaluation.save()
    for stage, total in {"province_va": PROVINCE_OWN, **CANARIES}.items():
        StageScore.objects.create(
            evaluation=evaluation, stage=stage, total=Decimal(total), band_code="madya", framework_code="kla-2024-ref"
        )
    return urls


def _get_pages(client: Client, persona: str, urls: dict[str, str]) -> dict[str, str]:
    pages = {}
    for name, url in urls.items():
        if MATRIX[name].expect["GET"].get(persona) != 200:
            continue
        response = client.get(url)
        if response.status_code == 200 and not response.get("Content-Disposition", "").startswith("attachment"):
            pages[url] = response.content.decode(errors="replace")
    return pages


@pytest.mark.parametrize("persona", BELOW_MINISTRY)
def test_no_sealed_score_reaches_anyone_below_the_ministry(
    sealed: dict[str, str], client_for: Any, persona: str
) -> None:
    pages = _get_pages(client_for(persona), persona, sealed)
    assert pages, "the canary must read at least one page"
    forbidden = [s for v in CANARIES.values() for s in spellings(v)]
    if persona != "province":  # the province sees the administrative verification it made itself
        forbidden += spellings(PROVINCE_OWN)
    leaks = [(url, word) for url, body in pages.items() for word in forbidden if word in body]
    assert leaks == []


def test_the_ministry_sees_the_sealed_scores(sealed: dict[str, str], client_for: Any) -> None:
    """The control: the same pages do show the canaries to the ministry, so the search above can find them."""
    pages = _get_pages(client_for("ministry_verifier"), "ministry_verifier", sealed)
    found = {v for v in CANARIES.values() if any(s in body for body in pages.values() for s in spellings(v))}
    assert found == set(CANARIES.values())


def test_no_sealed_score_reaches_an_email(sealed: dict[str, str], client_for: Any, mailoutbox: list[Any]) -> None:
    """Every email the platform sends to people below the ministry, sent while the scores are sealed: the reminder to
    an agency, the returned-entries notice to the secretariat, and the password-reset link."""
    from kla.accounts.models import Membership
    from kla.evaluations.models import Entry
    from kla.evaluations.tasks import send_reminder
    from kla.verification.tasks import notify_returned

    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    agency = Membership.objects.filter(user__username="opd-palembang").exclude(agency=None).first().agency_id
    send_reminder.enqueue(evaluation.pk, agency, "Mohon segera dilengkapi.", "https://kla.example.go.id")
    entries = list(Entry.objects.filter(evaluation=evaluation).values_list("pk", flat=True)[:3])
    Entry.objects.filter(pk__in=entries).update(return_reason="Lengkapi SK Gugus Tugas.")
    notify_returned.enqueue(evaluation.pk, entries, "https://kla.example.go.id")
    Client().post(reverse("accounts:password_reset"), {"email": "gt-palembang@demo.kla.invalid"})
    kinds = {m.subject.split(" ")[0] for m in mailoutbox}
    assert len(mailoutbox) >= 3 and len(kinds) >= 3, [m.subject for m in mailoutbox]
    forbidden = [s for v in [*CANARIES.values(), PROVINCE_OWN] for s in spellings(v)]
    leaks = [(m.subject, s) for m in mailoutbox for s in forbidden if s in m.subject + m.body]
    assert leaks == []


def _export_texts(client: Client, user: Any) -> dict[str, str]:
    """Every export in every format, built for `user` and downloaded through the page; XLSX as its unzipped XML."""
    import zipfile
    from io import BytesIO

    from pypdf import PdfReader

    from kla.reports.exporters import EXPORTERS
    from kla.reports.models import Export
    from kla.reports.services import TABLE_FORMATS, build, grant_keys

    texts = {}
    for kind in EXPORTERS:
        for fmt in TABLE_FORMATS:
            export = Export.objects.create(
                kind=kind, cycle_code="evaluasi-kla-demo", format=fmt, grants=grant_keys(user), requested_by=user
            )
            build(export.pk)
            response = client.get(reverse("reports:download", args=[export.pk]))
            assert response.status_code == 200
            content = b"".join(response.streaming_content)
            if fmt == "xlsx":
                with zipfile.ZipFile(BytesIO(content)) as z:
                    content = b"".join(z.read(name) for name in z.namelist())
            texts[f"{kind}.{fmt}"] = content.decode(errors="replace")
    from kla.accounts import access
    from kla.accounts.roles import Action
    from kla.evaluations.models import Evaluation
    from kla.reports.services import request_score_sheet

    palembang = Evaluation.objects.select_related("cycle").get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    if access.can(user, Action.EVALUATION_VIEW, palembang.region_id):  # the score sheet PDF, for those who may
        export = build(request_score_sheet(user=user, evaluation=palembang).pk)
        response = client.get(reverse("reports:download", args=[export.pk]))
        assert response.status_code == 200
        pdf = PdfReader(BytesIO(b"".join(response.streaming_content)))
        texts["lembar-nilai.pdf"] = "\n".join(page.extract_text() for page in pdf.pages)
        texts["paket-bukti.zip"] = _evidence_pack_text(client, user, palembang)
    return texts


def _evidence_pack_text(client: Client, user: Any, evaluation: Any) -> str:
    """The evidence pack (its list and every file, unzipped); evidence holds no scores, and neither may the pack."""
    import zipfile
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile

    from kla.evidence.services import evidence_upload
    from kla.evidence.tests import files
    from kla.reports.evidence_pack import pack_files
    from kla.reports.services import build, request_evidence_pack

    if not pack_files(evaluation).exists():
        entry = evaluation.entries.select_related("indicator").get(indicator__number=4)
        evidence_upload(
            entry=entry,
            question=entry.indicator.questions.order_by("position").first(),
            upload=SimpleUploadedFile("Laporan 2026.pdf", files.pdf()),
            evidence_type="report",
            meta={},
            by=None,
        )
    export = build(request_evidence_pack(user=user, evaluation=evaluation).pk)
    response = client.get(reverse("reports:download", args=[export.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(BytesIO(b"".join(response.streaming_content))) as z:
        return b"".join(z.read(name) for name in z.namelist()).decode(errors="replace")


@pytest.mark.parametrize("persona", ["opd", "secretariat", "other_secretariat", "province"])
def test_no_sealed_score_reaches_an_export(
    sealed: dict[str, str], client_for: Any, user_of: Any, persona: str, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    texts = _export_texts(client_for(persona), user_of(persona))
    forbidden = [s for v in CANARIES.values() for s in spellings(v)]
    if persona != "province":
        forbidden += spellings(PROVINCE_OWN)
    assert [(name, s) for name, text in texts.items() for s in forbidden if s in text] == []


def test_the_ministry_export_shows_the_sealed_scores(
    sealed: dict[str, str], client_for: Any, user_of: Any, settings: Any, tmp_path: Any
) -> None:
    """The control: the ministry's recap does hold the canaries (XLSX stores 655.55 as the number it is)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    texts = _export_texts(client_for("ministry_verifier"), user_of("ministry_verifier"))
    for name in ("rekap-evaluasi.csv", "rekap-evaluasi.xlsx"):
        assert all(v in texts[name] for v in CANARIES.values()), name
    assert all(any(s in texts["lembar-nilai.pdf"] for s in spellings(v)) for v in CANARIES.values())
