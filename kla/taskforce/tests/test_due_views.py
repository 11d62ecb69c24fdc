"""Overdue follow-ups through the HTTP stack: the secretariat's evaluation dashboard and Tugas saya, the owner
agency's operator's Tugas saya, completing one from there (audited), and task-force file downloads audited.

Due dates are set relative to the platform's today (`selectors.today()`, the day the pages use); the day-exact reads
are tested with a fixed `today` in test_due_selectors.py."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kla.accounts.models import Membership, User
from kla.accounts.roles import Role
from kla.core.models import AuditEvent
from kla.evaluations.models import Evaluation
from kla.evidence.tests import files
from kla.taskforce import selectors, services
from kla.taskforce.models import FollowUp, Meeting
from kla.taskforce.tests import builders as b

pytestmark = pytest.mark.django_db

PANEL = "Tindak lanjut rapat Gugus Tugas"


def _due(days: int) -> dt.date:
    return selectors.today() + dt.timedelta(days=days)


def _add(meeting: Meeting, kind: str, days: int, text: str, code: str = b.PALEMBANG) -> FollowUp:
    return services.follow_up_add(
        meeting=meeting, owner=b.agency(kind, code), description=text, due_date=_due(days), by=None
    )


def _evaluation_url(code: str = b.PALEMBANG) -> str:
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id=code)
    return reverse("evaluations:evaluation_detail", args=[evaluation.pk])


def _dinkes_operator() -> Client:
    """An operator of Dinas Kesehatan Palembang (another agency than the demo operator's Disdukcapil)."""
    user = User.objects.create_user(username="opd-dinkes-palembang", full_name="Operator Dinkes")
    Membership.objects.create(user=user, role=Role.OPD_OPERATOR.value, region_id=b.PALEMBANG, agency=b.agency("DINKES"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def overdue() -> dict[str, FollowUp]:
    """Palembang: Disdukcapil 3 days late, Dinkes 12 days late, Disdukcapil due in 2 days; Lubuk Linggau: one late."""
    meeting = b.held_meeting()
    return {
        "capil": _add(meeting, "DISDUKCAPIL", -3, "Akta kelahiran untuk anak di kelurahan Palembang."),
        "dinkes": _add(meeting, "DINKES", -12, "Imunisasi dasar lengkap di puskesmas."),
        "soon": _add(meeting, "DISDUKCAPIL", 2, "Data KIA per kecamatan."),
        "other": _add(b.held_meeting(b.LUBUKLINGGAU), "DINKES", -5, "Rahasia Lubuk Linggau.", b.LUBUKLINGGAU),
    }


def test_the_secretariat_sees_the_regions_overdue_follow_ups_on_the_dashboard(
    client_for: Callable[[str], Client], overdue: dict[str, FollowUp]
) -> None:
    response = client_for("secretariat").get(_evaluation_url())
    page = response.content.decode()
    assert PANEL in page
    capil, dinkes = overdue["capil"], overdue["dinkes"]
    assert [r.follow_up.pk for r in response.context["follow_up_panel"].rows] == [dinkes.pk, capil.pk]
    assert "Akta kelahiran untuk anak" in page and "Terlambat 3 hari" in page and "Terlambat 12 hari" in page
    assert "Dinas Kesehatan" in page and f'href="/gugus-tugas/rakor/{capil.meeting_id}/#tl-{capil.pk}"' in page
    assert 'href="/gugus-tugas/wilayah/16.71/tindak-lanjut/?status=overdue"' in page
    assert "2 tindak lanjut melewati batas waktu." in page
    assert "1 tindak lanjut jatuh tempo dalam 7 hari ke depan." in page
    assert "Data KIA per kecamatan" not in page  # not late: counted, not listed
    assert "Rahasia Lubuk Linggau" not in page
    for persona in ("province", "ministry_verifier"):
        assert "Imunisasi dasar lengkap" in client_for(persona).get(_evaluation_url()).content.decode(), persona


def test_another_region_never_shows_and_a_region_without_any_says_so(
    client_for: Callable[[str], Client], overdue: dict[str, FollowUp]
) -> None:
    other = client_for("other_secretariat")
    assert other.get(_evaluation_url()).status_code == 404
    page = other.get(_evaluation_url(b.LUBUKLINGGAU)).content.decode()
    assert "Rahasia Lubuk Linggau" in page and "Akta kelahiran" not in page and "Imunisasi" not in page
    FollowUp.objects.filter(region_id=b.LUBUKLINGGAU).update(status=FollowUp.Status.DONE)
    assert "Tidak ada tindak lanjut yang terlambat." in other.get(_evaluation_url(b.LUBUKLINGGAU)).content.decode()


def test_an_operator_reading_the_dashboard_sees_their_agencys_only(
    client_for: Callable[[str], Client], overdue: dict[str, FollowUp]
) -> None:
    page = client_for("opd").get(_evaluation_url()).content.decode()
    assert "Akta kelahiran untuk anak" in page and "Imunisasi dasar" not in page


def test_tugas_saya_of_the_owner_agencys_operator(
    client_for: Callable[[str], Client], overdue: dict[str, FollowUp]
) -> None:
    today = _add(overdue["capil"].meeting, "DISDUKCAPIL", 0, "Rekap akta triwulan.")
    response = client_for("opd").get(reverse("evaluations:my_work"))
    page = response.content.decode()
    panel = response.context["own_follow_ups"]
    assert [r.follow_up.pk for r in panel.rows] == [overdue["capil"].pk, today.pk, overdue["soon"].pk]  # late first
    assert "Terlambat 3 hari" in page and "Jatuh tempo hari ini" in page and "2 hari lagi" in page
    assert "1 tindak lanjut melewati batas waktu." in page and "2 tindak lanjut jatuh tempo dalam 7 hari" in page
    assert 'href="/gugus-tugas/wilayah/16.71/tindak-lanjut/?status=open"' in page
    assert "Imunisasi dasar" not in page and "Rahasia Lubuk Linggau" not in page
    assert response.context["region_follow_ups"] is None
    dinkes = _dinkes_operator().get(reverse("evaluations:my_work")).content.decode()
    assert "Imunisasi dasar" in dinkes and "Terlambat 12 hari" in dinkes
    assert "Akta kelahiran" not in dinkes and "Data KIA" not in dinkes


def test_tugas_saya_of_the_secretariat_lists_the_regions_overdue_ones(
    client_for: Callable[[str], Client], overdue: dict[str, FollowUp]
) -> None:
    response = client_for("secretariat").get(reverse("evaluations:my_work"))
    page = response.content.decode()
    assert response.context["own_follow_ups"] is None
    assert "Akta kelahiran untuk anak" in page and "Imunisasi dasar" in page
    assert "Data KIA" not in page and "Rahasia Lubuk Linggau" not in page
    other = client_for("other_secretariat").get(reverse("evaluations:my_work")).content.decode()
    assert "Rahasia Lubuk Linggau" in other and "Akta kelahiran" not in other


def test_the_operator_completes_it_from_the_meeting_page_and_it_is_audited(
    client_for: Callable[[str], Client], user_of: Callable[[str], User], overdue: dict[str, FollowUp]
) -> None:
    client, capil = client_for("opd"), overdue["capil"]
    work = client.get(reverse("evaluations:my_work")).content.decode()
    link = re.search(rf'href="(/gugus-tugas/rakor/\d+/)#tl-{capil.pk}"', work)
    assert link is not None
    meeting_page = client.get(link.group(1)).content.decode()
    action = f'action="/gugus-tugas/tindak-lanjut/{capil.pk}/selesai/"'
    assert f'id="tl-{capil.pk}"' in meeting_page and action in meeting_page
    assert "Imunisasi dasar" not in meeting_page  # another agency's follow-up of the same meeting
    response = client.post(
        f"/gugus-tugas/tindak-lanjut/{capil.pk}/selesai/",
        {"note": "Akta sudah terbit untuk 120 anak.", "back": link.group(1)},
        follow=True,
    )
    assert "Tindak lanjut sudah dicatat selesai." in response.content.decode()
    capil.refresh_from_db()
    operator = user_of("opd")
    assert capil.is_done and capil.completed_by == operator
    event = AuditEvent.objects.get(action="kla.taskforce.follow_up.completed", object_id=str(capil.pk))
    assert event.actor == operator and event.region_code == b.PALEMBANG
    assert event.after is not None and event.after["completion_note"] == "Akta sudah terbit untuk 120 anak."
    after = client.get(reverse("evaluations:my_work"))
    assert [r.follow_up.pk for r in after.context["own_follow_ups"].rows] == [overdue["soon"].pk]


def test_an_operator_of_another_agency_cannot_complete_it(overdue: dict[str, FollowUp]) -> None:
    client, capil = _dinkes_operator(), overdue["capil"]
    meeting_page = client.get(f"/gugus-tugas/rakor/{capil.meeting_id}/").content.decode()
    assert f"/gugus-tugas/tindak-lanjut/{capil.pk}/selesai/" not in meeting_page
    assert f"/gugus-tugas/tindak-lanjut/{overdue['dinkes'].pk}/selesai/" in meeting_page
    assert client.post(f"/gugus-tugas/tindak-lanjut/{capil.pk}/selesai/", {"note": "x"}).status_code == 404
    capil.refresh_from_db()
    assert not capil.is_done
    assert not AuditEvent.objects.filter(action="kla.taskforce.follow_up.completed").exists()


def test_task_force_file_downloads_are_audited(
    client_for: Callable[[str], Client], user_of: Callable[[str], User], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = b.held_meeting()
    document = services.minutes_add(
        meeting=meeting, upload=SimpleUploadedFile("notulen.pdf", files.pdf()), by=user_of("secretariat")
    )
    url = f"/gugus-tugas/berkas/{document.pk}/"
    response = client_for("opd").get(url, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"] and "sandbox" in response["Content-Security-Policy"]
    event = AuditEvent.objects.get(action="kla.taskforce.document.downloaded")
    assert (event.actor, event.object_id, event.region_code, event.ip) == (
        user_of("opd"),
        str(document.pk),
        b.PALEMBANG,
        "10.1.2.3",
    )
    assert client_for("other_secretariat").get(url).status_code == 404
    (tmp_path / document.file.name).unlink()
    gone = client_for("secretariat").get(url)
    assert gone.status_code == 404 and "tidak ada lagi di penyimpanan" in gone.content.decode()
    assert AuditEvent.objects.filter(action="kla.taskforce.document.downloaded").count() == 1
