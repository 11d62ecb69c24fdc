"""Extending a stage's deadline, by the ministry: for the whole cycle (the calendar itself moves) or for chosen
kabupaten/kota (one `StageExtension` each, the deadline in force for them alone). Audited per change
(`kla.cycle.deadline_extended`); the secretariats concerned are emailed after the commit by a task.

An extension only moves a deadline later and not past the following stage's deadline (`stages.extension_problem`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.roles import Action, Role
from kla.core import audit
from kla.core.formatting import format_count, format_datetime
from kla.core.wording import say
from kla.evaluations.models import Cycle, Evaluation, StageDeadline, StageExtension
from kla.evaluations.stages import STAGE_LABELS, Stage, extension_problem, next_stage, stage_in_sentence
from kla.regions.models import Region
from kla.regions.selectors import subtree_q
from kla.regions.zones import zone_of

if TYPE_CHECKING:
    from kla.accounts.models import User

ACTION = "kla.cycle.deadline_extended"
SHOWN_PROBLEMS = 5


@transaction.atomic
def stage_extend(
    *,
    cycle: Cycle,
    stage: Stage,
    ends_at: dt.datetime,
    reason: str,
    region_codes: Sequence[str] | None = None,
    base_url: str = "",
    by: User | None,
    now: dt.datetime | None = None,
) -> int:
    """Extend `stage` to `ends_at` for the whole cycle (`region_codes` None) or for the kabupaten/kota under the given
    codes (a province means all its kabupaten/kota in the cycle). Returns the number of kabupaten/kota concerned."""
    now = now or timezone.now()
    if by is not None:
        access.require(by, Action.CYCLE_MANAGE, None, hide=False)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError(gettext("Batas waktu hanya dapat diperpanjang selama siklus berjalan."))
    reason = reason.strip()[:2000]
    if not reason:
        raise ValidationError(
            gettext(
                "Tuliskan alasan perpanjangan. Alasan ini dikirim kepada Sekretariat Gugus Tugas yang bersangkutan."
            )
        )
    calendar = {Stage(d.stage): d for d in StageDeadline.objects.filter(cycle=cycle)}
    if stage not in calendar:
        raise ValidationError(
            gettext("Siklus ini tidak memiliki jadwal tahap %(stage_name)s.")
            % {"stage_name": say(stage_in_sentence(stage))}
        )
    if region_codes is None:
        codes = _extend_cycle(cycle, calendar, stage, ends_at, reason, by, now)
    else:
        codes = _extend_regions(cycle, calendar, stage, ends_at, reason, region_codes, by, now)
    chosen = None if region_codes is None else codes
    transaction.on_commit(lambda: _enqueue(cycle.pk, stage, chosen, ends_at, reason, base_url))
    return len(codes)


def _enqueue(
    cycle_id: int, stage: Stage, codes: list[str] | None, ends_at: dt.datetime, reason: str, base_url: str
) -> None:
    from kla.evaluations.tasks import send_extension_notice

    send_extension_notice.enqueue(cycle_id, stage.value, codes, ends_at.isoformat(), reason, base_url)


def _following(calendar: dict[Stage, StageDeadline], stage: Stage) -> Stage | None:
    after = next_stage(stage)
    while after is not None and after not in calendar:
        after = next_stage(after)
    return after


def _extend_cycle(
    cycle: Cycle,
    calendar: dict[Stage, StageDeadline],
    stage: Stage,
    ends_at: dt.datetime,
    reason: str,
    by: User | None,
    now: dt.datetime,
) -> list[str]:
    current = calendar[stage]
    after = _following(calendar, stage)
    problem = extension_problem(
        stage,
        new_end=ends_at,
        current_end=current.ends_at,
        following=(after, calendar[after].ends_at) if after is not None else None,
        now=now,
    )
    if problem:
        raise ValidationError(say(problem))
    StageDeadline.objects.filter(pk=current.pk).update(ends_at=ends_at)
    audit.record(
        action=ACTION,
        by=by,
        obj=cycle,
        before={"stage": stage.value, "ends_at": current.ends_at.isoformat()},
        after={"stage": stage.value, "ends_at": ends_at.isoformat(), "regions": "semua"},
        reason=reason,
    )
    return list(Evaluation.objects.filter(cycle=cycle).order_by("region_id").values_list("region_id", flat=True))


def _extend_regions(
    cycle: Cycle,
    calendar: dict[Stage, StageDeadline],
    stage: Stage,
    ends_at: dt.datetime,
    reason: str,
    region_codes: Sequence[str],
    by: User | None,
    now: dt.datetime,
) -> list[str]:
    chosen = subtree_q([code for code in region_codes if code], "region_id")
    rows = Evaluation.objects.filter(cycle=cycle).filter(chosen) if chosen is not None else Evaluation.objects.none()
    names = dict(rows.order_by("region_id").values_list("region_id", "region__name"))
    if not names:
        raise ValidationError(
            gettext(
                "Tidak ada kabupaten/kota peserta siklus ini pada wilayah yang dipilih. Pilih "
                "kabupaten/kota atau provinsi yang mengikuti siklus."
            )
        )
    after = _following(calendar, stage)
    granted = {
        (e.stage, e.region_id): e.ends_at
        for e in StageExtension.objects.filter(
            cycle=cycle, stage__in=[s for s in (stage, after) if s is not None], region_id__in=list(names)
        )
    }

    def in_force(which: Stage, code: str) -> dt.datetime:
        own = granted.get((which.value, code))
        return max(calendar[which].ends_at, own) if own is not None else calendar[which].ends_at

    problems = []
    for code, name in names.items():
        following = (after, in_force(after, code)) if after is not None else None
        problem = extension_problem(
            stage, new_end=ends_at, current_end=in_force(stage, code), following=following, now=now
        )
        if problem:
            problems.append(f"{name}: {say(problem)}")
    if problems:
        more = len(problems) - SHOWN_PROBLEMS
        tail = [gettext("Dan %(more)s kabupaten/kota lainnya.") % {"more": format_count(more)}] if more > 0 else []
        raise ValidationError(" ".join([*problems[:SHOWN_PROBLEMS], *tail]))
    StageExtension.objects.bulk_create(
        [
            StageExtension(
                cycle=cycle,
                stage=stage.value,
                region_id=code,
                ends_at=ends_at,
                reason=reason,
                granted_by=by,
                granted_at=now,
            )
            for code in names
        ],
        update_conflicts=True,
        unique_fields=["cycle", "stage", "region"],
        update_fields=["ends_at", "reason", "granted_by", "granted_at"],
    )
    for code in names:  # `in_force` still reads the extensions as they were before this one
        audit.record(
            action=ACTION,
            by=by,
            obj=cycle,
            region_code=code,
            before={"stage": stage.value, "ends_at": in_force(stage, code).isoformat()},
            after={"stage": stage.value, "ends_at": ends_at.isoformat(), "regions": [code]},
            reason=reason,
        )
    return list(names)


def notify_extension(
    cycle_id: int, stage: str, region_codes: list[str] | None, ends_at: str, reason: str, base_url: str
) -> int:
    """Email each active secretariat member of the kabupaten/kota concerned (all of the cycle when `region_codes` is
    None) the extended stage, its new deadline and the reason; returns the number of emails."""
    from kla.accounts.models import Membership

    cycle = Cycle.objects.get(pk=cycle_id)
    evaluations = Evaluation.objects.filter(cycle=cycle)
    if region_codes is not None:
        evaluations = evaluations.filter(region_id__in=region_codes)
    pages = dict(evaluations.values_list("region_id", "pk"))
    members = (
        Membership.objects.active()
        .filter(role=Role.SECRETARIAT, region_id__in=list(pages), user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "region")
        .order_by("region_id", "user_id")
    )
    instant = dt.datetime.fromisoformat(ends_at)
    sent = 0
    for membership in members:
        region = membership.region
        assert region is not None
        link = f"{base_url}{reverse('evaluations:evaluation_detail', args=[pages[region.code]])}"
        with translation.override(membership.user.language):  # each secretariat member reads their own language
            subject, body = _extension_message(cycle, Stage(stage), region, instant, region_codes is None, reason, link)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [membership.user.email])
        sent += 1
    return sent


def _extension_message(
    cycle: Cycle, stage: Stage, region: Region, instant: dt.datetime, whole_cycle: bool, reason: str, link: str
) -> tuple[str, str]:
    """The extension email's subject and body in the active language, the deadline in the region's zone."""
    language = translation.get_language() or "id"
    deadline = format_datetime(instant, zone_of(region.code), lang=language)  # WIB, WITA or WIT
    whom = gettext("seluruh kabupaten/kota peserta") if whole_cycle else gettext("kabupaten/kota Anda")
    body = "\n".join(
        [
            gettext("Yth. Sekretariat Gugus Tugas KLA %(region)s,") % {"region": region.name},
            "",
            gettext("Kementerian memperpanjang batas waktu tahap %(stage)s pada %(cycle)s untuk %(whom)s.")
            % {"stage": say(stage_in_sentence(stage)), "cycle": cycle.name, "whom": whom},
            gettext("Batas waktu baru: %(deadline)s.") % {"deadline": deadline},
            gettext("Alasan: %(reason)s") % {"reason": reason},
            "",
            gettext("Halaman evaluasi %(region)s: %(link)s") % {"region": region.name, "link": link},
        ]
    )
    subject = gettext("Perpanjangan batas waktu %(label)s · %(name)s · %(name2)s") % {
        "label": gettext(STAGE_LABELS[stage]),
        "name": cycle.name,
        "name2": region.name,
    }
    return subject, body
