"""The ministry administrator's calendar journeys in a real browser: the new-cycle form arrives with its suggested
dates filled (ISO in the date inputs), refuses stages typed in reverse order naming them, and a stage's deadline is
extended for one kabupaten/kota, whose secretariat is told by email."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_new_cycle_dates_arrive_filled_and_a_reversed_calendar_is_refused(watched_page: Any, site: str) -> None:
    page = watched_page
    sign_in(page, site, "kemen-admin")
    page.goto(f"{site}/siklus/baru/")
    start = page.get_by_label("Evaluasi mandiri (EM): mulai")
    assert start.input_value() == timezone.localdate().isoformat()  # was empty: filled as DD-MM-YYYY
    assert page.get_by_label("Pengumuman: batas waktu").input_value() != ""

    page.get_by_label("Kode siklus").fill("evaluasi-kla-2027")
    page.get_by_label(re.compile(r"^Nama:?$")).fill("Evaluasi KLA 2027")
    page.get_by_label("Tahun").fill("2027")
    page.get_by_label("Instrumen").select_option(index=1)
    page.get_by_label("Verifikasi lapangan untuk").select_option("level_rise")
    start.fill("2027-03-01")
    page.get_by_label("Evaluasi mandiri (EM): batas waktu").fill("2027-04-30")
    page.get_by_label("Verifikasi administrasi oleh provinsi: mulai").fill("2027-02-01")
    page.get_by_label("Verifikasi administrasi oleh provinsi: batas waktu").fill("2027-02-28")
    page.get_by_role("button", name="Buat siklus").click()
    expect(
        page.get_by_text("Tahap verifikasi administrasi oleh provinsi dimulai (1 Februari 2027) sebelum")
    ).to_be_visible()
    expect(page.get_by_text("Pilih batas waktu paling cepat 30 April 2027.")).to_be_visible()

    calendar = [  # the province starts while the self-assessment still runs: overlapping is fine
        ("Verifikasi administrasi oleh provinsi", "2027-04-01", "2027-05-31"),
        ("Verifikasi administrasi Kementerian", "2027-06-01", "2027-07-31"),
        ("Verifikasi lapangan", "2027-08-01", "2027-09-30"),
        ("Verifikasi akhir dan penetapan", "2027-10-01", "2027-10-31"),
        ("Pengumuman", "2027-11-01", "2027-11-30"),
    ]
    for stage, opens, closes in calendar:
        page.get_by_label(f"{stage}: mulai").fill(opens)
        page.get_by_label(f"{stage}: batas waktu").fill(closes)
    page.get_by_role("button", name="Buat siklus").click()
    page.wait_for_url(f"{site}/siklus/evaluasi-kla-2027/")
    expect(page.get_by_text("satu tingkat atau lebih")).to_be_visible()


def test_the_ministry_extends_the_self_assessment_for_one_kabupaten_kota(
    watched_page: Any, site: str, mailoutbox: list[Any]
) -> None:
    page = watched_page
    sign_in(page, site, "kemen-admin")
    page.goto(f"{site}/siklus/evaluasi-kla-demo/")
    page.get_by_role("link", name="Perpanjang batas waktu").click()
    new_day = timezone.localdate() + dt.timedelta(days=40)
    page.get_by_label("Tahap").select_option(label="Evaluasi mandiri (EM)")
    page.get_by_label("Batas waktu baru").fill(new_day.isoformat())
    page.get_by_label("Wilayah terpilih").check()
    page.get_by_label(re.compile(r"^Wilayah:?$")).select_option(["16.71"])
    page.get_by_label("Alasan").fill("Banjir di Palembang")
    mailoutbox.clear()  # what the demo's seeding sent (the cycle opened) is not this test's
    page.get_by_role("button", name="Perpanjang").click()
    page.wait_for_url(f"{site}/siklus/evaluasi-kla-demo/")
    expect(page.get_by_text("untuk 1 kabupaten/kota")).to_be_visible()
    assert [m.to for m in mailoutbox] == [["gt-palembang@demo.kla.invalid"]]
    assert "Banjir di Palembang" in mailoutbox[0].body
