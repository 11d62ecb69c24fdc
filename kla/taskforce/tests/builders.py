"""Data for task-force tests, the persona matrix, the IDOR replay and the query-scale test: Palembang's task force
built through the real services (by None: the system), so every row is what production would write."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kla.agencies.models import Agency
from kla.agencies.services import agency_ensure
from kla.regions.models import Region
from kla.taskforce import services
from kla.taskforce.models import Decree, FollowUp, Meeting, Member
from kla.taskforce.rules import TaskForceRole

PALEMBANG = "16.71"
LUBUKLINGGAU = "16.73"
SUMSEL = "16"


def region(code: str = PALEMBANG) -> Region:
    return Region.objects.select_related("parent").get(code=code)


def agency(kind: str = "DISDUKCAPIL", code: str = PALEMBANG) -> Agency:
    return agency_ensure(region=region(code), kind=kind, by=None)


def decree(code: str = PALEMBANG) -> Decree:
    found = Decree.objects.filter(region_id=code, in_force=True).first()
    if found is not None:
        return found
    facts = services.DecreeFacts(
        number=f"188.45/{code}/2025",
        date=dt.date(2025, 1, 6),
        signer="Wali Kota",
        valid_from=dt.date(2025, 1, 6),
    )
    return services.decree_record(region=region(code), facts=facts, by=None)


def member(code: str = PALEMBANG, role: TaskForceRole = TaskForceRole.ANGGOTA, person: str = "Siti Aminah") -> Member:
    return services.member_add(
        region=region(code),
        agency=agency("DPPPA", code),
        person_name=person,
        position="Kepala Dinas",
        role=role,
        start=dt.date(2025, 1, 6),
        by=None,
    )


def held_meeting(code: str = PALEMBANG) -> Meeting:
    """A meeting yesterday, held, with one attending agency."""
    area = region(code)
    host = agency("DPPPA", code)
    meeting = services.meeting_plan(
        region=area,
        title="Rakor Gugus Tugas KLA",
        starts_at=timezone.now() - dt.timedelta(days=1),
        place="Ruang rapat Dinas PPPA",
        invited=[host.pk, agency("DISDUKCAPIL", code).pk],
        by=None,
    )
    return services.meeting_hold(meeting=meeting, attendance={host.pk: "Kepala Dinas"}, minutes="Dibuka.", by=None)


def planned_meeting(code: str = PALEMBANG) -> Meeting:
    return services.meeting_plan(
        region=region(code),
        title="Rakor triwulan",
        starts_at=timezone.now() + dt.timedelta(days=7),
        online_link="https://rapat.example.invalid/gt",
        invited=[agency("DPPPA", code).pk],
        by=None,
    )


def follow_up(code: str = PALEMBANG, *, due: dt.date | None = None, kind: str = "DISDUKCAPIL") -> FollowUp:
    return services.follow_up_add(
        meeting=held_meeting(code),
        owner=agency(kind, code),
        description="Menerbitkan akta kelahiran anak di kelurahan.",
        due_date=due or timezone.localdate() + dt.timedelta(days=30),
        by=None,
    )


def past_planned_meeting(code: str = PALEMBANG) -> Meeting:
    """A meeting planned for an hour ago, not yet recorded as held."""
    return services.meeting_plan(
        region=region(code),
        title="Rakor bulanan",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        place="Aula Dinas PPPA",
        invited=[agency("DPPPA", code).pk],
        by=None,
    )


def scale_meeting() -> Meeting:
    """Palembang's task force with a decree, members, a held meeting and follow-ups (one overdue), built once (on top
    of a task force the national seed may already have given Palembang)."""
    found = Meeting.objects.filter(region_id=PALEMBANG, title="Rakor skala").first()
    if found is not None:
        return found
    decree()
    if not Member.objects.filter(region_id=PALEMBANG, role=TaskForceRole.KETUA, end__isnull=True).exists():
        member(role=TaskForceRole.KETUA, person="Wali Kota Palembang")  # a seeded task force has its chair
    member(person="Siti Aminah")
    meeting = held_meeting()
    meeting.title = "Rakor skala"
    meeting.save(update_fields=["title"])
    for kind, days in (("DISDUKCAPIL", -3), ("BAPPEDA", 10)):
        services.follow_up_add(
            meeting=meeting,
            owner=agency(kind),
            description="Tindak lanjut.",
            due_date=timezone.localdate() + dt.timedelta(days=days),
            by=None,
        )
    return meeting
