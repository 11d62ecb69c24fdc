"""The Gugus Tugas KLA of a kab/kota the demo never touched, in a real browser, the way its people work:

the ministry administrator creates the secretariat user; the secretariat registers agencies and an operator, records
the decree with its file and the members, plans a coordination meeting and records it as held with attendance,
minutes and follow-ups. The overdue follow-up shows on the evaluation dashboard and on the owner agency's *Tugas saya*;
the minutes are offered on the institutional indicator's entry and attached without a second upload. Every step is
found by clicking and every value typed, dates included.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from kla.evidence.tests.files import pdf
from tests.browser.conftest import sign_in
from tests.browser.test_agencies import PASSWORD, _create_user, _sign_in_with

pytestmark = pytest.mark.browser
OKU = "Kabupaten Ogan Komering Ulu"


def _set_password(page: Any, site: str, username: str) -> None:
    """Follow the e-mailed link, choose the password and sign in with it."""
    message = next(m for m in reversed(mail.outbox) if username in m.body or username in str(m.to))
    link = re.search(r"https?://\S+/akun/atur-sandi/\S+/", message.body)
    assert link is not None
    page.goto(link.group(0))
    page.locator("input[name=new_password1]").fill(PASSWORD)
    page.locator("input[name=new_password2]").fill(PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page.locator("main")).not_to_contain_text("Buat kata sandi baru")
    _sign_in_with(page, site, username, PASSWORD)


def _pick(page: Any, label: str, *parts: str) -> None:
    """Choose, in the drop-down `label`, the options whose text contains each of `parts` (as a person reads them)."""
    select = page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))
    texts = [t.strip() for t in select.locator("option").all_inner_texts()]
    chosen = [next((t for t in texts if part in t), f"{part} not in {texts}") for part in parts]
    select.select_option(label=chosen if len(chosen) > 1 else chosen[0])


def _register_agencies(page: Any) -> None:
    page.get_by_role("link", name="Instansi", exact=True).click()
    for kind in ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "Dinas Kependudukan dan Pencatatan Sipil"):
        page.get_by_label("Jenis instansi").select_option(label=kind)
        page.get_by_role("button", name="Tambah", exact=True).click()
        expect(page.locator("#registry table").first).to_contain_text(f"{kind} {OKU}")


def _record_decree_and_members(page: Any, tmp_path: Path, today: dt.date) -> None:
    page.get_by_role("link", name="Gugus Tugas", exact=True).click()
    page.get_by_role("link", name=OKU).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Gugus Tugas KLA {OKU}")
    sk = tmp_path / "SK Bupati Gugus Tugas KLA.pdf"
    sk.write_bytes(pdf(text="Keputusan Bupati Ogan Komering Ulu tentang Gugus Tugas KLA"))
    page.get_by_label("Nomor SK").fill("188.45/77/KPTS/2026")
    page.get_by_label("Tanggal SK").fill(f"{today - dt.timedelta(days=30):%Y-%m-%d}")
    page.get_by_label("Penanda tangan").fill("Bupati Ogan Komering Ulu")
    page.get_by_label("Berlaku mulai").fill(f"{today - dt.timedelta(days=30):%Y-%m-%d}")
    page.get_by_label("Berkas SK (PDF)").set_input_files(str(sk))
    page.get_by_role("button", name="Simpan SK").click()
    expect(page.locator("main")).to_contain_text("188.45/77/KPTS/2026")
    expect(page.locator("main")).to_contain_text("SK Bupati Gugus Tugas KLA.pdf")
    for agency, name, role in (
        ("Dinas PPPA", "Hj. Rosmala Dewi", "Sekretaris"),
        ("Disdukcapil", "Ahmad Fauzi", "Koordinator Klaster I"),
    ):
        _pick(page, "Instansi", agency)
        page.get_by_label(re.compile(r"^Nama:?$")).fill(name)
        page.get_by_label("Jabatan").fill("Kepala Dinas")
        page.get_by_label("Peran dalam Gugus Tugas").select_option(label=role)
        page.get_by_label(re.compile(r"^Mulai:?$")).fill(f"{today - dt.timedelta(days=30):%Y-%m-%d}")
        page.get_by_role("button", name="Tambah anggota").click()
        expect(page.locator("main")).to_contain_text(name)


def _plan_and_hold_meeting(page: Any, tmp_path: Path, today: dt.date) -> None:
    page.get_by_role("link", name="Lihat rapat koordinasi").click()
    page.get_by_label("Judul rapat").fill("Rakor Gugus Tugas KLA Triwulan IV")
    page.get_by_label("Tanggal dan waktu").fill(f"{today - dt.timedelta(days=3):%Y-%m-%d}T09:00")
    page.get_by_label("Tempat").fill("Ruang rapat Bappeda OKU")
    page.get_by_label("Pimpinan rapat").fill("Sekretaris Daerah")
    page.get_by_label("Dinas PPPA").check()
    page.get_by_label("Disdukcapil").check()
    page.get_by_role("button", name="Simpan rencana rapat").click()
    page.get_by_role("link", name="Rakor Gugus Tugas KLA Triwulan IV").click()
    page.get_by_label(re.compile("Dinas PPPA")).check()
    page.get_by_label(re.compile("Disdukcapil")).check()
    page.get_by_label(re.compile(r"^Notulen:?$")).fill("Setiap OPD melengkapi data anak dan bukti dukung.")
    page.get_by_role("button", name="Simpan pelaksanaan rapat").click()
    expect(page.locator("main")).to_contain_text("Terlaksana")
    minutes = tmp_path / "Notulen Rakor Triwulan IV.pdf"
    minutes.write_bytes(pdf(text="Notulen rapat koordinasi Gugus Tugas KLA Kabupaten Ogan Komering Ulu"))
    page.get_by_label("Berkas notulen").set_input_files(str(minutes))
    page.get_by_role("button", name="Unggah notulen").click()
    expect(page.locator("main")).to_contain_text("Notulen Rakor Triwulan IV.pdf")
    for what, due in (("Memutakhirkan data akta kelahiran anak", 1), ("Menyusun profil anak kecamatan", -14)):
        _pick(page, "Instansi penanggung jawab", "Disdukcapil")
        page.get_by_label(re.compile(r"^Tindak lanjut:?$")).fill(what)
        page.get_by_label("Batas waktu").fill(f"{today - dt.timedelta(days=due):%Y-%m-%d}")
        page.get_by_role("button", name="Tambah tindak lanjut").click()
        expect(page.locator("#tindak-lanjut ~ *").first).to_be_visible()
        expect(page.locator("main")).to_contain_text(what)


def test_a_new_kabkota_runs_its_task_force_and_reuses_its_minutes_as_evidence(
    watched_page: Any, site: str, tmp_path: Path
) -> None:
    page = watched_page
    today = timezone.localdate()
    sign_in(page, site, "kemen-admin")
    page.get_by_role("link", name="Pengguna").click()
    page.get_by_role("link", name="Tambah pengguna").click()
    _create_user(page, "gt-oku", "Sekretariat Gugus Tugas KLA", "16.01")
    page.get_by_role("button", name="Keluar").click()
    _set_password(page, site, "gt-oku")

    _register_agencies(page)
    page.get_by_role("link", name="Tambah Operator Instansi").click()
    _create_user(page, "opd-oku", "Operator Instansi", "16.01", f"{OKU} · Disdukcapil")
    _record_decree_and_members(page, tmp_path, today)
    _plan_and_hold_meeting(page, tmp_path, today)

    # the dashboard of the evaluation names the overdue follow-up
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Evaluasi", exact=True).click()
    page.get_by_role("link", name=OKU).first.click()
    panel = page.locator("main")
    expect(panel).to_contain_text("Tindak lanjut rapat Gugus Tugas")
    expect(panel).to_contain_text("Memutakhirkan data akta kelahiran anak")

    # the minutes are offered on the institutional indicator and attached without uploading them again
    page.get_by_role("link", name=re.compile("Penguatan Kelembagaan KLA")).click()
    offered = page.get_by_role("region", name="Catatan Gugus Tugas: rapat koordinasi")
    expect(offered).to_contain_text("1 kali (1 dengan berkas notulen)")
    offered.get_by_role("button", name="Lampirkan sebagai bukti").click()
    expect(offered).to_contain_text("Sudah dilampirkan")
    expect(page.locator(".evidence", has=offered)).to_contain_text("Dari: Notulen: Rakor Gugus Tugas KLA Triwulan IV")
    page.get_by_role("button", name="Keluar").click()

    # the owner agency's operator finds it on Tugas saya, late
    _set_password(page, site, "opd-oku")
    page.get_by_role("link", name="Tugas saya").click()
    mine = page.locator("main")
    expect(mine).to_contain_text("Memutakhirkan data akta kelahiran anak")
    expect(mine).to_contain_text("Terlambat 1 hari")

    # one stored object: the evidence row points at the task force's minutes file
    from kla.evidence.models import Evidence
    from kla.taskforce.models import Document

    linked = Evidence.objects.get(entry__evaluation__region_id="16.01", source="taskforce")
    assert linked.file.name == Document.objects.get(region_id="16.01", kind="minutes").file.name
