"""Palembang's Gugus Tugas KLA in the demo: decree with its file, members in every role, a held rakor with
attendance, minutes and three follow-ups (one overdue), a planned rakor; written once however often it runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kla.agencies.catalogue import Group
from kla.agencies.models import Agency
from kla.core.models import AuditEvent
from kla.demo import task_force_data as data
from kla.demo.task_force import TaskForceReport, demo_task_force
from kla.regions.levels import Level
from kla.taskforce.models import Attendance, Decree, Document, FollowUp, Meeting, Member
from kla.taskforce.rules import TaskForceRole

pytestmark = pytest.mark.django_db
PALEMBANG = "16.71"


@pytest.fixture
def seeded(settings: Any, tmp_path: Path) -> TaskForceReport:
    settings.MEDIA_ROOT = tmp_path
    return demo_task_force()


def _counts() -> tuple[int, ...]:
    models = (Agency, Decree, Member, Meeting, Attendance, FollowUp, Document, AuditEvent)
    return tuple(m.objects.count() for m in models)


def test_the_agencies_of_the_task_force(seeded: TaskForceReport) -> None:
    kinds = set(Agency.objects.filter(region_id=PALEMBANG).values_list("kind", flat=True))
    assert {"DPPPA", "DISDUKCAPIL", "DISDIK", "DINKES", "DINSOS", "DPUPR", "BAPPEDA"} <= kinds
    assert {"KEJAKSAAN", "BAPAS", "PN", "PA", "FORUM_ANAK", "PKK", "MEDIA", "DUNIA_USAHA"} <= kinds
    assert "KEMENKUMHAM" not in kinds  # a Kantor Wilayah is provincial: registered at the province
    assert seeded.agencies == len(data.TASK_FORCE_AGENCIES) + len(data.PROVINCE_AGENCIES)


def test_the_decree_is_in_force_with_a_real_pdf(seeded: TaskForceReport, tmp_path: Path) -> None:
    decree = Decree.objects.select_related("document").get(region_id=PALEMBANG)
    today = timezone.localdate()
    assert decree.in_force and decree.signer == "Wali Kota Palembang" and decree.number.startswith("188.45/")
    assert decree.valid_from <= today and decree.valid_until is not None and decree.valid_until > today
    document = decree.document
    assert document is not None and document.kind == Document.Kind.DECREE and document.mime == "application/pdf"
    content = (tmp_path / document.file.name).read_bytes()
    assert content.startswith(b"%PDF-") and hashlib.sha256(content).hexdigest() == document.sha256
    assert AuditEvent.objects.filter(action="kla.taskforce.decree.recorded", region_code=PALEMBANG).count() == 1


def test_members_in_every_role_with_the_provincial_kanwil(seeded: TaskForceReport) -> None:
    members = list(Member.objects.filter(region_id=PALEMBANG).select_related("agency__region"))
    assert len(members) == len(data.MEMBERS) == seeded.members
    roles = Counter(m.role for m in members)
    assert roles[TaskForceRole.KETUA] == 1 and roles[TaskForceRole.SEKRETARIS] == 1
    for role in ("koordinator_1", "koordinator_2", "koordinator_3", "koordinator_4", "koordinator_5"):
        assert roles[role] == 1, role
    by_kind = {m.agency.kind: m for m in members}
    assert by_kind["BAPPEDA"].role == TaskForceRole.KETUA and by_kind["DPPPA"].agency.kind == "DPPPA"
    assert any(m.role == TaskForceRole.SEKRETARIS and m.agency.kind == "DPPPA" for m in members)
    kanwil = by_kind["KEMENKUMHAM"]
    assert kanwil.agency.region_id == "16" and kanwil.agency.region.level == Level.PROVINSI
    assert kanwil.agency.kind_spec.level is Level.PROVINSI
    assert {"KEJAKSAAN", "BAPAS", "PN", "PA"} <= set(by_kind)
    non_government = {m.agency.kind for m in members if m.agency.kind_spec.group is Group.NON_GOVERNMENT}
    assert {"FORUM_ANAK", "PKK", "MEDIA", "DUNIA_USAHA"} <= non_government


def test_a_held_meeting_with_minutes_and_follow_ups_and_a_planned_one(seeded: TaskForceReport) -> None:
    now, today = timezone.now(), timezone.localdate()
    held = Meeting.objects.get(region_id=PALEMBANG, status=Meeting.Status.HELD)
    planned = Meeting.objects.get(region_id=PALEMBANG, status=Meeting.Status.PLANNED)
    assert 55 <= (today - timezone.localdate(held.starts_at)).days <= 65 and planned.starts_at > now
    assert held.place and held.chair and held.agenda and held.minutes and held.decisions
    invited = set(held.invited.values_list("pk", flat=True))
    came = set(held.attendance.values_list("agency_id", flat=True))
    assert came < invited and len(invited - came) == len(data.HELD_ABSENT)
    assert all(held.attendance.values_list("attendees", flat=True))
    minutes = held.documents.get()
    assert minutes.kind == Document.Kind.MINUTES and minutes.mime == "application/pdf"
    follow_ups = list(held.follow_ups.select_related("owner"))
    assert len(follow_ups) == 3 == seeded.follow_ups
    overdue = [f for f in follow_ups if f.overdue_on(today)]
    done = [f for f in follow_ups if f.is_done]
    waiting = [f for f in follow_ups if not f.is_done and f.due_date >= today]
    assert len(overdue) == len(done) == len(waiting) == 1
    assert overdue[0].owner.kind == "DISDUKCAPIL"
    assert done[0].completion_note and done[0].completed_at is not None and done[0].completed_at < now
    assert planned.invited.count() == len(invited) and not planned.follow_ups.exists()


def test_seeding_twice_writes_nothing(seeded: TaskForceReport, tmp_path: Path) -> None:
    assert seeded.created
    counts, files = _counts(), sorted(tmp_path.rglob("*.pdf"))
    assert len(files) == 2  # the decree and the minutes
    again = demo_task_force()
    assert not again.created
    assert _counts() == counts and sorted(tmp_path.rglob("*.pdf")) == files


def test_the_pages_show_the_overdue_follow_up(seeded: TaskForceReport, client_for: Any) -> None:
    client: Client = client_for("secretariat")
    page = client.get("/gugus-tugas/wilayah/16.71/tindak-lanjut/?status=overdue").content.decode()
    assert "akta kelahiran jemput bola" in page
    assert "Kemenkumham" in client.get("/gugus-tugas/wilayah/16.71/").content.decode()


def test_the_command_loads_the_task_force_once(settings: Any, tmp_path: Path) -> None:
    settings.DEBUG, settings.MEDIA_ROOT = True, tmp_path
    first = io.StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=first)
    assert "Gugus Tugas KLA Kota Palembang" in first.getvalue()
    second = io.StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=second)
    assert "sudah ada" in second.getvalue()
    assert Decree.objects.filter(region_id=PALEMBANG).count() == 1
    assert FollowUp.objects.filter(region_id=PALEMBANG, due_date__lt=timezone.localdate() - dt.timedelta(days=1))


def test_the_records_answer_the_institutional_questions(seeded: TaskForceReport) -> None:
    """2.1 (decree, every cluster coordinated), 2.2 (a meeting with minutes), 3.4 (civil society, business, media)."""
    from kla.taskforce.offers import DECREE, MEETINGS, MEMBERS, TaskForceRecords

    offers = TaskForceRecords().offers(
        region_code=PALEMBANG, records=frozenset({DECREE, MEETINGS, MEMBERS}), on=timezone.localdate()
    )
    by_record = {o.record: o for o in offers}
    assert "Setiap klaster (I–V) memiliki koordinator." in by_record[DECREE].facts
    assert by_record[DECREE].files and by_record[DECREE].files[0].file.kind == "pdf"
    assert "Ketiga unsur tercatat sebagai anggota yang menjabat hari ini." in by_record[MEMBERS].facts
    assert "1 kali (1 dengan berkas notulen)" in " ".join(by_record[MEETINGS].facts)
    assert len(by_record[MEETINGS].files) == 1
