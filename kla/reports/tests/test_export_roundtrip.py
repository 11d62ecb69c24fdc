"""The exports read by one SQL query give exactly the rows (and files) of the batched ORM build they replaced
(`legacy_exporters`), for every persona, before and after publication, with scores, agencies, answers and evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kla.agencies.models import Agency
from kla.evaluations.models import Assignment, Cycle, Entry, Evaluation
from kla.reports import exporters
from kla.reports.tests import legacy_exporters
from kla.results.models import StageScore

CYCLE = "evaluasi-kla-demo"
PERSONAS = ["ministry_verifier", "field_verifier", "ministry_admin", "province", "secretariat", "opd", "no_role"]


@pytest.fixture
def data(db: None) -> Cycle:
    """Palembang determined with every stage scored, Lubuk Linggau with only a province VA, two agencies on one
    indicator (one whose name a spreadsheet would run as a formula)."""
    cycle = Cycle.objects.get(code=CYCLE)
    palembang = Evaluation.objects.get(cycle=cycle, region_id="16.71")
    palembang.status = Evaluation.Status.DETERMINED
    palembang.em_score = Decimal("701.25")
    palembang.em_snapshot = {"indicators": {"1": {"points": "30.00"}, "2": {"points": "12.5"}}}
    palembang.save()
    stages = {"province_va": "690.50", "ministry_va": "680.75", "vl": "670.00", "final": "675.00"}
    for stage, total in stages.items():
        StageScore.objects.create(
            evaluation=palembang,
            stage=stage,
            total=Decimal(total),
            framework_code="kla-2024-ref",
            breakdown={"indicators": {"1": {"points": "31.50", "max": "40"}, "3": {"points": "7.25"}}},
        )
    other = Evaluation.objects.filter(cycle=cycle).exclude(pk=palembang.pk).order_by("region_id").first()
    assert other is not None
    StageScore.objects.create(
        evaluation=other, stage="province_va", total=Decimal("12"), framework_code="x", breakdown={"indicators": {}}
    )
    entry = Entry.objects.get(evaluation=palembang, indicator__number=1)
    for name in ("Dinas Zeta", '=HYPERLINK("http://contoh.invalid")'):
        Assignment.objects.create(entry=entry, agency=Agency.objects.create(region_id="16.71", kind="LAIN", name=name))
    return cycle


def _both(user: Any, cycle: Cycle, kind: str) -> tuple[list[Any], list[Any]]:
    new = exporters.EXPORTERS[kind].build(user, cycle)
    old = legacy_exporters.EXPORTERS[kind].build(user, cycle)
    assert (new.columns, new.widths, new.total) == (old.columns, old.widths, old.total)
    return list(new.rows), list(old.rows)


@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize("kind", ["rekap-evaluasi", "rincian-indikator"])
def test_the_same_rows_as_before_for_every_persona(data: Cycle, user_of: Any, kind: str, published: bool) -> None:
    if published:
        data.published_at = timezone.now() - dt.timedelta(days=1)
        data.save()
    for persona in PERSONAS:
        new, old = _both(user_of(persona), data, kind)
        assert new == old, persona
        assert [type(c) for row in new for c in row] == [type(c) for row in old for c in row], persona
    ministry = _both(user_of("ministry_verifier"), data, kind)[0]
    assert len(ministry) >= 17 and any(isinstance(c, Decimal) for row in ministry for c in row)


def test_a_cycle_with_public_details_shows_the_same_as_before(data: Cycle, user_of: Any) -> None:
    data.published_at = timezone.now() - dt.timedelta(days=1)
    data.public_details = True
    data.save()
    for kind in exporters.EXPORTERS:
        for persona in ("secretariat", "province", "no_role"):
            new, old = _both(user_of(persona), data, kind)
            assert new == old, (kind, persona)
