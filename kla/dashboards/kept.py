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
bucket) shows within `TTL_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
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

TTL_SECONDS = 120
_MISSING = object()


def viewer_key(user: User | AnonymousUser) -> str:
    """A digest of the user's grants (role, region, agency's region): what the seal reads of the viewer."""
    grants = sorted((g.role.value, g.region_code or "", g.agency_region_code or "") for g in access.grants(user))
    return hashlib.sha256(repr(grants).encode()).hexdigest()[:24]


def cycle_version(cycle: Cycle, now: dt.datetime | None = None) -> str:
    """A fingerprint of what a cycle's nationwide figures are built from (one aggregate query)."""
    return _version(cycle, fingerprints.cycle_sql(), [ScoreStage.FINAL.value, cycle.pk], now or timezone.now())


def _version(cycle: Cycle, sql: str, params: Any, now: dt.datetime, *, province_rule: bool = True) -> str:
    """The fingerprint query's row (`sql`, one query) hashed with the cycle's and its framework's state that the
    figures depend on (status, release, publication details, the framework's load and, unless told otherwise, its
    province rule) and the day."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    framework = cycle.framework
    parts = (
        cycle.pk,
        cycle.status,
        cycle.published_at,
        cycle.release_at,
        cycle.is_published(now),
        cycle.public_details,
        framework.pk,
        framework.loaded_at,
        *((framework.province_rule,) if province_rule else ()),
        tuple(row),
        timezone.localdate(now),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def key(kind: str, user: User | AnonymousUser, cycle: Cycle, *extra: str) -> str:
    """The cache key of one kind of figures of `cycle` for `user` in the active language (one query)."""
    parts = [kind, str(cycle.pk), cycle_version(cycle), viewer_key(user), get_language() or "", *extra]
    return "kla.dashboards:" + ":".join(parts)


def kept[T](cache_key: str, build: Callable[[], T]) -> T:
    """The figures stored under `cache_key`, or `build()` stored there."""
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(cache_key, value, TTL_SECONDS)
    return cast(T, value)


def province_key(user: User | AnonymousUser, cycle: Cycle, province: str, year: int) -> str:
    """The cache key of a province dashboard's figures for `user` in the active language (one query)."""
    sql, params = fingerprints.province_query(cycle, province, year)
    version = _version(cycle, sql, params, timezone.now())
    return ":".join(["kla.dashboards:province", province, str(year), version, viewer_key(user), get_language() or ""])


def kabkota_key(user: User | AnonymousUser, cycle: Cycle, region: str) -> str:
    """The cache key of a kab/kota dashboard's figures for `user` in the active language (one query)."""
    now = timezone.now()
    sql, params = fingerprints.kabkota_query(cycle, region, now)
    version = _version(cycle, sql, params, now, province_rule=False)
    return ":".join(["kla.dashboards:kabkota", region, version, viewer_key(user), get_language() or ""])
