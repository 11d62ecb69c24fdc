"""The two national cycles (last year's, published; this year's, open) and where each kab/kota stands in them."""

from __future__ import annotations

import datetime as dt

from bench.national_data.constants import CURRENT_PATTERN
from bench.national_data.people import People
from bench.national_data.report import Inserter
from kla.evaluations.models import Cycle, StageDeadline
from kla.evaluations.stages import Stage
from kla.evaluations.workflow import FieldRule, State, WorkflowConfig
from kla.indicators.models import Framework
from kla.regions.models import Region


def deadlines(now: dt.datetime, *, previous: bool) -> dict[Stage, tuple[dt.datetime, dt.datetime]]:
    day = dt.timedelta(days=1)
    if previous:  # a year ago, every stage over
        windows = [(-360, -300), (-300, -240), (-240, -180), (-180, -120), (-120, -90), (-90, -30)]
    else:  # the self-assessment is open; later stages already run for the regions that submitted early
        windows = [(-45, 30), (-30, 60), (-20, 90), (-10, 120), (-5, 150), (160, 190)]
    return {stage: (now + a * day, now + b * day) for stage, (a, b) in zip(Stage, windows, strict=True)}


def ensure_cycle(
    ins: Inserter, *, code: str, year: int, framework: Framework, people: People, now: dt.datetime, previous: bool
) -> Cycle:
    """The cycle `code` with its stage deadlines, created if missing; the previous one is published."""
    cycle = Cycle.objects.filter(code=code).first()
    if cycle is not None:
        return cycle
    day = dt.timedelta(days=1)
    admin1, admin2 = people.admins[0], people.admins[1]
    cycle = Cycle(
        code=code,
        name=f"Evaluasi KLA {year} (data nasional)",
        year=year,
        framework=framework,
        status=Cycle.Status.OPEN,
        opened_at=now - (370 if previous else 50) * day,
        # Every evaluation that passes the administrative verification gets a field visit.
        workflow=WorkflowConfig(field_rule=FieldRule.ALL).to_json(),
        created_by_id=admin1,
    )
    if previous:  # published by two different administrators; released two months ago
        cycle.public_details = True
        cycle.publish_requested_at, cycle.publish_requested_by_id = now - 70 * day, admin1
        cycle.published_at, cycle.published_by_id = now - 65 * day, admin2
        cycle.release_at = now - 60 * day
    ins.now([cycle])
    cycle = Cycle.objects.get(code=code)
    ins.now(
        [
            StageDeadline(cycle=cycle, stage=stage.value, starts_at=start, ends_at=end)
            for stage, (start, end) in deadlines(now, previous=previous).items()
        ]
    )
    if framework.locked_at is None:
        Framework.objects.filter(pk=framework.pk, locked_at__isnull=True).update(locked_at=now)
    return cycle


def state_for(region: Region, position: int, *, previous: bool) -> State:
    """Last year everything is published; this year by the kab/kota's position in its province (CURRENT_PATTERN)."""
    if previous:
        return State.PUBLISHED
    return CURRENT_PATTERN[(position + int(region.code.split(".")[0])) % len(CURRENT_PATTERN)]
