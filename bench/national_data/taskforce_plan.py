"""One kab/kota's Gugus Tugas KLA decided in memory (no database): its decree in force and the one it replaced,
members (the current ones and the former ketua), the coordination meetings of the last twelve months with
attendance and follow-ups, and one planned.

Everything is drawn from the region's own `random.Random`, so a region's task force does not depend on which
provinces were selected. Follow-ups whose due date has passed are mostly done; the rest are overdue.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone

from bench.national_data.constants import (
    FOLLOW_UPS_PER_MEETING,
    MEETINGS_PER_YEAR,
    MEMBERS_PER_TASK_FORCE,
    PROVINCE_TASKFORCE_KINDS,
)
from bench.national_data.names import person
from kla.agencies.catalogue import BY_CODE, Group
from kla.core.formatting import format_date
from kla.regions.models import Region
from kla.taskforce.rules import TaskForceRole

_K = TaskForceRole
# (agency kind, role, position heading, duties): the chair, the secretariat and the coordinators of every cluster
CORE: tuple[tuple[str, TaskForceRole, str, str], ...] = (
    ("BAPPEDA", _K.KETUA, "Kepala Bappeda", ""),
    ("DPPPA", _K.SEKRETARIS, "Kepala Dinas PPPA", "Sekretariat Gugus Tugas KLA."),
    ("DPPPA", _K.KOORDINATOR_KELEMBAGAAN, "Sekretaris Dinas PPPA", "Kelembagaan."),
    ("DISDUKCAPIL", _K.KOORDINATOR_I, "Kepala Disdukcapil", "Klaster I: hak sipil dan kebebasan."),
    ("DINSOS", _K.KOORDINATOR_II, "Kepala Dinas Sosial", "Klaster II: lingkungan keluarga dan pengasuhan."),
    ("DINKES", _K.KOORDINATOR_III, "Kepala Dinas Kesehatan", "Klaster III: kesehatan dasar dan kesejahteraan."),
    ("DISDIK", _K.KOORDINATOR_IV, "Kepala Dinas Pendidikan", "Klaster IV: pendidikan, waktu luang, budaya."),
    ("DPPPA", _K.KOORDINATOR_V, "Kepala Bidang Perlindungan Khusus Anak", "Klaster V: perlindungan khusus."),
)
AGENDAS = (
    "1. Persiapan evaluasi KLA.\n2. Pembagian tugas pengisian evaluasi mandiri dan bukti dukung.",
    "1. Capaian tiap klaster.\n2. Kesenjangan data anak.\n3. Tindak lanjut rapat sebelumnya.",
    "1. Rencana aksi daerah KLA.\n2. Anggaran responsif anak tahun berikutnya.",
    "1. Hasil verifikasi.\n2. Perbaikan bukti dukung yang dikembalikan.",
)
TASKS: dict[str, str] = {
    "DISDUKCAPIL": "Pelayanan akta kelahiran jemput bola di kecamatan; laporkan jumlah akta terbit.",
    "DISDIK": "Menyampaikan daftar Satuan Pendidikan Ramah Anak yang sudah ditetapkan.",
    "DINKES": "Menyampaikan data puskesmas ramah anak dan cakupan imunisasi dasar lengkap.",
    "DINSOS": "Memutakhirkan data anak terlantar dan lembaga pengasuhan anak.",
    "DPUPR": "Mendata ruang bermain ramah anak yang dibangun dan yang direncanakan.",
    "DPPPA": "Menyusun rekap bukti dukung kelembagaan untuk evaluasi mandiri.",
    "BAPPEDA": "Memasukkan kegiatan KLA ke dalam rencana kerja pemerintah daerah.",
}
GENERIC_TASK = "Menyampaikan data dukung klaster kepada Sekretariat Gugus Tugas KLA."


@dataclass
class MemberPlan:
    kind: str
    person: str
    position: str
    role: TaskForceRole
    start: dt.date
    end: dt.date | None = None
    duties: str = ""


@dataclass
class FollowUpPlan:
    owner: str  # agency kind
    description: str
    due: dt.date
    done_at: dt.datetime | None = None
    with_file: bool = False


@dataclass
class MeetingPlan:
    title: str
    starts_at: dt.datetime
    place: str
    online_link: str
    chair: str
    agenda: str
    invited: list[str]  # agency kinds
    held: bool
    attended: dict[str, str] = field(default_factory=dict)  # agency kind → who came
    follow_ups: list[FollowUpPlan] = field(default_factory=list)


@dataclass
class DecreePlan:
    number: str
    date: dt.date
    signer: str
    valid_until: dt.date


@dataclass
class TaskForcePlan:
    region: Region
    decree: DecreePlan  # in force
    previous: DecreePlan  # the decree it replaced (the former ketua's term)
    members: list[MemberPlan]
    meetings: list[MeetingPlan]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _years_later(day: dt.date, years: int) -> dt.date:
    return dt.date(day.year + years, day.month, min(day.day, 28))


def _head(kind: str) -> str:
    spec = BY_CODE[kind]
    if spec.group is Group.NON_GOVERNMENT:
        return f"Ketua {spec.short_name}"
    return f"{'Ketua' if kind in ('PN', 'PA') else 'Kepala'} {spec.name}"


def make_task_force(
    region: Region, kinds: list[str], rng: random.Random, *, seed: int, now: dt.datetime
) -> TaskForcePlan:
    """The task force of `region` drawing on the agencies of `kinds` (the region's, and a provincial Kanwil)."""
    today = timezone.localdate(now)
    place_name = region.name.split(" ", 1)[-1]
    day = today - dt.timedelta(days=rng.randint(120, 900))
    head = "Bupati" if region.name.lower().startswith("kab") else "Wali Kota"
    decree = DecreePlan(
        number=f"188.45/{rng.randint(100, 999)}/KPTS/{day.year}",
        date=day,
        signer=f"{head} {place_name}",
        valid_until=_years_later(day, 5) - dt.timedelta(days=1),
    )
    earlier = _years_later(day, -3)
    previous = DecreePlan(
        number=f"188.45/{rng.randint(100, 999)}/KPTS/{earlier.year}",
        date=earlier,
        signer=decree.signer,
        valid_until=day - dt.timedelta(days=1),
    )
    members = _members(region, kinds, rng, seed=seed, start=day)
    chair = next(m for m in members if m.role is _K.KETUA and m.end is None)
    invited = sorted({m.kind for m in members if m.end is None})
    count = rng.randint(*MEETINGS_PER_YEAR)
    days_ago = sorted(rng.sample(range(7, 365), count), reverse=True)
    meetings = [_held(region, members, invited, chair, rng, today - dt.timedelta(days=d), today) for d in days_ago]
    planned_day = today + dt.timedelta(days=rng.randint(7, 45))
    meetings.append(
        MeetingPlan(
            title=f"Rapat Koordinasi Gugus Tugas KLA {place_name} (rencana)",
            starts_at=_at(planned_day, 9),
            place=f"Ruang Rapat Dinas PPPA {region.name}",
            online_link="",
            chair=f"{chair.person} (Ketua Gugus Tugas)",
            agenda=rng.choice(AGENDAS),
            invited=invited,
            held=False,
        )
    )
    return TaskForcePlan(region=region, decree=decree, previous=previous, members=members, meetings=meetings)


def _members(region: Region, kinds: list[str], rng: random.Random, *, seed: int, start: dt.date) -> list[MemberPlan]:
    """The core roles, a former ketua (ended the day before the decree) and anggota up to 15-25 members (the
    province's Kanwil always among them where it serves)."""
    key = region.code.replace(".", "")
    members = [
        MemberPlan(kind, person(seed, f"tf-{key}-{n}"), f"{heading} {region.name}", role, start, None, duties)
        for n, (kind, role, heading, duties) in enumerate(CORE)
    ]
    members.append(
        MemberPlan(
            "BAPPEDA",
            person(seed, f"tf-{key}-former"),
            f"Kepala Bappeda {region.name} (periode sebelumnya)",
            _K.KETUA,
            _years_later(start, -3),
            start - dt.timedelta(days=1),
        )
    )
    core_kinds = {kind for kind, *_rest in CORE}
    always = [k for k in kinds if k in PROVINCE_TASKFORCE_KINDS]  # the province's Kanwil, where it serves
    others = [k for k in kinds if k not in core_kinds and k not in always]
    wanted = rng.randint(*MEMBERS_PER_TASK_FORCE) - len(members) - len(always)
    for n, kind in enumerate([*always, *sorted(rng.sample(others, min(wanted, len(others))))]):
        duties = "Partisipasi anak." if kind == "FORUM_ANAK" else ""
        position = f"{_head(kind)} {region.name}"
        members.append(MemberPlan(kind, person(seed, f"tf-{key}-a{n}"), position, _K.ANGGOTA, start, None, duties))
    return members


def _held(
    region: Region,
    members: list[MemberPlan],
    invited: list[str],
    chair: MemberPlan,
    rng: random.Random,
    day: dt.date,
    today: dt.date,
) -> MeetingPlan:
    online = rng.random() < 0.2
    positions: dict[str, list[str]] = {}
    for m in members:
        if m.end is None:
            positions.setdefault(m.kind, []).append(m.position)
    came = [k for k in invited if k == "DPPPA" or rng.random() < 0.85]
    follow_ups = [_follow_up(rng, rng.choice(came), day, today) for _ in range(rng.randint(*FOLLOW_UPS_PER_MEETING))]
    return MeetingPlan(
        title=f"Rapat Koordinasi Gugus Tugas KLA {region.name.split(' ', 1)[-1]}, {format_date(day)}",
        starts_at=_at(day, rng.choice((9, 10, 13))),
        place="" if online else f"Ruang Rapat Bappeda {region.name}",
        online_link=f"https://rapat.example.invalid/gt-{region.code}-{day.isoformat()}" if online else "",
        chair=f"{chair.person} (Ketua Gugus Tugas)",
        agenda=rng.choice(AGENDAS),
        invited=invited,
        held=True,
        attended={k: "; ".join(positions[k])[:300] for k in came},
        follow_ups=follow_ups,
    )


def _follow_up(rng: random.Random, owner: str, day: dt.date, today: dt.date) -> FollowUpPlan:
    """Due 2-13 weeks after the meeting; past due: done 60 % of the time (else overdue); not yet due: open, or
    done early now and then."""
    due = day + dt.timedelta(days=rng.randint(14, 90))
    plan = FollowUpPlan(owner=owner, description=TASKS.get(owner, GENERIC_TASK), due=due)
    elapsed = (today - day).days
    if due < today and rng.random() < 0.6:
        plan.done_at = _at(day + dt.timedelta(days=rng.randint(3, (due - day).days)), 14)
    elif due >= today and elapsed > 3 and rng.random() < 0.15:
        plan.done_at = _at(day + dt.timedelta(days=rng.randint(1, elapsed - 1)), 14)
    plan.with_file = plan.done_at is not None and rng.random() < 0.5
    return plan
