"""RAD KLA in a real browser, the way its people work: Dinas PUPR's operator records the spending and output of the
last quarter that has ended for its play-space activity of Palembang's adopted plan, then records the opening of a
play space as an activity (kegiatan) with a photo. The secretariat sees the realised budget move, attaches the
activity's photo to an indicator question without uploading it again (one stored object), and downloads the budget
recap as Excel. Every step is found by clicking and every value typed, amounts the Indonesian way and dates too.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kla.evidence.tests.files import jpeg
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
PALEMBANG = "16.71"
TITLE = "RAD KLA Kota Palembang"  # the pages add the period
PLAY = "Pembangunan Ruang Bermain Ramah Anak di taman kota"
EVENT = "Peresmian Ruang Bermain Ramah Anak Taman Kambang Iwak"
OPERATOR = "opd-pupr-palembang"
# The plan's period starts last year, so the last ended quarter (and the activity carried out in it) lies in it.
START = dt.date.today().year - 1


def _last_ended_quarter(today: dt.date) -> tuple[int, int]:
    from kla.rad import rules

    year = today.year
    ended = [q for q in rules.QUARTERS if rules.quarter_ended(year, q, today)]
    return (year, ended[-1]) if ended else (year - 1, 4)


def _adopted_plan() -> None:
    """Palembang's five-year plan from last year (through kla.rad.services, as kla/demo/rad.py writes it): Dinas
    PUPR's play spaces under indicator 11 with an output and a budget per year, adopted by Perwal; and an operator of
    Dinas PUPR."""
    from kla.accounts.roles import Role
    from kla.accounts.services import user_create
    from kla.agencies.services import agency_ensure
    from kla.demo.data import DEMO_PASSWORD
    from kla.indicators.models import Framework, Indicator
    from kla.rad import rules, services
    from kla.regions.levels import Level
    from kla.regions.models import Region

    region = Region.objects.select_related("parent").get(code=PALEMBANG)
    framework = Framework.objects.filter(level=Level.KABKOTA).order_by("-year", "-pk").first()
    assert framework is not None
    pupr = agency_ensure(region=region, kind="DPUPR", by=None)
    plan = services.plan_create(
        region=region, framework=framework, start_year=START, end_year=START + 4, title=TITLE, by=None
    )
    version = plan.versions.get()
    programme = services.node_add(
        version=version,
        level=rules.Level.PROGRAMME,
        indicator_id=Indicator.objects.get(framework=framework, code="11").pk,
        name="Program Penataan Bangunan dan Lingkungannya",
        code="1.03.10",
        by=None,
    )
    play = services.node_add(
        version=version,
        level=rules.Level.ACTIVITY,
        parent=programme,
        agency_id=pupr.pk,
        name=PLAY,
        code="1.03.10.2.01",
        by=None,
    )
    output = services.output_add(node=play, name="RBRA dibangun dan terstandar", unit="lokasi", by=None)
    services.targets_set(output=output, targets={y: "4" for y in range(START, START + 5)}, by=None)
    services.budget_set(
        node=play, budget={(y, "apbd_kabkota"): "2.400.000.000" for y in range(START, START + 5)}, by=None
    )
    basis = services.Basis("perwal", f"Peraturan Wali Kota Palembang Nomor 18 Tahun {START}", dt.date(START, 4, 14))
    services.version_adopt(version=version, basis=basis, by=None)
    operator = user_create(
        username=OPERATOR,
        full_name="Budi Santoso",
        email="budi.pupr@palembang.example.id",
        position="Operator Dinas PUPR Kota Palembang",
        password=None,
        role=Role.OPD_OPERATOR,
        region=region,
        agency=pupr,
        by=None,
    )
    operator.set_password(DEMO_PASSWORD)  # sign_in types the demo password
    operator.save(update_fields=["password"])


def _record_realisation(page: Any, year: int, quarter: int) -> None:
    page.get_by_role("link", name="RAD KLA", exact=True).click()
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    page.get_by_role("link", name="Catat dan lihat realisasi per triwulan").click()
    if year != timezone.localdate().year:
        page.get_by_role("combobox", name="Tahun").select_option(str(year))
    row = page.locator("#realisasi tr", has=page.get_by_role("link", name=PLAY))
    expect(row).to_contain_text("belum dicatat")
    row.locator("td").nth(3 + quarter).get_by_role("link", name="Catat").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(f"Triwulan {quarter} tahun {year}")
    page.get_by_label("Realisasi APBD kabupaten/kota").fill("125.000.000")
    page.get_by_label("Capaian RBRA dibangun dan terstandar (lokasi)").fill("1")
    page.get_by_label("Catatan").fill("RBRA Taman Kambang Iwak selesai dibangun dan diresmikan.")
    page.get_by_role("button", name="Simpan realisasi").click()
    row = page.locator("#realisasi tr", has=page.get_by_role("link", name=PLAY))
    expect(row.locator("td").nth(3 + quarter)).to_contain_text("125.000.000")


def _record_activity(page: Any, tmp_path: Path, day: dt.date) -> None:
    page.get_by_role("link", name="Kegiatan", exact=True).click()
    page.get_by_role("link", name="Catat kegiatan").click()
    page.get_by_label("Nama kegiatan").fill(EVENT)
    page.get_by_label("Tanggal mulai").fill(f"{day:%Y-%m-%d}")
    page.get_by_label("Tanggal selesai").fill(f"{day:%Y-%m-%d}")
    page.get_by_label("Instansi pelaksana").select_option(
        label="Dinas Pekerjaan Umum dan Penataan Ruang Kota Palembang"
    )
    page.get_by_label("Kegiatan RAD KLA yang direalisasikan").select_option(label=f"{START}–{START + 4} · {PLAY}")
    page.get_by_label("Anak perempuan 6–12 tahun").fill("64")
    page.get_by_label("Anak laki-laki 6–12 tahun").fill("59")
    page.get_by_label("Orang dewasa").fill("85")
    page.get_by_label("Anggaran terpakai (Rp)").fill("Rp 25.000.000")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EVENT)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(PLAY)
    expect(facts).to_contain_text("25.000.000")
    expect(facts).to_contain_text("123 anak, 85 orang dewasa")
    photo = tmp_path / "rbra-taman-kambang-iwak.jpg"
    photo.write_bytes(jpeg((320, 240)))
    page.get_by_label("Foto atau dokumen").set_input_files(str(photo))
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator(".evidence-list")).to_contain_text("rbra-taman-kambang-iwak.jpg")
    # from the activity to the realisation of the plan's activity it realises
    page.get_by_role("link", name="Realisasi anggarannya per triwulan").click()
    expect(page.locator("#realisasi tr", has=page.get_by_role("link", name=PLAY))).to_contain_text("125.000.000")


def _attach_photo(page: Any) -> None:
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Evaluasi", exact=True).click()
    page.get_by_role("link", name="Kota Palembang").first.click()
    page.get_by_role("link", name=re.compile("Infrastruktur Ramah Anak")).first.click()
    evidence = page.locator(".evidence").first
    evidence.get_by_role("link", name="Lampirkan dari dokumentasi kegiatan").click()
    picker = page.get_by_role("region", name="Dokumentasi kegiatan")
    picker.get_by_label("Cari nama kegiatan").fill("Kambang Iwak")
    picker.get_by_role("button", name="Cari").click()
    offered = page.get_by_role("region", name="Dokumentasi kegiatan").locator("li", has_text=EVENT)
    expect(offered).to_contain_text("rbra-taman-kambang-iwak.jpg")
    offered.get_by_role("button", name="Lampirkan sebagai bukti").click()
    expect(page.locator(".evidence").first).to_contain_text(f"Dari: Kegiatan: {EVENT}")


def _budget_report(page: Any, year: int) -> Any:
    """RAD KLA → the plan's budget page, on `year`: the report part of the page."""
    page.get_by_role("link", name="RAD KLA", exact=True).click()
    page.get_by_role("link", name="Anggaran").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anggaran pemenuhan hak anak")
    if year != timezone.localdate().year:
        page.get_by_role("combobox", name="Tahun").select_option(str(year))
    report = page.locator("#laporan")
    expect(report).to_contain_text(f"direncanakan tahun {year}")
    return report


def _download_recap(page: Any) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    page.get_by_role("button", name="Rekap anggaran Kota Palembang").click()
    expect(page.locator(".messages")).to_contain_text("Rekap RAD KLA Kota Palembang sedang dibuat")
    page.get_by_text("Siap diunduh").first.wait_for()  # the task runs at once here; with a worker the page polls
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    content = BytesIO(Path(download.value.path()).read_bytes())  # the saved download has no .xlsx suffix
    return list(load_workbook(content, read_only=True).active.iter_rows(values_only=True))


def test_pupr_realises_and_documents_and_the_secretariat_reuses_the_photo(
    watched_page: Any, site: str, tmp_path: Path, settings: Any
) -> None:
    from kla.rad import rules

    settings.MEDIA_ROOT = tmp_path / "media"
    _adopted_plan()
    page = watched_page
    today = timezone.localdate()
    year, quarter = _last_ended_quarter(today)

    # the secretariat looks at the year's budget before: nothing realised yet
    sign_in(page, site, "gt-palembang")
    realised = _budget_report(page, year).locator(".card", has_text="terealisasi").locator(".stat")
    before = realised.inner_text()
    assert "125.000.000" not in before
    page.get_by_role("button", name="Keluar").click()

    # Dinas PUPR's operator records the quarter and the activity with its photo
    sign_in(page, site, OPERATOR)
    _record_realisation(page, year, quarter)
    _record_activity(page, tmp_path, rules.quarter_end(year, quarter))  # carried out in the quarter recorded
    page.get_by_role("button", name="Keluar").click()

    # the secretariat sees the realised budget move, per agency too
    sign_in(page, site, "gt-palembang")
    report = _budget_report(page, year)
    expect(realised).to_have_text("Rp 125.000.000")
    expect(report.get_by_role("table", name="Per instansi").locator("tr", has_text="Dinas PUPR")).to_contain_text(
        "Rp 125.000.000"
    )

    # the recap of the budget downloads from the budget page
    rows = _download_recap(page)
    pupr = [r for r in rows if r[3] == year and "Pekerjaan Umum" in str(r[4])]
    assert len(pupr) == 1 and Decimal(str(pupr[0][6])) == Decimal("125000000"), rows

    # the activity's photo becomes evidence of indicator 11 without a second upload
    _attach_photo(page)
    from kla.activities.models import ActivityFile
    from kla.evidence.models import Evidence

    linked = Evidence.objects.get(entry__evaluation__region_id=PALEMBANG, source="activities")
    assert linked.file.name == ActivityFile.objects.get(activity__title=EVENT).file.name
