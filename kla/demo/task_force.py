"""Palembang's Gugus Tugas KLA in the demo (`task_force_data.py`), written through the task force's own services
(audited, files through the upload intake), so the demo pages show what a secretariat would have recorded.

Idempotent: each part is written only when it is missing (the decree when Palembang has none, a member when that
person does not hold that role yet, a meeting when no meeting of that title exists), so running it again writes
nothing. It runs after `demo_seed` (the regions, Palembang's agencies); `manage.py seed_demo` runs both.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from kla.agencies.models import Agency
from kla.agencies.services import agency_ensure
from kla.core.formatting import format_date
from kla.demo import task_force_data as data
from kla.demo.data import PALEMBANG, PALEMBANG_AGENCIES, PROVINCE
from kla.demo.files import pdf_bytes
from kla.regions.models import Region
from kla.taskforce import services
from kla.taskforce.models import Decree, Meeting, Member

NOTE = "Data demo platform KLA; bukan dokumen resmi Pemerintah Kota Palembang."


@dataclass
class TaskForceReport:
    agencies: int = 0
    decree: bool = False
    members: int = 0
    meetings: int = 0
    follow_ups: int = 0

    @property
    def created(self) -> bool:
        return bool(self.agencies or self.decree or self.members or self.meetings or self.follow_ups)


@transaction.atomic
def demo_task_force(*, now: dt.datetime | None = None) -> TaskForceReport:
    """Palembang's task force: agencies, decree with its file, members, a held and a planned meeting."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = TaskForceReport()
    palembang = Region.objects.select_related("parent").get(code=PALEMBANG)
    before = Agency.objects.count()
    agencies = {kind: agency_ensure(region=palembang, kind=kind, by=None) for kind in PALEMBANG_AGENCIES}
    agencies |= {kind: agency_ensure(region=palembang, kind=kind, by=None) for kind in data.TASK_FORCE_AGENCIES}
    province = Region.objects.get(code=PROVINCE)
    agencies |= {kind: agency_ensure(region=province, kind=kind, by=None) for kind in data.PROVINCE_AGENCIES}
    report.agencies = Agency.objects.count() - before
    start = _decree(palembang, today, report)
    _members(palembang, agencies, start, report)
    if not Meeting.objects.filter(region=palembang, title=data.HELD_TITLE).exists():
        _held_meeting(palembang, agencies, today, report)
    if not Meeting.objects.filter(region=palembang, title=data.PLANNED_TITLE).exists():
        services.meeting_plan(
            region=palembang,
            title=data.PLANNED_TITLE,
            starts_at=_at(today + dt.timedelta(days=data.PLANNED_DAYS), 9),
            place=data.PLANNED_PLACE,
            chair=data.HELD_CHAIR,
            agenda=data.PLANNED_AGENDA,
            invited=_invited(agencies),
            by=None,
        )
        report.meetings += 1
    return report


def _at(day: dt.date, hour: int) -> dt.datetime:
    """`hour` o'clock on `day` in the platform's zone (WIB for Palembang)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _pdf(name: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    wrapped = [part for line in [*lines, "", NOTE] for part in (textwrap.wrap(line, 85) or [""])]
    return SimpleUploadedFile(name, pdf_bytes(title, wrapped), content_type="application/pdf")


def _decree(region: Region, today: dt.date, report: TaskForceReport) -> dt.date:
    """The decree in force (recorded with its file when Palembang has none); returns the day membership starts."""
    existing = Decree.objects.filter(region=region).order_by("-in_force", "-date").first()
    if existing is not None:
        return existing.valid_from
    spec = data.DECREE
    day = today + dt.timedelta(days=spec.days)
    facts = services.DecreeFacts(
        number=spec.number.format(number="0457", year=day.year),
        date=day,
        signer=spec.signer,
        valid_from=day,
        valid_until=day.replace(year=day.year + spec.years_valid) - dt.timedelta(days=1),
    )
    lines = [
        f"Nomor {facts.number}",
        "Tentang Gugus Tugas Kabupaten/Kota Layak Anak Kota Palembang",
        f"Ditetapkan di Palembang pada tanggal {format_date(day)}",
        f"Berlaku sampai {format_date(facts.valid_until or day)}",
        spec.signer,
    ]
    upload = _pdf(data.DECREE_FILE, "Keputusan Wali Kota Palembang", lines)
    services.decree_record(region=region, facts=facts, upload=upload, by=None, today=today)
    report.decree = True
    return day


def _members(region: Region, agencies: dict[str, Agency], start: dt.date, report: TaskForceReport) -> None:
    held = set(Member.objects.filter(region=region).values_list("person_name", "role"))
    for spec in data.MEMBERS:
        if (spec.person_name, spec.role.value) in held:
            continue
        services.member_add(
            region=region,
            agency=agencies[spec.agency_kind],
            person_name=spec.person_name,
            position=spec.position,
            role=spec.role,
            start=start,
            duties=spec.duties,
            by=None,
        )
        report.members += 1


def _invited(agencies: dict[str, Agency]) -> list[int]:
    """Every agency with a member on the task force."""
    return sorted({agencies[m.agency_kind].pk for m in data.MEMBERS})


def _held_meeting(region: Region, agencies: dict[str, Agency], today: dt.date, report: TaskForceReport) -> None:
    """The rakor two months ago: attendance, minutes text and file, three follow-ups (overdue, done, not yet due)."""
    day = today + dt.timedelta(days=data.HELD_DAYS)
    meeting = services.meeting_plan(
        region=region,
        title=data.HELD_TITLE,
        starts_at=_at(day, 9),
        place=data.HELD_PLACE,
        chair=data.HELD_CHAIR,
        agenda=data.HELD_AGENDA,
        invited=_invited(agencies),
        by=None,
    )
    absent = {agencies[kind].pk for kind in data.HELD_ABSENT}
    who: dict[int, list[str]] = {}
    for m in data.MEMBERS:
        if agencies[m.agency_kind].pk not in absent:
            who.setdefault(agencies[m.agency_kind].pk, []).append(m.position)
    meeting = services.meeting_hold(
        meeting=meeting,
        attendance={pk: "; ".join(names) for pk, names in who.items()},
        minutes=data.HELD_MINUTES,
        decisions=data.HELD_DECISIONS,
        by=None,
        now=_at(day, 13),
    )
    lines = [f"{format_date(day)}, {data.HELD_PLACE}", f"Pimpinan rapat: {data.HELD_CHAIR}", "", data.HELD_DECISIONS]
    services.minutes_add(meeting=meeting, upload=_pdf(data.MINUTES_FILE, "Notulen " + data.HELD_TITLE, lines), by=None)
    for spec in data.FOLLOW_UPS:
        follow_up = services.follow_up_add(
            meeting=meeting,
            owner=agencies[spec.owner_kind],
            description=spec.description,
            due_date=today + dt.timedelta(days=spec.due_days),
            by=None,
        )
        if spec.done_days is not None:
            done_on = _at(today + dt.timedelta(days=spec.done_days), 14)
            services.follow_up_complete(follow_up=follow_up, note=spec.note, by=None, now=done_on)
        report.follow_ups += 1
    report.meetings += 1
