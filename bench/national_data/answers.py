"""Who answers which indicator (assignments to the agencies the instrument names) and the planned answers."""

from __future__ import annotations

from bench.national_data.constants import AGENCY_KINDS, SECRETARIAT_KIND
from bench.national_data.context import Context
from bench.national_data.instrument import IndicatorSpec
from bench.national_data.plan import Plan
from kla.evaluations.models import Answer, Assignment


def responsible(ctx: Context, region: str, indicator: IndicatorSpec) -> list[tuple[str, int]]:
    """(kind, agency id) of the region's agencies the instrument names for the indicator; Dinas PPPA otherwise."""
    kinds = [k for k in AGENCY_KINDS if k in indicator.agencies] or [SECRETARIAT_KIND]
    return [(k, ctx.people.agencies[(region, k)]) for k in kinds]


def add_answers(ctx: Context, plan: Plan, entries: dict[str, int]) -> dict[str, int]:
    """Assignments and answers of one evaluation; returns the operator who answers each indicator (code → user id)."""
    code = plan.region.code
    secretariat = ctx.people.secretariat(code)
    operators: dict[str, int] = {}
    for i in ctx.fw.indicators:
        agencies = responsible(ctx, code, i)
        for _kind, agency in agencies:
            ctx.ins.add(Assignment(entry_id=entries[i.code], agency_id=agency, assigned_by_id=secretariat))
        operators[i.code] = ctx.people.operator(code, agencies[0][0])
        for q in i.questions:
            scored = plan.answers.get(q.code)
            if scored is None:
                continue
            justification = "Sesuai dokumen sumber; lihat bukti dukung." if scored.warnings else ""
            ctx.ins.add(
                Answer(
                    entry_id=entries[i.code],
                    question_id=q.id,
                    value=scored.value,
                    justification=justification,
                    warnings=scored.warnings,
                    answered=scored.answered,
                    needs_justification=bool(scored.warnings) and not justification,
                    points=scored.points,
                    explanation=scored.explanation,
                    version=1,
                    updated_by_id=operators[i.code],
                )
            )
    return operators
