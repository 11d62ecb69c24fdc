"""Every kab/kota's activities carried out (kegiatan) at national scale: for each kab/kota with a RAD KLA and no
activity yet, 8 to 16 activities, each realising one funded activity or sub-activity of the plan in force (its plan
and stable key), carried out by that activity's agency in one of the quarters that have ended, for the plan's
indicator, with the children reached by sex and age group, the adults, the budget used (some with sen), and one or
two files: the sample photos, now and then the activity report (PDF).

Read from the database, not from `rad_plan.py`'s memory, so that a data set seeded before activities existed gains
them too. Drawn from the region's own `random.Random`, the leaves in the order of their stable keys: a region's
activities do not depend on which provinces were selected or on database ids. Files point to the stored sample
files (`files.py`), as the task force's documents do; no row goes through the intake. Idempotent: a kab/kota with
an activity is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from bench.national_data.constants import AGENCY_KINDS, CHUNK, seeded_rng
from bench.national_data.context import Context
from bench.national_data.files import StoredFile
from bench.national_data.rad_plan import ended
from kla.activities.models import Activity, ActivityFile
from kla.rad.models import Node, Version
from kla.rad.rules import FUNDED_LEVELS, quarter_end, quarter_start
from kla.regions.models import Region

PER_REGION = (8, 16)
COUNTS = {
    "girls_0_5": (0, 40),
    "boys_0_5": (0, 40),
    "girls_6_12": (5, 90),
    "boys_6_12": (5, 90),
    "girls_13_17": (0, 70),
    "boys_13_17": (0, 70),
    "adults": (2, 60),
}
DESCRIPTION = "Dilaksanakan bersama Forum Anak dan perangkat kelurahan; dokumentasi terlampir."
PLACES = ("kantor kecamatan", "sekolah dasar", "balai kelurahan", "taman kota", "puskesmas", "aula dinas")


@dataclass(frozen=True)
class Leaf:
    """A funded activity or sub-activity of a plan in force, as read from the database."""

    plan: int
    start: int
    end: int
    key: str
    name: str
    agency: int
    kind: str
    indicator: int


@dataclass
class ActivityPlan:
    region: str
    leaf: Leaf
    title: str
    start: dt.date
    end: dt.date
    counts: dict[str, int]
    budget: Decimal
    files: list[str]  # keys of ctx.files


def seed_activities(ctx: Context, kabkota: Sequence[Region]) -> int:
    """The activities of every kab/kota with a RAD KLA and no activity yet; returns how many kab/kota gained them."""
    codes = [r.code for r in kabkota]
    done = set(Activity.objects.filter(region_id__in=codes).values_list("region_id", flat=True).distinct())
    todo = [c for c in codes if c not in done]
    today = timezone.localdate(ctx.now)
    added = 0
    for start in range(0, len(todo), CHUNK):
        leaves = _leaves(todo[start : start + CHUNK])
        plans = [
            a
            for code in todo[start : start + CHUNK]
            if leaves.get(code)
            for a in make_activities(code, leaves[code], seeded_rng(ctx.seed, "activities", code), today=today)
        ]
        added += len({a.region for a in plans})
        _insert(ctx, plans)
    return added


def _leaves(codes: list[str]) -> dict[str, list[Leaf]]:
    """Per region, the funded leaves of its plans' adopted versions (one query), ordered by stable key."""
    rows = (
        Node.objects.filter(
            version__plan__region_id__in=codes,
            version__status=Version.Status.ADOPTED,
            level__in=FUNDED_LEVELS,
            children__isnull=True,
            agency__isnull=False,
        )
        .values_list(
            "version__plan__region_id",
            "version__plan_id",
            "version__plan__start_year",
            "version__plan__end_year",
            "key",
            "name",
            "agency_id",
            "agency__kind",
            "indicator_id",
        )
        .order_by()
    )
    out: dict[str, list[Leaf]] = defaultdict(list)
    for region, plan, start, end, key, name, agency, kind, indicator in rows:
        out[region].append(Leaf(plan, start, end, str(key), name, agency, kind, indicator))
    for leaves in out.values():
        leaves.sort(key=lambda leaf: (leaf.plan, leaf.key))
    return out


def make_activities(region: str, leaves: list[Leaf], rng: random.Random, *, today: dt.date) -> list[ActivityPlan]:
    """The region's activities decided in memory: each in an ended quarter of its plan, oldest first."""
    out = []
    for _ in range(rng.randint(*PER_REGION)):
        leaf = rng.choice(leaves)
        quarters = ended(leaf.start, leaf.end, today)
        if not quarters:
            continue
        year, quarter = rng.choice(quarters)
        first, last = quarter_start(year, quarter), quarter_end(year, quarter)
        start = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        end = min(last, start + dt.timedelta(days=rng.choice((0, 0, 1, 2))))
        budget = Decimal(rng.randint(5, 400)) * 1_000_000 + (Decimal("0.50") if rng.random() < 0.1 else Decimal(0))
        files = ["photo"] if rng.random() < 0.5 else ["photo", "photo_2"]
        if rng.random() < 0.3:
            files.append("report")
        verb, _, topic = leaf.name.partition(":")
        title = f"{verb} di {rng.choice(PLACES)}: {topic.strip()}"
        out.append(
            ActivityPlan(
                region=region,
                leaf=leaf,
                title=title[:200],
                start=start,
                end=end,
                counts={name: rng.randint(*bounds) for name, bounds in COUNTS.items()},
                budget=budget,
                files=files,
            )
        )
    out.sort(key=lambda a: (a.start, a.title))
    return out


def _insert(ctx: Context, plans: list[ActivityPlan]) -> None:
    ins = ctx.ins
    by = [_by(ctx, a) for a in plans]
    rows = ins.now(
        [
            Activity(
                region_id=a.region,
                agency_id=a.leaf.agency,
                title=a.title,
                start_date=a.start,
                end_date=a.end,
                plan_id=a.leaf.plan,
                rad_activity_key=a.leaf.key,
                budget_used=a.budget,
                description=DESCRIPTION,
                created_by_id=who,
                updated_by_id=who,
                **a.counts,
            )
            for a, who in zip(plans, by, strict=True)
        ]
    )
    through = Activity.indicators.through
    for a, row, who in zip(plans, rows, by, strict=True):
        ins.add(through(activity_id=row.pk, indicator_id=a.leaf.indicator))
        for key in a.files:
            ins.add(_file(ctx.files[key], a.region, row.pk, who))
    ins.flush()


def _by(ctx: Context, a: ActivityPlan) -> int:
    """The agency's operator where it has one, else the secretariat."""
    if a.leaf.kind in AGENCY_KINDS:
        return ctx.people.operator(a.region, a.leaf.kind)
    return ctx.people.secretariat(a.region)


def _file(stored: StoredFile, region: str, activity: int, by: int) -> ActivityFile:
    """A file row pointing to a stored sample file, with what the intake would have recorded."""
    return ActivityFile(
        activity_id=activity,
        region_id=region,
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
    )
