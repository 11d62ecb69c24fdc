"""Every kab/kota's Gugus Tugas KLA at national scale: its agencies from the catalogue (and each province's Kantor
Wilayah Kemenkumham), then, for each kab/kota that has no decree yet, the plan of `taskforce_plan.py` inserted in
bulk: the decree in force and the one it replaced, each with its file, members, meetings with invitations,
attendance and minutes, follow-ups.

Files: every decree, minutes and follow-up evidence row points to one of the stored sample files (`files.py`), as
the evidence rows do; no row goes through the intake. Idempotent: a kab/kota with a decree is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bench.national_data.constants import (
    AGENCY_KINDS,
    CHUNK,
    PROVINCE_TASKFORCE_KINDS,
    TASKFORCE_KINDS,
    seeded_rng,
)
from bench.national_data.context import Context
from bench.national_data.files import StoredFile
from bench.national_data.people import agency_name
from bench.national_data.report import Inserter
from bench.national_data.taskforce_plan import DecreePlan, FollowUpPlan, MeetingPlan, TaskForcePlan, make_task_force
from kla.agencies.catalogue import BY_CODE
from kla.agencies.models import Agency
from kla.regions.models import Region
from kla.taskforce.models import Attendance, Decree, Document, FollowUp, Meeting, Member

Agencies = dict[tuple[str, str], int]  # (region code, kind) → agency id


def seed_task_forces(ctx: Context, provinces: Sequence[Region], kabkota: Sequence[Region]) -> int:
    """The agencies, then the task force of every kab/kota that has no decree yet; returns how many were added."""
    agencies = seed_taskforce_agencies(ctx.ins, provinces, kabkota)
    done = set(Decree.objects.filter(region_id__in=[r.code for r in kabkota]).values_list("region_id", flat=True))
    todo = [r for r in kabkota if r.code not in done]
    for start in range(0, len(todo), CHUNK):
        plans = [
            make_task_force(
                r, _kinds(agencies, r), seeded_rng(ctx.seed, "taskforce", r.code), seed=ctx.seed, now=ctx.now
            )
            for r in todo[start : start + CHUNK]
        ]
        _insert(ctx, plans, agencies)
    return len(todo)


def seed_taskforce_agencies(ins: Inserter, provinces: Sequence[Region], kabkota: Sequence[Region]) -> Agencies:
    """What is missing of the task force agencies (an agency of the same name or kind already there counts)."""
    wanted = [(r, kind) for r in kabkota for kind in (*AGENCY_KINDS, *TASKFORCE_KINDS)]
    wanted += [(p, kind) for p in provinces for kind in PROVINCE_TASKFORCE_KINDS]
    codes = [r.code for r, _kind in wanted]
    rows = Agency.objects.filter(region_id__in=set(codes))
    held = set(rows.filter(is_active=True).values_list("region_id", "kind")) | set(
        rows.values_list("region_id", "name")
    )
    missing = {
        (r.code, kind): Agency(
            region_id=r.code, kind=kind, name=agency_name(kind, r), short_name=BY_CODE[kind].short_name
        )
        for r, kind in wanted
        if (r.code, kind) not in held and (r.code, agency_name(kind, r)) not in held
    }
    ins.now(list(missing.values()))
    agencies: Agencies = {}
    for region, kind, pk in rows.filter(is_active=True).order_by("pk").values_list("region_id", "kind", "pk"):
        agencies.setdefault((region, kind), pk)
    return agencies


def _kinds(agencies: Agencies, region: Region) -> list[str]:
    """The kinds the region's task force draws on: its own agencies, and the province's Kanwil for a kota."""
    own = [kind for kind in (*AGENCY_KINDS, *TASKFORCE_KINDS) if (region.code, kind) in agencies]
    if region.name.lower().startswith("kota"):
        own += [kind for kind in PROVINCE_TASKFORCE_KINDS if (region.parent_id or "", kind) in agencies]
    return own


def _agency(agencies: Agencies, region: Region, kind: str) -> int:
    found = agencies.get((region.code, kind))
    return found if found is not None else agencies[(region.parent_id or "", kind)]


def _document(stored: StoredFile, region: str, kind: str, by: int, **links: Any) -> Document:
    """A task force file row pointing to a stored sample file, with what the intake would have recorded."""
    return Document(
        region_id=region,
        kind=kind,
        file=stored.name,
        name=stored.original_name,
        mime=stored.mime,
        size=stored.size,
        sha256=stored.sha256,
        file_kind=stored.kind,
        original_sha256=stored.original_sha256,
        page_count=stored.page_count,
        metadata_removed=stored.metadata_removed,
        scanned_clean=False,  # like the national evidence: stored without a scan
        uploaded_by_id=by,
        **links,
    )


def _insert(ctx: Context, plans: list[TaskForcePlan], agencies: Agencies) -> None:
    ins, files = ctx.ins, ctx.files
    sec = {p.region.code: ctx.people.secretariat(p.region.code) for p in plans}
    docs = ins.now([_document(files["decree"], p.region.code, Document.Kind.DECREE, sec[p.region.code]) for p in plans])
    current = ins.now(
        [_decree(p.region, p.decree, doc.pk, sec[p.region.code]) for p, doc in zip(plans, docs, strict=True)]
    )
    docs = ins.now([_document(files["decree"], p.region.code, Document.Kind.DECREE, sec[p.region.code]) for p in plans])
    ins.now(
        [
            _decree(p.region, p.previous, doc.pk, sec[p.region.code], replaced_by=later.pk)
            for p, doc, later in zip(plans, docs, current, strict=True)
        ]
    )
    for p in plans:
        for m in p.members:
            ins.add(
                Member(
                    region_id=p.region.code,
                    agency_id=_agency(agencies, p.region, m.kind),
                    person_name=m.person,
                    position=m.position[:200],
                    role=m.role.value,
                    duties=m.duties,
                    start=m.start,
                    end=m.end,
                    created_by_id=sec[p.region.code],
                )
            )
    pairs = [(p, mp) for p in plans for mp in p.meetings]
    meetings = ins.now([_meeting(p, mp, sec[p.region.code]) for p, mp in pairs])
    invited = Meeting.invited.through
    follow_ups: list[tuple[TaskForcePlan, int, FollowUpPlan]] = []
    for (p, mp), meeting in zip(pairs, meetings, strict=True):
        code = p.region.code
        for kind in mp.invited:
            ins.add(invited(meeting_id=meeting.pk, agency_id=_agency(agencies, p.region, kind)))
        for kind, who in mp.attended.items():
            ins.add(Attendance(meeting_id=meeting.pk, agency_id=_agency(agencies, p.region, kind), attendees=who))
        if mp.held:
            ins.add(_document(files["minutes"], code, Document.Kind.MINUTES, sec[code], meeting_id=meeting.pk))
        follow_ups += [(p, meeting.pk, f) for f in mp.follow_ups]
    rows = ins.now([_follow_up(p, meeting, f, agencies, ctx, sec) for p, meeting, f in follow_ups])
    for (p, _meeting_id, f), row in zip(follow_ups, rows, strict=True):
        if f.with_file:
            by = row.completed_by_id or sec[p.region.code]
            ins.add(_document(files["report"], p.region.code, Document.Kind.FOLLOW_UP, by, follow_up_id=row.pk))
    ins.flush()


def _decree(region: Region, d: DecreePlan, document: int, by: int, *, replaced_by: int | None = None) -> Decree:
    """The decree in force, or (`replaced_by` given) the earlier one it replaced."""
    return Decree(
        region_id=region.code,
        number=d.number,
        date=d.date,
        signer=d.signer,
        valid_from=d.date,
        valid_until=d.valid_until,
        in_force=replaced_by is None,
        replaced_by_id=replaced_by,
        document_id=document,
        created_by_id=by,
    )


def _meeting(p: TaskForcePlan, mp: MeetingPlan, by: int) -> Meeting:
    held = mp.held
    return Meeting(
        region_id=p.region.code,
        title=mp.title[:200],
        status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
        starts_at=mp.starts_at,
        place=mp.place,
        online_link=mp.online_link,
        chair=mp.chair[:200],
        agenda=mp.agenda,
        minutes="Rapat dibuka oleh Ketua Gugus Tugas; setiap klaster menyampaikan capaian dan kendalanya."
        if held
        else "",
        decisions="Setiap instansi menyampaikan bukti dukung kepada Sekretariat sebelum rapat berikutnya."
        if held
        else "",
        held_recorded_at=mp.starts_at + dt.timedelta(hours=4) if held else None,
        created_by_id=by,
    )


def _follow_up(
    p: TaskForcePlan, meeting: int, f: FollowUpPlan, agencies: Agencies, ctx: Context, sec: dict[str, int]
) -> FollowUp:
    code = p.region.code
    done = f.done_at is not None
    owner = _agency(agencies, p.region, f.owner)
    by = ctx.people.operator(code, f.owner) if f.owner in AGENCY_KINDS else sec[code]
    return FollowUp(
        region_id=code,
        meeting_id=meeting,
        owner_id=owner,
        description=f.description,
        due_date=f.due,
        status=FollowUp.Status.DONE if done else FollowUp.Status.OPEN,
        completion_note="Sudah dilaksanakan; laporan disampaikan kepada Sekretariat Gugus Tugas." if done else "",
        completed_at=f.done_at,
        completed_by_id=by if done else None,
        created_by_id=sec[code],
    )
