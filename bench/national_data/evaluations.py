"""One cycle, a chunk of kab/kota at a time: plan each evaluation in memory, then insert the evaluations, their
entries and everything below them in bulk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bench.national_data.answers import add_answers
from bench.national_data.constants import CHUNK, at_least, seeded_rng
from bench.national_data.context import Context
from bench.national_data.cycles import state_for
from bench.national_data.evidence import add_evidence, previous_evidence
from bench.national_data.fieldvisits import field_visits
from bench.national_data.plan import Plan, make_plan
from bench.national_data.verdicts import add_scores, add_verdicts
from kla.evaluations.models import Cycle, Entry, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.evaluations.workflow import State
from kla.evidence.holdings import holdings_recount
from kla.regions.models import Region


def seed_cycle(ctx: Context, cycle: Cycle, kabkota: Sequence[tuple[Region, int]], *, previous: bool, label: str) -> int:
    """The evaluations of `cycle` for the kab/kota that have none yet; returns how many were added."""
    existing = set(Evaluation.objects.filter(cycle=cycle).values_list("region_id", flat=True))
    todo = [(r, pos) for r, pos in kabkota if r.code not in existing]
    for start in range(0, len(todo), CHUNK):
        plans = [
            make_plan(ctx.fw, ctx.scorer, r, state_for(r, pos, previous=previous), seeded_rng(ctx.seed, label, r.code))
            for r, pos in todo[start : start + CHUNK]
        ]
        insert_plans(ctx, cycle, plans, previous=previous)
    return len(todo)


def insert_plans(ctx: Context, cycle: Cycle, plans: list[Plan], *, previous: bool) -> None:
    created = ctx.ins.now([_evaluation(ctx, cycle, plan, previous=previous) for plan in plans])
    entry_ids = _insert_entries(ctx, plans, created)
    drafts = [p.region.code for p in plans if not at_least(p.state, State.SUBMITTED)]
    carried = previous_evidence(cycle, drafts)
    rows: list[tuple[Plan, Evaluation, dict[str, int]]] = []
    for plan, evaluation in zip(plans, created, strict=True):
        ids = {i.code: entry_ids[(evaluation.pk, i.code)] for i in ctx.fw.indicators}
        _add_rows(ctx, cycle, plan, evaluation, ids, carried.get(plan.region.code, []))
        rows.append((plan, evaluation, ids))
    ctx.ins.flush()
    # The evidence rows went in without the services: count who holds which file (the duplicate check reads it).
    holdings_recount(regions=[plan.region.code for plan in plans])
    field_visits(ctx, rows, previous=previous)


def _evaluation(ctx: Context, cycle: Cycle, plan: Plan, *, previous: bool) -> Evaluation:
    rng, code, now = plan.rng, plan.region.code, ctx.now
    day = dt.timedelta(days=1)
    submitted = at_least(plan.state, State.SUBMITTED)
    if previous:
        submitted_at = now - rng.randint(300, 330) * day
        changed_at = cycle.published_at
    else:
        submitted_at = now - rng.randint(10, 40) * day
        changed_at = submitted_at + rng.randint(0, 9) * day if submitted else None
    return Evaluation(
        cycle=cycle,
        region_id=code,
        status=plan.state.value,
        status_changed_at=changed_at,
        submitted_at=submitted_at if submitted else None,
        submitted_by_id=ctx.people.secretariat(code) if submitted else None,
        em_score=plan.em,
        em_snapshot=plan.snapshot,
        missing_at_submission=[] if submitted else None,
    )


def _insert_entries(ctx: Context, plans: list[Plan], evaluations: list[Evaluation]) -> dict[tuple[int, str], int]:
    """One entry per indicator of every evaluation; returns (evaluation id, indicator code) → entry id."""
    entries = [
        _entry(ctx, plan, evaluation, i.id, i.code, i.questions[0].code)
        for plan, evaluation in zip(plans, evaluations, strict=True)
        for i in ctx.fw.indicators
    ]
    return {(entry.evaluation_id, ctx.fw.code_of[entry.indicator_id]): entry.pk for entry in ctx.ins.now(entries)}


def _entry(ctx: Context, plan: Plan, evaluation: Evaluation, indicator_id: int, code: str, first: str) -> Entry:
    """The entry of one indicator: open in a draft, out with the kab/kota if returned, submitted otherwise."""
    day = dt.timedelta(days=1)
    entry = Entry(evaluation_id=evaluation.pk, indicator_id=indicator_id)
    if not at_least(plan.state, State.SUBMITTED):
        entry.status = Entry.Status.OPEN
    elif code == plan.returned:
        entry.status = Entry.Status.RETURNED
        entry.return_reason = plan.province[first].reason
        entry.return_deadline = ctx.now + 14 * day
        entry.returned_at, entry.returned_by_id = ctx.now - 2 * day, ctx.people.reviewer(plan.region.code)
    else:
        entry.status = Entry.Status.SUBMITTED
        if code == plan.resubmitted:
            assert evaluation.submitted_at is not None
            entry.returned_at = evaluation.submitted_at + 20 * day
            entry.returned_by_id = ctx.people.reviewer(plan.region.code)
            entry.resubmitted_at = evaluation.submitted_at + 27 * day
    return entry


def _add_rows(
    ctx: Context, cycle: Cycle, plan: Plan, evaluation: Evaluation, entries: dict[str, int], carried: list[Any]
) -> None:
    """Everything below one evaluation: assignments, answers, verdicts, stage scores, evidence."""
    people, rng = ctx.people, plan.rng
    ministry = rng.choice(people.ministry_verifiers)
    field_verifier = rng.choice(people.field_verifiers)
    operators = add_answers(ctx, plan, entries)
    add_verdicts(ctx, plan, entries, ministry=ministry, field_verifier=field_verifier)
    actors = {
        ScoreStage.PROVINCE_VA: people.reviewer(plan.region.code),
        ScoreStage.MINISTRY_VA: ministry,
        ScoreStage.VL: field_verifier,
        ScoreStage.FINAL: people.admins[0],
    }
    add_scores(ctx, cycle, plan, evaluation, actors)
    add_evidence(ctx, cycle, plan, entries, carried, operators)
