"""The cycle's field-verification rule where it is applied: after the ministry's administrative verification, the
evaluation goes to the field or straight to the final verification. Both rules on the demo data, through the
services: any change of predicate (level_change) and the published rule, a rise of one level or more (level_rise).
And the deadlines of verification read for one kabupaten/kota: its extension counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kla.demo.answers import fill_answers
from kla.evaluations.models import Cycle, Evaluation, StageDeadline, StageExtension
from kla.evaluations.services import evaluation_submit
from kla.evaluations.stages import Stage
from kla.evaluations.workflow import Step
from kla.indicators.bands import predicate_for
from kla.indicators.selectors import band_rules
from kla.results.models import PredicateRecord
from kla.verification.services import steps, verdicts
from kla.verification.services.preconditions import StepRefused

pytestmark = pytest.mark.django_db


def _at_ministry_review(rule: str, user_of) -> Evaluation:  # type: ignore[no-untyped-def]
    """Palembang submitted (EM above the gate) and accepted in full by the ministry, in a cycle without the
    province's review that uses `rule`."""

    Cycle.objects.filter(code="evaluasi-kla-demo").update(workflow={"province_review": False, "field_rule": rule})
    evaluation = Evaluation.objects.select_related("cycle__framework", "region").get(
        cycle__code="evaluasi-kla-demo", region_id="16.71"
    )
    fill_answers(evaluation, seed=7, strength=0.6, by=user_of("secretariat"))
    evaluation = evaluation_submit(evaluation=evaluation, by=user_of("secretariat"), acknowledge_missing=True)
    verifier = user_of("ministry_verifier")
    steps.advance(evaluation=evaluation, step=Step.START_MINISTRY_REVIEW, by=verifier)
    verdicts.entries_accept(
        evaluation=evaluation, entries=list(evaluation.entries.all()), comment="Sesuai", by=verifier
    )
    return evaluation


def _previous(evaluation: Evaluation, shift: int | None) -> None:
    """Palembang's predicate of the year before: `shift` levels below the band its verified score reaches (negative:
    above), or none at all."""
    PredicateRecord.objects.filter(region_id="16.71").delete()
    if shift is None:
        return
    bands = sorted(band_rules(evaluation.cycle.framework_id), key=lambda b: b.min_score)
    assert evaluation.em_score is not None
    band = predicate_for(evaluation.em_score, bands)
    assert band is not None
    index = bands.index(band) - shift
    assert 0 <= index < len(bands), f"{evaluation.em_score}: no band on that side"
    PredicateRecord.objects.create(
        region_id="16.71",
        year=evaluation.cycle.year - 1,
        band_code=bands[index].code,
        band_name=bands[index].name,
        source=PredicateRecord.Source.IMPORT,
    )


@pytest.mark.parametrize(
    ("rule", "shift", "expected"),
    [
        ("level_rise", 1, Evaluation.Status.FIELD_VERIFICATION),  # one level up: to the field
        ("level_rise", None, Evaluation.Status.FIELD_VERIFICATION),  # a first predicate is a rise
        ("level_rise", 0, Evaluation.Status.FINAL_VERIFICATION),  # same level
        ("level_rise", -1, Evaluation.Status.FINAL_VERIFICATION),  # one level down: not under the published rule
        ("level_change", 1, Evaluation.Status.FIELD_VERIFICATION),
        ("level_change", 0, Evaluation.Status.FINAL_VERIFICATION),
        ("level_change", -1, Evaluation.Status.FIELD_VERIFICATION),  # any change, a fall too
    ],
)
def test_the_cycles_field_rule_decides_the_next_stage(rule: str, shift: int | None, expected: str, user_of) -> None:  # type: ignore[no-untyped-def]
    evaluation = _at_ministry_review(rule, user_of)
    _previous(evaluation, shift)
    moved = steps.advance(evaluation=evaluation, step=Step.START_FIELD, by=user_of("ministry_verifier"))
    assert moved.status == expected


def test_the_province_reviews_an_extended_kabupaten_kota_after_the_calendars_deadline(user_of) -> None:  # type: ignore[no-untyped-def]
    """Every deadline check of verification asks the region's deadline in force: the step and the review."""
    evaluation = Evaluation.objects.select_related("cycle__framework", "region").get(
        cycle__code="evaluasi-kla-demo", region_id="16.71"
    )
    fill_answers(evaluation, seed=7, strength=0.6, by=user_of("secretariat"))
    evaluation = evaluation_submit(evaluation=evaluation, by=user_of("secretariat"), acknowledge_missing=True)
    now = timezone.now()
    StageDeadline.objects.filter(cycle=evaluation.cycle, stage=Stage.PROVINCE_REVIEW).update(
        starts_at=now - dt.timedelta(days=2), ends_at=now - dt.timedelta(hours=1)
    )
    province = user_of("province")
    evaluation = Evaluation.objects.select_related("cycle__framework", "region").get(pk=evaluation.pk)
    with pytest.raises(StepRefused, match="Batas waktu tahap ini sudah lewat"):
        steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=province)
    StageExtension.objects.create(
        cycle=evaluation.cycle,
        stage=Stage.PROVINCE_REVIEW,
        region_id="16.71",
        ends_at=now + dt.timedelta(days=3),
        reason="Verifikator provinsi sakit",
    )
    evaluation = Evaluation.objects.select_related("cycle__framework", "region").get(pk=evaluation.pk)
    steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=province)
    accepted = verdicts.entries_accept(
        evaluation=evaluation, entries=list(evaluation.entries.all()[:2]), comment="Sesuai", by=province
    )
    assert accepted > 0
    late = now + dt.timedelta(days=4)  # after the extension too
    with pytest.raises(StepRefused, match="sudah lewat"):
        verdicts.entries_accept(evaluation=evaluation, entries=list(evaluation.entries.all()), by=province, now=late)
