"""What the public results page keeps in Django's cache for anonymous visitors, keyed by what the page shows.

Every anonymous visitor sees the same results of a published cycle, and they change only when the cycle's results
change. Building them at national scale (514 kab/kota through the seal, PROVILA per province) costs ~35 ms of CPU;
reading a fingerprint of everything they show costs one small query. So the page reads the fingerprint and keys the
rendered HTML (and the cycle's provinces) by it: a change is shown on the next request, in every process, without
anybody deleting a key (the default cache is per process, and the write may happen in another one).

Only anonymous visitors are served from the cache: a signed-in user's view may differ by role (the seal). The
caller checks publication before anything is read from the cache, so an unpublished cycle is never served.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

from kla.accounts.models import User
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.results.models import StageScore

# A bound on anything the fingerprint misses: renamed regions (Kemendagri), band rows of a framework changed without
# saving the framework itself (a framework is locked once a cycle uses it, and the loader saves it), two final scores
# changed at once by amounts that cancel out within a clock skew between servers.
TTL_SECONDS = 300
T = TypeVar("T")
_MISSING = object()


def _version_sql() -> str:
    """Plain SQL: the ORM's compilation of the same aggregate (FilteredRelation, GROUP BY) cost more than running it
    (measured at national scale: about 8 ms of CPU against 0.4 ms). Table names from the models, values parameters."""
    q = connection.ops.quote_name
    evaluation, score = q(Evaluation._meta.db_table), q(StageScore._meta.db_table)
    return f"""SELECT COUNT(e.id), MAX(e.id), MAX(e.status_changed_at), COUNT(f.id), SUM(f.total), MAX(f.computed_at)
FROM {evaluation} e LEFT JOIN {score} f ON f.evaluation_id = e.id AND f.stage = %s
WHERE e.cycle_id = %s"""  # noqa: S608 - table names from the models, every value a parameter


def results_version(cycle: Cycle) -> str:
    """A fingerprint of what the public sees of `cycle`'s results: one query, plus the cycle already read.

    The public sees, per evaluation of the cycle, its region, the predicate of its final score and, when the cycle
    publishes details, that score; per province, the framework's PROVILA rule against those predicates. So: the
    cycle's publication and `public_details`; its framework (`loaded_at` changes on every save, the rule is read
    with the cycle); the evaluations (count, newest, last status change); the final scores (count, sum, newest
    computation). Read it before the results are built: a write landing in between then makes the stored HTML newer
    than its key, never older.
    """
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(), [ScoreStage.FINAL.value, cycle.pk])
        row = tuple(cursor.fetchone() or ())
    framework = cycle.framework
    parts = (
        cycle.pk,
        cycle.published_at,
        cycle.release_at,
        cycle.public_details,
        framework.pk,
        framework.loaded_at,
        framework.province_rule,
        row,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Kept:
    """The parts kept of one version of a cycle's public results in the active language; `prefix` None (a signed-in
    user): nothing is kept, every part is built for the request."""

    prefix: str | None

    def get(self, part: str, build: Callable[[], T]) -> T:
        """The cached `part`, or `build()` stored as it. `build` must not depend on the request: whatever it
        returns is served to every anonymous visitor."""
        if self.prefix is None:
            return build()
        key = f"{self.prefix}:{part}"
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            value = build()
            cache.set(key, value, TTL_SECONDS)
        return cast("T", value)


def kept_for(user: User | AnonymousUser, cycle: Cycle) -> Kept:
    """The cache of `cycle`'s public results for an anonymous visitor; for anybody else, no cache (one query)."""
    if not user.is_anonymous:
        return Kept(None)
    return Kept(f"kla.results.public:{cycle.pk}:{results_version(cycle)}:{get_language()}")
