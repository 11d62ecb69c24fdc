"""Per province: the letter wording and one proposal letter per cycle (rendered as PDF after the commit, through the
task queue, as `propose` does); per kab/kota: a target one predicate above last year's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from bench.national_data.constants import STATE_ORDER, at_least
from bench.national_data.context import Context
from bench.national_data.names import person
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.evaluations.workflow import State
from kla.regions.models import Region
from kla.results.models import PredicateRecord, StageScore, Target
from kla.verification.models import LetterTemplate, ProposalLetter
from kla.verification.selectors import letter_defaults

LetterRow = tuple[str, str | None, str]  # kab/kota name, EM score, province VA score


def letters_and_targets(
    ctx: Context, cycles: Sequence[Cycle], provinces: Sequence[Region], kabkota: Sequence[Region]
) -> list[int]:
    """Letter wording per province, one proposal letter per province and cycle, targets per kab/kota; returns the
    ids of the letters added."""
    _letter_templates(ctx, provinces)
    letters = [letter for cycle in cycles for letter in _proposal_letters(ctx, cycle, provinces)]
    created = ctx.ins.now(letters)
    year = max((c.year for c in cycles), default=ctx.now.year)
    _targets(ctx, kabkota, year)
    return [letter.pk for letter in created]


def render_letters(letter_ids: list[int]) -> None:
    """Render the proposal letters as `propose` does: through the task queue, after the commit."""
    from kla.verification.tasks import render_proposal_letter

    for pk in letter_ids:
        render_proposal_letter.enqueue(pk)


def _letter_templates(ctx: Context, provinces: Sequence[Region]) -> None:
    with_template = set(LetterTemplate.objects.filter(province__in=provinces).values_list("province_id", flat=True))
    templates = []
    for p in provinces:
        if p.code in with_template:
            continue
        wording = letter_defaults(p)
        templates.append(
            LetterTemplate(
                province=p,
                body=wording["body"],
                city=p.name.title(),
                signer=person(ctx.seed, f"penandatangan-{p.code}"),
                title=wording["title"],
                updated_by_id=ctx.people.reviewer(p.code),
            )
        )
    ctx.ins.now(templates)


def _proposal_letters(ctx: Context, cycle: Cycle, provinces: Sequence[Region]) -> list[ProposalLetter]:
    """A letter for every province without one in `cycle` that has proposed kab/kota."""
    has_letter = set(ProposalLetter.objects.filter(cycle=cycle).values_list("province_id", flat=True))
    rows = _letter_rows(cycle, provinces)
    letters = []
    for p in provinces:
        if p.code in has_letter or p.code not in rows:
            continue
        wording = letter_defaults(p)
        number = f"400.2.3/{len(rows[p.code])}/DPPPA/{cycle.year}"
        date = timezone.localdate(ctx.now - dt.timedelta(days=250 if cycle.published_at else 3))
        context = {
            **wording,
            "province": p.name,
            "cycle": cycle.name,
            "year": cycle.year,
            "number": number,
            "date": date.isoformat(),
            "rows": [
                {"number": n, "name": name, "em_score": em, "va_score": score}
                for n, (name, em, score) in enumerate(rows[p.code], start=1)
            ],
        }
        letters.append(
            ProposalLetter(
                cycle=cycle, province=p, number=number, created_by_id=ctx.people.reviewer(p.code), context=context
            )
        )
    return letters


def _letter_rows(cycle: Cycle, provinces: Sequence[Region]) -> dict[str, list[LetterRow]]:
    """Per province code: its proposed (or later) kab/kota by name, with their EM and province VA scores."""
    proposed_states = [s.value for s in STATE_ORDER if at_least(s, State.PROPOSED)]
    evaluations = (
        Evaluation.objects.filter(cycle=cycle, region__parent__in=provinces, status__in=proposed_states)
        .select_related("region")
        .order_by("region__name")
    )
    va = dict(
        StageScore.objects.filter(evaluation__in=evaluations, stage=ScoreStage.PROVINCE_VA).values_list(
            "evaluation_id", "total"
        )
    )
    rows: dict[str, list[LetterRow]] = {}
    for e in evaluations:
        em = str(e.em_score) if e.em_score is not None else None
        rows.setdefault(e.region.parent_id or "", []).append((e.region.name, em, str(va[e.pk])))
    return rows


def _targets(ctx: Context, kabkota: Sequence[Region], year: int) -> None:
    """The next predicate above last year's, for every kab/kota with a predicate and without a target."""
    has_target = set(Target.objects.filter(region__in=kabkota).values_list("region_id", flat=True))
    last = dict(
        PredicateRecord.objects.filter(region__in=kabkota, source=PredicateRecord.Source.CYCLE)
        .order_by("region_id", "year")
        .values_list("region_id", "band_code")
    )
    order = [b.code for b in sorted(ctx.fw.bands, key=lambda b: b.min_score)]
    targets = []
    for r in kabkota:
        if r.code in has_target or r.code not in last:
            continue
        band = last[r.code]
        goal = order[min(order.index(band) + 1, len(order) - 1)] if band in order else order[0]
        targets.append(
            Target(region=r, band_code=goal, year=year, note="data nasional", set_by_id=ctx.people.secretariat(r.code))
        )
    ctx.ins.now(targets)
