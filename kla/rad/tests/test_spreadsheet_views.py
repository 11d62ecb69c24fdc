"""The RAD KLA spreadsheet pages and recaps through real HTTP: templates download, uploads import all or nothing with
the per-row report on the page, recaps queue and build as XLSX within the requester's scope; constant query counts."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kla.accounts.models import User
from kla.rad import services
from kla.rad.models import Node, Realisation
from kla.rad.tests import builders as b
from kla.rad.tests.test_spreadsheet import fill
from kla.reports import services as report_services
from kla.reports.models import Export

pytestmark = pytest.mark.django_db
Clients = Callable[[str], Client]


def _plan_row(activity: str, amount: Any) -> list[Any]:
    row: list[Any] = [b.indicators()[0].code, "Program", None, activity, None, None, None, b.agency("DPUPR").name]
    return [*row, None, None, 2025, "APBN", amount, None]


def test_the_secretariat_imports_a_plan_and_sees_every_bad_row(client_for: Clients) -> None:
    plan = b.plan()
    client = client_for("secretariat")
    template = client.get(f"/rad/lembar-kerja/{plan.pk}/templat-rencana.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    broken = fill(template.content, [_plan_row("Taman", "1.000.000"), _plan_row("Posyandu", "abc")])
    page = client.post(f"/rad/lembar-kerja/{plan.pk}/impor-rencana/", {"file": broken})
    assert page.status_code == 422
    text = page.content.decode()
    assert "Tidak ada yang diimpor: 1 baris perlu diperbaiki" in text and "Baris 3, kolom Anggaran (Rp):" in text
    assert not Node.objects.filter(version__plan=plan).exists()
    good = fill(template.content, [_plan_row("Taman", "1.000.000"), _plan_row("Posyandu", "2.500.000,50")])
    done = client.post(f"/rad/lembar-kerja/{plan.pk}/impor-rencana/", {"file": good}, follow=True)
    assert "2 baris rencana diimpor" in done.content.decode()
    assert Node.objects.filter(version__plan=plan, level="activity").count() == 2


def test_the_import_page_has_a_plain_title_and_one_recap_section(client_for: Clients) -> None:
    """The title block once held a copy of the recap section (HTML in <title>, the buttons twice)."""
    plan = b.plan()
    text = client_for("secretariat").get(f"/rad/lembar-kerja/{plan.pk}/impor-rencana/").content.decode()
    title = text[text.index("<title>") : text.index("</title>")]
    assert "<section" not in title and "Impor rencana RAD KLA" in title
    assert text.count('id="rekap-rad"') == 1


def test_an_operator_records_realisation_from_the_sheet(client_for: Clients) -> None:
    built = b.built_plan(adopt=True)
    client = client_for("opd")
    template = client.get(f"/rad/lembar-kerja/{built.plan.pk}/templat-realisasi.xlsx").content
    row = [str(built.birth.key), None, None, "APBD kabupaten/kota", 2025, 1, "75.000.000", "Keliling."]
    response = client.post(f"/rad/lembar-kerja/{built.plan.pk}/impor-realisasi/", {"file": fill(template, [row])})
    assert response.status_code == 302
    assert Realisation.objects.get().spends.get().amount == Decimal("75000000.00")
    assert client_for("province").get(f"/rad/lembar-kerja/{built.plan.pk}/impor-realisasi/").status_code == 403
    lubuk = client_for("other_secretariat")
    assert lubuk.get(f"/rad/lembar-kerja/{built.plan.pk}/templat-realisasi.xlsx").status_code == 404


def _build(user: User, kind: str, code: str) -> Any:
    from kla.reports.rad_recaps import request_recap

    region = b.region(code)
    export = request_recap(user=user, kind=kind, region=region)
    done = report_services.build(export.pk)
    with done.file.open("rb") as stored:
        return load_workbook(io.BytesIO(stored.read()))


def test_recaps_within_scope_with_formats_and_filters(
    client_for: Clients, user_of: Callable[[str], User], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    built = b.built_plan(adopt=True)
    b.built_plan(code=b.LUBUKLINGGAU)
    services.region_budget_set(region=b.region(), year=2025, total="3.000.000.000.000", by=None)
    services.realisation_record(
        node=built.play, year=2025, quarter=1, spent={"apbd_kabkota": "100.000.000"}, by=None, today=b.TODAY
    )
    book = _build(user_of("province"), "rad-rekap-rencana", b.SUMSEL)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {b.PALEMBANG, b.LUBUKLINGGAU} and len(rows) == 2 * 8
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:O")
    assert sheet.cell(row=2, column=14).number_format == "#,##0.00"
    realised = [r for r in rows if r[0] == b.PALEMBANG and r[11] == 2025 and r[12] == "APBD kabupaten/kota"]
    assert [r[14] for r in realised if r[7].startswith("Pembangunan")] == [100000000]
    own = _build(user_of("secretariat"), "rad-rekap-anggaran", b.PALEMBANG).worksheets[0]
    lines = list(own.iter_rows(min_row=2, values_only=True))
    total_2025 = next(r for r in lines if r[3] == 2025 and r[4] == "Jumlah")
    parts = [r for r in lines if r[3] == 2025 and r[4] != "Jumlah"]
    assert sum(Decimal(str(r[5])) for r in parts) == Decimal(str(total_2025[5])) == Decimal("1760000000.75")
    assert total_2025[7] == 3_000_000_000_000 and total_2025[8] == pytest.approx(0.0587)
    refused = client_for("secretariat").post("/laporan/rad-kla/16/", {"kind": "rad-rekap-rencana"})
    assert refused.status_code == 404  # a kab/kota's secretariat reads no province recap
    queued = client_for("secretariat").post("/laporan/rad-kla/16.71/", {"kind": "rad-rekap-rencana"})
    assert queued.status_code == 302 and Export.objects.filter(kind="rad-rekap-rencana", cycle_code="16.71").exists()
    page = client_for("secretariat").get("/laporan/")
    assert "Rekap rencana RAD KLA · 16.71" in page.content.decode()


def test_recap_queries_stay_constant(user_of: Callable[[str], User], settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    user = user_of("province")
    b.built_plan(adopt=True)
    from kla.reports.rad_recaps import request_recap

    def build() -> int:
        export = request_recap(user=user, kind="rad-rekap-anggaran", region=b.region(b.SUMSEL))
        with CaptureQueriesContext(connection) as queries:
            report_services.build(export.pk)
        return len(queries.captured_queries)

    small = build()
    b.built_plan(code=b.LUBUKLINGGAU, adopt=True)
    assert build() == small


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("secretariat", "/rad/lembar-kerja/{pk}/impor-rencana/"),
        ("secretariat", "/rad/lembar-kerja/{pk}/templat-rencana.xlsx"),
        ("opd", "/rad/lembar-kerja/{pk}/impor-realisasi/"),
        ("opd", "/rad/lembar-kerja/{pk}/templat-realisasi.xlsx"),
    ],
)
def _bigger_plan(extra: int) -> Any:
    """An adopted Palembang plan 2030–2034 with `extra` funded activities of Disdukcapil."""
    plan = b.plan(start=2030)
    version = plan.versions.get()
    programme = services.node_add(
        version=version, level="programme", indicator_id=b.indicators()[0].pk, name="Program", by=None
    )
    for n in range(extra):
        node = services.node_add(
            version=version,
            level="activity",
            parent=programme,
            agency_id=b.agency("DISDUKCAPIL").pk,
            name=f"Kegiatan {n}",
            by=None,
        )
        services.budget_set(node=node, budget={(2030, "apbn"): "1.000", (2031, "dak"): "2.000"}, by=None)
    services.version_adopt(version=version, basis=services.Basis("perwal", "1", dt.date(2025, 1, 2)), by=None)
    return plan


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("secretariat", "/rad/lembar-kerja/{pk}/impor-rencana/"),
        ("secretariat", "/rad/lembar-kerja/{pk}/templat-rencana.xlsx"),
        ("opd", "/rad/lembar-kerja/{pk}/impor-realisasi/"),
        ("opd", "/rad/lembar-kerja/{pk}/templat-realisasi.xlsx"),
    ],
)
def test_page_queries_stay_constant(client_for: Clients, persona: str, url: str) -> None:
    small_plan, big_plan = b.built_plan(adopt=True).plan, _bigger_plan(15)
    client = client_for(persona)
    client.get(url.format(pk=small_plan.pk))
    counts = []
    for plan in (small_plan, big_plan):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url.format(pk=plan.pk)).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
    print(f"{persona} GET {url}: {counts[0]} queries")
