"""Evaluation cycles: creating one with its calendar and workflow, and opening it for the participating kab/kota."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.roles import Action
from kla.core import audit
from kla.core.wording import say
from kla.evaluations.models import Cycle, Entry, Evaluation, StageDeadline
from kla.evaluations.stages import Stage, calendar_problems, stage_in_sentence
from kla.evaluations.workflow import WorkflowConfig
from kla.indicators.models import Framework, Indicator
from kla.indicators.services import framework_lock
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.regions.selectors import subtree_q

if TYPE_CHECKING:
    from kla.accounts.models import User


@transaction.atomic
def cycle_create(
    *,
    code: str,
    name: str,
    year: int,
    framework: Framework,
    deadlines: Mapping[Stage, tuple[dt.datetime, dt.datetime]],
    workflow: WorkflowConfig | None = None,
    by: User | None,
) -> Cycle:
    """A new cycle in preparation, with its calendar and workflow. Only a ministry administrator may create one.

    The calendar keeps the stages' order (`stages.calendar_problems`): refused with every problem named."""
    if by is not None:
        access.require(by, Action.CYCLE_MANAGE, None, hide=False)
    if Cycle.objects.filter(code=code).exists():
        raise ValidationError(gettext('Kode siklus "%(code)s" sudah dipakai.') % {"code": code})
    if framework.level != Level.KABKOTA:
        raise ValidationError(gettext("Siklus evaluasi KLA memakai instrumen tingkat kabupaten/kota."))
    problems = [say(p.message) for p in calendar_problems(deadlines)]
    problems += [
        gettext("Batas waktu tahap %(stage_name)s harus sesudah waktu mulainya.")
        % {"stage_name": say(stage_in_sentence(stage))}
        for stage, (start, end) in deadlines.items()
        if start == end
    ]
    if problems:
        raise ValidationError(" ".join(problems))
    cycle = Cycle.objects.create(
        code=code,
        name=name,
        year=year,
        framework=framework,
        workflow=(workflow or WorkflowConfig()).to_json(),
        created_by=by,
    )
    StageDeadline.objects.bulk_create(
        StageDeadline(cycle=cycle, stage=stage.value, starts_at=start, ends_at=end)
        for stage, (start, end) in deadlines.items()
    )
    audit.record(
        action="kla.cycle.created",
        by=by,
        obj=cycle,
        after={
            "code": code,
            "framework": framework.code,
            "workflow": cycle.workflow,
            "deadlines": {s.value: [a.isoformat(), b.isoformat()] for s, (a, b) in deadlines.items()},
        },
    )
    return cycle


@transaction.atomic
def cycle_open(*, cycle: Cycle, region_codes: Iterable[str] | None = None, by: User | None) -> int:
    """Open the cycle: one evaluation per participating kab/kota and one entry per indicator (bulk inserts).

    `region_codes` are provinces or kab/kota (a province means all its kab/kota); None means all 514. The framework
    is locked from now on. Returns the number of evaluations created.
    """
    if by is not None:
        access.require(by, Action.CYCLE_MANAGE, None, hide=False)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Cycle.Status.DRAFT:
        raise ValidationError(gettext("Siklus ini sudah dibuka."))
    regions = Region.objects.filter(level=Level.KABKOTA)
    if region_codes is not None:
        chosen = subtree_q(region_codes, "code")
        regions = regions.filter(chosen) if chosen is not None else regions
    region_ids = list(regions.values_list("code", flat=True))
    if not region_ids:
        raise ValidationError(gettext("Pilih paling sedikit satu kabupaten/kota peserta."))
    Evaluation.objects.bulk_create(Evaluation(cycle=cycle, region_id=code) for code in region_ids)
    evaluations = list(Evaluation.objects.filter(cycle=cycle).values_list("pk", flat=True))
    indicators = list(Indicator.objects.filter(framework=cycle.framework).values_list("pk", flat=True))
    Entry.objects.bulk_create(
        (Entry(evaluation_id=e, indicator_id=i) for e in evaluations for i in indicators), batch_size=2000
    )
    cycle.status = Cycle.Status.OPEN
    cycle.opened_at = timezone.now()
    cycle.save(update_fields=["status", "opened_at"])
    framework_lock(framework=cycle.framework, by=by, reason=gettext("dipakai siklus %(code)s") % {"code": cycle.code})
    audit.record(
        action="kla.cycle.opened",
        by=by,
        obj=cycle,
        after={"evaluations": len(evaluations), "entries": len(evaluations) * len(indicators)},
    )
    return len(evaluations)
