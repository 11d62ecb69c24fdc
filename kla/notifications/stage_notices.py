"""Stage opening and closing, told once per stage of an open cycle to those who work in it: the secretariats of the
participating kabupaten/kota (self-assessment), the reviewers of their provinces (the province's verification), the
ministry's verifiers, field verifiers and administrators (their stages). Run by `send_reminders`."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _

from kla.accounts.models import User
from kla.accounts.roles import Role
from kla.core.formatting import WIB
from kla.evaluations.models import Cycle, Evaluation, StageDeadline
from kla.evaluations.stages import Stage
from kla.notifications import selectors as who
from kla.notifications import wording
from kla.notifications.models import Kind
from kla.notifications.services import Message, deliver

NATIONAL = {
    Stage.ADMIN_VERIFICATION: Role.MINISTRY_VERIFIER,
    Stage.FIELD_VERIFICATION: Role.FIELD_VERIFIER,
    Stage.FINAL: Role.MINISTRY_ADMIN,
}
RECENT = dt.timedelta(days=2)  # a stage opened or closed longer ago than this is not announced any more


def _workers(cycle: Cycle, stage: Stage) -> list[User]:
    regions = Evaluation.objects.filter(cycle=cycle)
    if stage == Stage.SELF_ASSESSMENT:
        return who.secretariat_of(regions.values_list("region_id", flat=True))
    if stage == Stage.PROVINCE_REVIEW:
        provinces = {code for code in regions.values_list("region__parent_id", flat=True) if code}
        return who.province_reviewers_of(provinces)
    role = NATIONAL.get(stage)
    return who.members(role) if role is not None else []


def stage_notices(now: dt.datetime) -> int:
    sent = 0
    rows = StageDeadline.objects.filter(cycle__status=Cycle.Status.OPEN, starts_at__lte=now, ends_at__gt=now - RECENT)
    for deadline in rows.select_related("cycle"):
        stage, cycle = Stage(deadline.stage), deadline.cycle
        if now < deadline.ends_at and now - deadline.starts_at <= RECENT:
            sent += _tell(cycle, stage, "opened", deadline.ends_at, now)
        elif now >= deadline.ends_at:
            sent += _tell(cycle, stage, "closed", deadline.ends_at, now)
    return sent


def _message(cycle: Cycle, stage: Stage, what: str, ends_at: dt.datetime) -> Message:
    names = {"stage": wording.stage(stage), "cycle": cycle.name}
    if what == "opened":
        title = _("Tahap %(stage)s dibuka · %(cycle)s") % names
        body = _("Tahap ini berlangsung sampai %(end)s.") % {"end": wording.at(ends_at, WIB)}
    else:
        title = _("Tahap %(stage)s ditutup · %(cycle)s") % names
        body = _(
            "Batas waktu tahap ini berakhir %(end)s; perpanjangan untuk kabupaten/kota tertentu tetap berlaku."
        ) % {"end": wording.at(ends_at, WIB)}
    return Message(
        kind=Kind.STAGE,
        title=title,
        body=body,
        key=f"stage-{what}:{cycle.pk}:{stage.value}",
        url=reverse("evaluations:cycle_detail", args=[cycle.code]),
        object_type="evaluations.cycle",
        object_id=str(cycle.pk),
    )


def _tell(cycle: Cycle, stage: Stage, what: str, ends_at: dt.datetime, now: dt.datetime) -> int:
    return deliver(_workers(cycle, stage), partial(_message, cycle, stage, what, ends_at), now=now)
