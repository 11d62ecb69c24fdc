"""What the dashboards keep in Django's cache: the figures of a cycle that take a scan of every kab/kota (stages,
the Provinsi Layak Anak status of every province, the map, predicates per year, evaluations stuck, the verifiers'
workload), keyed by a fingerprint of the data they are built from AND by the viewer's grants.

The seal decides what a viewer sees from the viewer's roles over each region (`visible_scores` → `viewer_for` →
the memberships), so two users with the same grants see the same figures, and the key carries a digest of the
grants: a figure built for the ministry is never served to a province or a kab/kota, whatever their URL. The
fingerprint is read before the figures are built (a write landing in between makes the stored figures newer than
their key, never older) and covers what the figures show: the cycle's publication (and whether it is released
now), its framework, the evaluations (count, newest, last status change, EM totals), the final scores (count, sum,
newest computation), the predicate history (count, newest record) and the newest verification verdict. What it
misses (a verdict changed in place, a renamed region, the day an evaluation crosses into the next "days in stage"
bucket) shows within `TTL_SECONDS`; the cycle's name and code are in the fingerprint too.

A page keeps its whole content (heading, cycle filter, figures: `kla.dashboards.views._page`) under its figures' key
and a digest of the filter's choices (`choices_key`). The fingerprint query also reads what the page needs besides
(whether its map has boundaries, whether the province asked for exists: `Keyed.facts`, never hashed), so a kept page
costs the cycles, the region, that one query and, on the national table, the completeness of the page's rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from kla.accounts import access
from kla.accounts.models import User
from kla.dashboards import fingerprints
from kla.evaluations.models import Cycle
from kla.evaluations.seal import ScoreStage
from kla.regions.levels import Level

TTL_SECONDS = 120
_MISSING = object()


def viewer_key(user: User | AnonymousUser) -> str:
    """A digest of the user's grants (role, region, agency's region): what the seal reads of the viewer."""
    grants = sorted((g.role.value, g.region_code or "", g.agency_region_code or "") for g in access.grants(user))
    return hashlib.sha256(repr(grants).encode()).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class Keyed:
    """A cache key and what the same query read besides (`fingerprints.with_facts`: whether the map has boundaries,
    whether the province asked for exists), in the order asked."""

    key: str
    facts: tuple[bool, ...] = ()


def cycle_version(cycle: Cycle, now: dt.datetime | None = None) -> str:
    """A fingerprint of what a cycle's nationwide figures are built from (one aggregate query)."""
    version, _ = _version(cycle, (fingerprints.cycle_sql(), [ScoreStage.FINAL.value, cycle.pk]), now or timezone.now())
    return version


def _version(
    cycle: Cycle, query: tuple[str, list[Any]], now: dt.datetime, *, province_rule: bool = True, facts: int = 0
) -> tuple[str, tuple[bool, ...]]:
    """The fingerprint query's row (`query`, one query) hashed with the cycle's and its framework's state that the
    figures depend on (status, release, publication details, the framework's load and, unless told otherwise, its
    province rule) and the day; the row's last `facts` columns are returned apart, not hashed."""
    sql, params = query
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = tuple(cursor.fetchone() or ())
    cut = len(row) - facts
    framework = cycle.framework
    parts = (
        cycle.pk,
        cycle.code,
        cycle.name,
        cycle.status,
        cycle.published_at,
        cycle.release_at,
        cycle.is_published(now),
        cycle.public_details,
        framework.pk,
        framework.loaded_at,
        *((framework.province_rule,) if province_rule else ()),
        row[:cut],
        timezone.localdate(now),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32], tuple(bool(x) for x in row[cut:])


def key(kind: str, user: User | AnonymousUser, cycle: Cycle, *extra: str) -> str:
    """The cache key of one kind of figures of `cycle` for `user` in the active language (one query)."""
    return _key(kind, user, cycle, cycle_version(cycle), *extra)


def _key(kind: str, user: User | AnonymousUser, cycle: Cycle, version: str, *extra: str) -> str:
    parts = [kind, str(cycle.pk), version, viewer_key(user), get_language() or "", *extra]
    return "kla.dashboards:" + ":".join(parts)


def national(user: User | AnonymousUser, cycle: Cycle, province: str = "") -> Keyed:
    """The national figures' key (`key("national", …)`), with whether the provinces' boundaries were imported and
    whether `province` is a province (False for ""): one query."""
    facts = [
        fingerprints.boundaries_exist(Level.PROVINSI.value),
        fingerprints.region_exists(province, Level.PROVINSI.value),
    ]
    query = fingerprints.with_facts((fingerprints.cycle_sql(), [ScoreStage.FINAL.value, cycle.pk]), facts)
    version, told = _version(cycle, query, timezone.now(), facts=len(facts))
    return Keyed(_key("national", user, cycle, version), told)


def choices_key(cycles: Sequence[Cycle]) -> str:
    """A digest of the cycle filter's choices (what the filter shows of each), for a page kept with its filter."""
    shown = [(c.pk, c.code, c.name, c.year) for c in cycles]
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]


def kept[T](cache_key: str, build: Callable[[], T]) -> T:
    """The figures stored under `cache_key`, or `build()` stored there."""
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(cache_key, value, TTL_SECONDS)
    return cast(T, value)


def province_key(user: User | AnonymousUser, cycle: Cycle, province: str, year: int) -> Keyed:
    """The cache key of a province dashboard's figures for `user` in the active language, with whether boundaries of
    its kab/kota were imported (one query)."""
    facts = [fingerprints.boundaries_exist(Level.KABKOTA.value, province)]
    query = fingerprints.with_facts(fingerprints.province_query(cycle, province, year), facts)
    version, told = _version(cycle, query, timezone.now(), facts=len(facts))
    parts = ["kla.dashboards:province", province, str(year), version, viewer_key(user), get_language() or ""]
    return Keyed(":".join(parts), told)


def kabkota_key(user: User | AnonymousUser, cycle: Cycle, region: str) -> str:
    """The cache key of a kab/kota dashboard's figures for `user` in the active language (one query)."""
    now = timezone.now()
    version, _ = _version(cycle, fingerprints.kabkota_query(cycle, region, now), now, province_rule=False)
    return ":".join(["kla.dashboards:kabkota", region, version, viewer_key(user), get_language() or ""])
