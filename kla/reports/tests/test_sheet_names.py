"""Each table export names its Excel sheet with a short name of its own, never a cut-off report label."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kla.reports.models import Export
from kla.reports.services import SHEET_NAMES
from kla.reports.writers import SHEET_NAME_MAX


@pytest.mark.parametrize(
    ("kind", "sheet"), [("rekap-evaluasi", "Rekap evaluasi"), ("rincian-indikator", "Rincian indikator")]
)
def test_the_xlsx_sheet_is_named_by_the_report(
    kind: str, sheet: str, client_for: Any, user_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("ministry_verifier")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:index"), {"kind": kind, "cycle": "evaluasi-kla-demo", "format": "xlsx"})
    export = Export.objects.filter(requested_by=user_of("ministry_verifier")).latest("pk")
    response = client.get(reverse("reports:download", args=[export.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert book.sheetnames == [sheet]


def test_every_sheet_name_fits_excel() -> None:
    assert all(0 < len(str(name)) <= SHEET_NAME_MAX for name in SHEET_NAMES.values())
