"""Evidence rows: fresh uploads for everything submitted, last cycle's evidence carried forward into drafts. Every row
points to one of the few stored sample files (`files.py`)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from bench.national_data.answers import responsible
from bench.national_data.constants import EVIDENCE_PER_INDICATOR, at_least
from bench.national_data.context import Context
from bench.national_data.files import StoredFile
from bench.national_data.plan import Plan
from kla.evaluations.models import Cycle
from kla.evaluations.workflow import State
from kla.evidence.models import Evidence

CARRIED_FIELDS = (
    "evidence_type",
    "doc_number",
    "doc_date",
    "issuer",
    "description",
    "file",
    "original_name",
    "kind",
    "mime",
    "size",
    "sha256",
    "original_sha256",
    "page_count",
    "metadata_removed",
    "scan_status",
)


def previous_evidence(cycle: Cycle, regions: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The active evidence of these regions' previous evaluations, to be carried into their drafts."""
    if not regions:
        return {}
    previous = Cycle.objects.filter(year__lt=cycle.year, code__startswith="nasional-").order_by("-year").first()
    if previous is None:
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    rows = (
        Evidence.objects.filter(
            entry__evaluation__cycle=previous, entry__evaluation__region_id__in=regions, status=Evidence.Status.ACTIVE
        )
        .order_by("pk")
        .values("pk", "entry__evaluation__region_id", "entry__indicator_id", "question_id", *CARRIED_FIELDS)
    )
    for row in rows:
        out.setdefault(row["entry__evaluation__region_id"], []).append(dict(row))
    return out


def add_evidence(
    ctx: Context,
    cycle: Cycle,
    plan: Plan,
    entries: dict[str, int],
    carried: list[dict[str, Any]],
    operators: dict[str, int],
) -> None:
    """Carried forward into a draft that had evidence last cycle; fresh uploads for everything submitted and for the
    indicators a draft has answered in full."""
    if carried:
        _add_carried(ctx, plan, entries, carried)
    elif at_least(plan.state, State.SUBMITTED) or plan.complete_indicators:
        _add_fresh(ctx, cycle, plan, entries, operators)


def _add_carried(ctx: Context, plan: Plan, entries: dict[str, int], carried: list[dict[str, Any]]) -> None:
    secretariat = ctx.people.secretariat(plan.region.code)
    for row in carried:
        icode = ctx.fw.code_of[row["entry__indicator_id"]]
        ctx.ins.add(
            Evidence(
                entry_id=entries[icode],
                question_id=row["question_id"],
                **{name: row[name] for name in CARRIED_FIELDS},
                carried_from_id=row["pk"],
                confirmation=Evidence.Confirmation.VALID
                if icode in plan.complete_indicators
                else Evidence.Confirmation.PENDING,
                uploaded_by_id=secretariat,
            )
        )


def file_for(ctx: Context, evidence_type: str, rng: random.Random) -> tuple[str, StoredFile]:
    """(evidence type as stored, the sample file) for a type the rubric asks for."""
    if evidence_type in ("photo", "video"):
        return "photo", ctx.files[rng.choice(("photo", "photo_2"))]
    return evidence_type, ctx.files.get(evidence_type, ctx.files["report"])


def _add_fresh(ctx: Context, cycle: Cycle, plan: Plan, entries: dict[str, int], operators: dict[str, int]) -> None:
    rng, year = plan.rng, cycle.year
    submitted = at_least(plan.state, State.SUBMITTED)
    for i in ctx.fw.indicators:
        if not submitted and i.code not in plan.complete_indicators:
            continue
        agency = responsible(ctx, plan.region.code, i)[0][1]
        for n in range(EVIDENCE_PER_INDICATOR):
            q = i.questions[n % len(i.questions)]
            kind, description = q.evidence[n % len(q.evidence)] if q.evidence else ("report", "")
            kind, stored = file_for(ctx, kind, rng)
            ctx.ins.add(
                Evidence(
                    entry_id=entries[i.code],
                    question_id=q.id,
                    evidence_type=kind,
                    doc_number=f"{rng.randint(1, 450)}/{i.code}/{year - 1}" if kind in ("regulation", "decree") else "",
                    doc_date=dt.date(year - 1, rng.randint(1, 12), rng.randint(1, 28)),
                    issuer=ctx.people.agency_names[agency],
                    description=description[:500],
                    file=stored.name,
                    original_name=stored.original_name,
                    kind=stored.kind,
                    mime=stored.mime,
                    size=stored.size,
                    sha256=stored.sha256,
                    original_sha256=stored.original_sha256,
                    page_count=stored.page_count,
                    metadata_removed=stored.metadata_removed,
                    scan_status=Evidence.Scan.NOT_SCANNED,
                    status=Evidence.Status.ACTIVE,
                    uploaded_by_id=operators[i.code],
                )
            )
