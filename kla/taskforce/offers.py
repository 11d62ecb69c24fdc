"""The task force's records offered to the institutional questions of the self-assessment (`kla.evidence.sources`).

A question whose rubric names ``taskforce_decree``, ``taskforce_meetings`` or ``taskforce_members`` shows what the
records say (`kla.taskforce.facts`) and offers the decree's file or the minutes of the meetings held in the last
year; attached, the evidence row points at the same stored object as the task force's document.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kla.core.formatting import format_date
from kla.evidence.sources import Offer, Offers
from kla.taskforce import facts
from kla.taskforce.models import Decree, Document, Meeting, Member

SOURCE = "taskforce"
DECREE, MEETINGS, MEMBERS = "taskforce_decree", "taskforce_meetings", "taskforce_members"


class TaskForceRecords:
    """The provider registered as ``taskforce``: at most four queries for all the record kinds of one entry."""

    def offers(self, *, region_code: str, records: frozenset[str], on: dt.date) -> list[Offers]:
        if not records & {DECREE, MEETINGS, MEMBERS}:
            return []
        link = reverse("taskforce:region", args=[region_code])
        out: list[Offers] = []
        if records & {DECREE, MEMBERS}:
            decree = Decree.objects.filter(region_id=region_code, in_force=True).select_related("document").first()
            members = list(
                Member.objects.filter(region_id=region_code, start__lte=on)
                .filter(Q(end__isnull=True) | Q(end__gte=on))
                .select_related("agency")
            )
            files = [_decree_offer(decree)] if decree is not None and decree.document is not None else []
            if DECREE in records:
                lines = facts.decree_lines(_decree_facts(decree), [m.role for m in members], _agencies(members))
                out.append(
                    Offers(
                        record=DECREE,
                        title=gettext("Catatan Gugus Tugas: SK dan susunan"),
                        facts=lines,
                        files=files,
                        link=link,
                        link_label=gettext("Buka halaman Gugus Tugas"),
                    )
                )
            if MEMBERS in records:
                lines = facts.member_group_lines((m.agency.kind, m.agency.short_name) for m in members)
                out.append(
                    Offers(
                        record=MEMBERS,
                        title=gettext("Catatan Gugus Tugas: unsur anggota"),
                        facts=lines,
                        files=files,
                        link=link,
                        link_label=gettext("Buka halaman Gugus Tugas"),
                    )
                )
        if MEETINGS in records:
            out.append(_meeting_offers(region_code, on))
        return out

    def resolve(self, *, region_code: str, source_id: int) -> Offer | None:
        document = (
            Document.objects.filter(pk=source_id, region_id=region_code).select_related("meeting", "follow_up").first()
        )
        if document is None:
            return None
        if document.kind == Document.Kind.DECREE:
            decree = Decree.objects.filter(document=document).first()
            return _decree_offer(decree) if decree is not None else None
        if document.kind == Document.Kind.MINUTES and document.meeting is not None:
            return _minutes_offer(document, document.meeting)
        return Offer(
            source=SOURCE,
            source_id=document.pk,
            label=(gettext("Bukti tindak lanjut: %(follow_up)s") % {"follow_up": document.follow_up})[:200],
            evidence_type="report",
            file=document.stored_file(),
        )


def _agencies(members: list[Member]) -> int:
    return len({m.agency_id for m in members})


def _decree_facts(decree: Decree | None) -> facts.DecreeFacts | None:
    if decree is None:
        return None
    return facts.DecreeFacts(decree.number, decree.date, decree.signer, decree.valid_from, decree.valid_until)


def _decree_offer(decree: Decree) -> Offer:
    assert decree.document is not None
    return Offer(
        source=SOURCE,
        source_id=decree.document.pk,
        label=gettext("SK Gugus Tugas %(number)s") % {"number": decree.number},
        evidence_type="decree",
        file=decree.document.stored_file(),
        doc_number=decree.number,
        doc_date=decree.date,
        issuer=decree.signer,
        period_start=decree.valid_from,
        period_end=decree.valid_until,
        description="SK Gugus Tugas KLA, dari catatan Gugus Tugas",
    )


def _minutes_offer(document: Document, meeting: Meeting) -> Offer:
    day = timezone.localtime(meeting.starts_at).date()
    return Offer(
        source=SOURCE,
        source_id=document.pk,
        label=f"Notulen: {meeting.title}, {format_date(day)}"[:200],
        evidence_type="minutes",
        file=document.stored_file(),
        doc_date=day,
        description=f"Notulen rapat koordinasi Gugus Tugas: {meeting.title}"[:500],
    )


def _meeting_offers(region_code: str, on: dt.date) -> Offers:
    """The meetings held in the year up to `on` and their minutes files (two queries)."""
    start = facts.year_before(on)
    held = list(
        Meeting.objects.filter(region_id=region_code, status=Meeting.Status.HELD)
        .filter(starts_at__date__gte=start, starts_at__date__lte=on)
        .prefetch_related("documents")
        .order_by("starts_at")
    )
    files: list[Offer] = []
    dated: list[tuple[dt.date, bool]] = []
    for meeting in held:
        minutes = [d for d in meeting.documents.all() if d.kind == Document.Kind.MINUTES]
        dated.append((timezone.localtime(meeting.starts_at).date(), bool(minutes)))
        files.extend(_minutes_offer(d, meeting) for d in minutes)
    return Offers(
        record=MEETINGS,
        title=gettext("Catatan Gugus Tugas: rapat koordinasi"),
        facts=facts.meeting_lines(dated, on=on),
        files=files,
        link=reverse("taskforce:meetings", args=[region_code]),
        link_label=gettext("Buka daftar rapat koordinasi"),
    )
