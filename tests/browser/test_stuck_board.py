"""The stuck-items board in a real browser: the ministry's administrator follows the link from the verification
queue, filters by province and minimum age, reminds with one click and reads the confirmation (and, on a second
click, that today's reminder was already sent); the operator responsible then finds it behind the bell."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def _stuck_work() -> int:
    """Palembang's indicator 4 returned twelve days ago (fix deadline passed); Lubuk Linggau submitted 20 days ago."""
    from django.utils import timezone

    from kla.evaluations.models import Entry, Evaluation

    now = timezone.now()
    cycle = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71").cycle_id
    Evaluation.objects.filter(cycle_id=cycle, region_id="16.71").update(
        status=Evaluation.Status.PROVINCE_REVIEW, submitted_at=now - dt.timedelta(days=13)
    )
    Evaluation.objects.filter(cycle_id=cycle, region_id="16.73").update(
        status=Evaluation.Status.SUBMITTED, submitted_at=now - dt.timedelta(days=20)
    )
    entry = Entry.objects.get(evaluation__cycle_id=cycle, evaluation__region_id="16.71", indicator__number=4)
    Entry.objects.filter(pk=entry.pk).update(
        status=Entry.Status.RETURNED,
        return_reason="Lampirkan data SIAK terbaru.",
        returned_at=now - dt.timedelta(days=12),
        return_deadline=now - dt.timedelta(days=5),
    )
    return entry.pk


def test_the_ministry_reminds_the_agency_of_stuck_work_and_the_operator_sees_it(watched_page: Any, site: str) -> None:
    page = watched_page
    entry_pk = _stuck_work()
    sign_in(page, site, "kemen-admin")
    page.get_by_role("link", name="Verifikasi", exact=True).click()
    page.get_by_test_id("stuck-board-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pekerjaan tertahan")
    board = page.get_by_test_id("stuck-items")
    expect(board.locator("tbody tr")).to_have_count(2)
    expect(board.locator("tbody tr").first).to_contain_text("Kota Lubuk Linggau")  # the oldest first

    page.get_by_label("Provinsi").select_option(label="Sumatera Selatan")
    page.get_by_label("Umur minimum (hari)").fill("15")
    page.get_by_role("button", name="Saring").click()
    expect(board.locator("tbody tr")).to_have_count(1)
    expect(board).to_contain_text("Dikirim, belum diverifikasi provinsi")

    page.get_by_label("Umur minimum (hari)").fill("10")
    page.get_by_label("Jenis").select_option(label="Dikembalikan, belum diperbaiki")
    page.get_by_role("button", name="Saring").click()
    row = page.locator(f"#stuck-dikembalikan-{entry_pk}")
    expect(row).to_contain_text("Dinas Kesehatan, Disdukcapil")
    expect(row).to_contain_text("Operator Instansi")
    row.get_by_role("button", name="Ingatkan").click()
    expect(page.locator("main")).to_contain_text(
        "Pengingat dikirim kepada Dinas Kesehatan, Disdukcapil (1 orang): Kota Palembang."
    )
    expect(page.get_by_label("Jenis")).to_have_value("dikembalikan")  # back on the filtered board
    expect(row).to_contain_text("Sudah diingatkan hari ini")
    row.get_by_role("button", name="Ingatkan").click()
    expect(page.locator("main")).to_contain_text("sudah dikirim hari ini")

    page.get_by_role("button", name="Keluar").click()
    sign_in(page, site, "opd-palembang")
    bell = page.locator("#notification-bell")
    expect(bell).not_to_have_attribute("data-unread", "0")
    bell.click()
    expect(page.locator("main")).to_contain_text("Pengingat: pekerjaan tertahan 12 hari · Kota Palembang")
    expect(page.locator("main")).to_contain_text("Diingatkan oleh")
