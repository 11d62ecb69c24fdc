"""The counts behind the review progress of a page of evaluations (`selectors.review_progress`), read without
building a queryset per request.

The number of questions of a framework is an instrument fact: its rows change only when
`indicators.services.framework_load` replaces them, which stamps a new `loaded_at`; it is kept per process under the
framework's id and `loaded_at` (a reload is a new key, never a stale count), and so are its predicate bands. The
verdicts per evaluation, stage and decision and the returned entries per evaluation are compiled once per process
and number of evaluations (`CompiledRows`: the queue shows up to 50, a province page its kab/kota).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, QuerySet

from kla.core.compiled_rows import CompiledRows
from kla.evaluations.models import Cycle, Entry
from kla.indicators.models import Framework, Question
from kla.indicators.scoring import BandRule
from kla.indicators.selectors import band_rules
from kla.verification.models import Verdict


def framework_of(cycle: Cycle) -> Framework | None:
    """The cycle's framework when it was read with the cycle (`select_related`), else None (no query)."""
    return cycle.framework if Cycle.framework.is_cached(cycle) else None


def question_count(framework: Framework) -> int:
    """How many questions the framework has (one query per process and version of the instrument)."""
    return _question_count(framework.pk, framework.loaded_at)


@functools.lru_cache(maxsize=64)
def _question_count(framework_id: int, loaded_at: dt.datetime) -> int:
    del loaded_at  # the key: a reload of the instrument is counted afresh
    return Question.objects.filter(indicator__framework_id=framework_id).count()


def bands_of(framework: Framework) -> list[BandRule]:
    """The framework's predicate bands, lowest first (`indicators.selectors.band_rules`, once per process and
    version of the instrument). A copy: callers may keep it."""
    return list(_bands(framework.pk, framework.loaded_at))


@functools.lru_cache(maxsize=64)
def _bands(framework_id: int, loaded_at: dt.datetime) -> tuple[BandRule, ...]:
    del loaded_at
    return tuple(band_rules(framework_id))


def _verdicts(*ids: int) -> QuerySet[Any]:
    return (
        Verdict.objects.filter(entry__evaluation_id__in=ids, question__isnull=False)
        .values("entry__evaluation_id", "stage", "decision")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("entry__evaluation_id", "stage", "decision", "n")
    )


def _returned(*ids: int) -> QuerySet[Any]:
    return (
        Entry.objects.filter(evaluation_id__in=ids, status=Entry.Status.RETURNED)
        .values("evaluation_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("evaluation_id", "n")
    )


@functools.lru_cache(maxsize=128)
def _compiled(kind: str, n: int) -> CompiledRows:
    return CompiledRows(_verdicts if kind == "verdicts" else _returned, *([int] * n))


def verdict_counts(ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(evaluation id, stage, decision, verdicts) of the questions of these evaluations, every stage."""
    return _compiled("verdicts", len(ids)).fetch(*ids) if ids else []


def returned_counts(ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(evaluation id, entries out for correction) of these evaluations, those with any."""
    return _compiled("returned", len(ids)).fetch(*ids) if ids else []
