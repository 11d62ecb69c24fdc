"""The task-force pages through the HTTP stack: the page on a past date, plan and hold a meeting with attendance,
a real minutes upload, follow-ups with overdue marked, and refusals shown as messages with nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kla.evidence.tests import files
from kla.taskforce.models import Decree, Document, FollowUp, Meeting, Member
from kla.taskforce.tests import builders as b

pytestmark = pytest.mark.django_db


def _messages(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_the_index_sends_a_kabkota_user_to_their_task_force(client_for: Callable[[str], Client]) -> None:
    response = client_for("secretariat").get("/gugus-tugas/")
    assert response.status_code == 302 and response.url == "/gugus-tugas/wilayah/16.71/"
    page = client_for("province").get("/gugus-tugas/")
    assert page.status_code == 200 and "Kota Palembang" in page.content.decode()


def test_the_secretariat_records_a_decree_and_members(
    client_for: Callable[[str], Client], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for("secretariat")
    response = client.post(
        "/gugus-tugas/wilayah/16.71/sk/",
        {
            "number": "188.45/12/2025",
            "date": "2025-01-06",
            "signer": "Wali Kota Palembang",
            "valid_from": "2025-01-06",
            "file": SimpleUploadedFile("sk.pdf", files.pdf()),
        },
        follow=True,
    )
    assert "SK Gugus Tugas sudah dicatat." in _messages(response)
    decree = Decree.objects.get(region_id=b.PALEMBANG)
    assert decree.document is not None and decree.document.kind == Document.Kind.DECREE
    data = {
        "agency": b.agency("DPPPA").pk,
        "person_name": "Siti Aminah",
        "position": "Kepala Dinas PPPA",
        "role": "sekretaris",
        "start": "2025-01-06",
        "end": "2025-12-31",
    }
    client.post("/gugus-tugas/wilayah/16.71/anggota/", data)
    again = client.post("/gugus-tugas/wilayah/16.71/anggota/", {**data, "start": "2025-06-01"}, follow=True)
    assert "sudah tercatat sebagai Sekretaris" in _messages(again)
    assert Member.objects.filter(region_id=b.PALEMBANG).count() == 1
    past = client.get("/gugus-tugas/wilayah/16.71/?on=2025-03-01").content.decode()
    assert "Siti Aminah" in past and "188.45/12/2025" in past and "6 Januari 2025" in past
    later = client.get("/gugus-tugas/wilayah/16.71/?on=2026-03-01").content.decode()
    assert "Siti Aminah" not in later and "Tidak ada anggota yang bertugas" in later
    bad = client.get("/gugus-tugas/wilayah/16.71/?on=kemarin").content.decode()
    assert "Tanggal tidak dapat dibaca" in bad


def test_the_province_reads_but_does_not_manage_a_kabkota(client_for: Callable[[str], Client]) -> None:
    client = client_for("province")
    page = client.get("/gugus-tugas/wilayah/16.71/").content.decode()
    assert "Tambah anggota" not in page
    assert client.post("/gugus-tugas/wilayah/16.71/anggota/", {}).status_code == 403
    province_page = client.get("/gugus-tugas/wilayah/16/").content.decode()
    assert "Tambah anggota" in province_page and 'href="/gugus-tugas/wilayah/16.71/"' in province_page


def test_plan_hold_minutes_and_follow_ups(client_for: Callable[[str], Client], settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for("secretariat")
    host, capil = b.agency("DPPPA"), b.agency("DISDUKCAPIL")
    when = (timezone.localtime() - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        "/gugus-tugas/wilayah/16.71/rakor/rencana/",
        {"title": "Rakor Gugus Tugas KLA", "starts_at": when, "place": "Aula", "invited": [host.pk, capil.pk]},
    )
    meeting = Meeting.objects.get(region_id=b.PALEMBANG)
    page = client.get(f"/gugus-tugas/rakor/{meeting.pk}/").content.decode()
    assert f'name="present" value="{capil.pk}"' in page
    response = client.post(
        f"/gugus-tugas/rakor/{meeting.pk}/laksana/",
        {
            "present": [host.pk, capil.pk],
            f"attendees_{capil.pk}": "Kabid Capil",
            "minutes": "Dibuka.",
            "decisions": "Sepakat.",
        },
        follow=True,
    )
    assert "terlaksana" in _messages(response)
    meeting.refresh_from_db()
    assert meeting.is_held and meeting.attendance.count() == 2
    upload = client.post(
        f"/gugus-tugas/rakor/{meeting.pk}/notulen/", {"file": SimpleUploadedFile("notulen.pdf", files.pdf())}
    )
    assert upload.status_code == 302
    document = meeting.documents.get()
    assert (tmp_path / document.file.name).is_file()
    download = client_for("opd").get(f"/gugus-tugas/berkas/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    client.post(
        f"/gugus-tugas/rakor/{meeting.pk}/tindak-lanjut/",
        {"owner": capil.pk, "description": "Akta.", "due_date": yesterday},
    )
    follow_up = FollowUp.objects.get(meeting=meeting)
    overdue = client.get("/gugus-tugas/wilayah/16.71/tindak-lanjut/?status=overdue", headers={"HX-Request": "true"})
    assert "Lewat batas waktu" in overdue.content.decode() and "<html" not in overdue.content.decode()
    assert overdue["Vary"].count("HX-Request") == 1
    done = client_for("opd").post(f"/gugus-tugas/tindak-lanjut/{follow_up.pk}/selesai/", {"note": "Sudah terbit."})
    assert done.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.is_done


def test_refusals_come_back_as_messages_and_write_nothing(client_for: Callable[[str], Client]) -> None:
    client = client_for("secretariat")
    meeting = b.planned_meeting()
    response = client.post(
        f"/gugus-tugas/rakor/{meeting.pk}/laksana/", {"present": [b.agency("DPPPA").pk]}, follow=True
    )
    assert "jadwalnya belum tiba" in _messages(response)
    meeting.refresh_from_db()
    assert not meeting.is_held and not meeting.attendance.exists()
    other = b.agency("DPPPA", b.LUBUKLINGGAU)
    held = b.held_meeting()
    response = client.post(
        f"/gugus-tugas/rakor/{held.pk}/tindak-lanjut/",
        {"owner": other.pk, "description": "x", "due_date": "2026-01-01"},
        follow=True,
    )
    assert "Belum disimpan" in _messages(response) and not FollowUp.objects.exists()


def test_another_region_gets_404(client_for: Callable[[str], Client]) -> None:
    follow_up = b.follow_up()
    client = client_for("other_secretariat")
    for url in (
        "/gugus-tugas/wilayah/16.71/",
        f"/gugus-tugas/rakor/{follow_up.meeting_id}/",
        "/gugus-tugas/wilayah/16.71/tindak-lanjut/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/gugus-tugas/tindak-lanjut/{follow_up.pk}/selesai/", {"note": "x"}).status_code == 404
    assert client.get("/gugus-tugas/rakor/999999/").status_code == 404


def test_a_later_decree_replaces_the_one_in_force_and_a_member_ends(client_for: Callable[[str], Client]) -> None:
    client = client_for("secretariat")
    first = b.decree()
    body = {"number": "188.45/2/2026", "date": "2026-01-05", "signer": "Wali Kota", "valid_from": "2026-01-05"}
    refused = client.post("/gugus-tugas/wilayah/16.71/sk/", body, follow=True)
    assert "Ganti SK" in _messages(refused) and Decree.objects.filter(region_id=b.PALEMBANG).count() == 1
    client.post("/gugus-tugas/wilayah/16.71/sk/", {**body, "replace": "1"})
    first.refresh_from_db()
    assert not first.in_force and first.replaced_by is not None and first.replaced_by.number == "188.45/2/2026"
    history = client.get("/gugus-tugas/wilayah/16.71/?on=2025-06-01").content.decode()
    assert first.number in history and "Riwayat SK" in history
    member = b.member()
    client.post(f"/gugus-tugas/anggota/{member.pk}/selesai/", {"end": "2025-12-31"})
    member.refresh_from_db()
    assert member.end == dt.date(2025, 12, 31)


def test_the_ministry_chooses_a_province(client_for: Callable[[str], Client]) -> None:
    page = client_for("ministry_verifier").get("/gugus-tugas/").content.decode()
    assert "Sumatera Selatan" in page and "Gugus Tugas" in page
    assert client_for("no_role").get("/gugus-tugas/").status_code == 404
    nav = client_for("opd").get("/gugus-tugas/wilayah/16.71/").content.decode()
    assert 'href="/gugus-tugas/" aria-current="page"' in nav
