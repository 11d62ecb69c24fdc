"""Reads for the field-verification pages, each with a fixed number of queries (however many sites or photos)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action, Role
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.fieldvisits import checklists
from kla.fieldvisits.models import FieldPhoto, FieldPlan, FieldSite
from kla.results.selectors.scores import visible_scores
from kla.verification import tally
from kla.verification.models import Verdict


def team_candidates() -> QuerySet[User]:
    """Active users holding an active field verifier membership: who may be on a visit team."""
    return (
        User.objects.filter(is_active=True, memberships__role=Role.FIELD_VERIFIER, memberships__revoked_at__isnull=True)
        .distinct()
        .order_by("full_name", "username")
    )


def evaluations_in_field(user: User) -> QuerySet[Evaluation]:
    """Evaluations in field verification within the user's scope, with their plan (if any)."""
    qs = Evaluation.objects.filter(status=Evaluation.Status.FIELD_VERIFICATION).select_related(
        "cycle", "region__parent", "field_plan"
    )
    scope = access.region_scope_q(user, Action.EVALUATION_VIEW)
    if scope is not None:
        qs = qs.filter(scope)
    return qs.annotate(site_count=Count("field_plan__sites")).order_by("cycle_id", "region_id")


# --- the plan page -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteRow:
    site: FieldSite
    progress: checklists.Progress
    photo_count: int


@dataclass(frozen=True)
class Suggestion:
    """An indicator whose claims are best checked at a kind of site, and whether a site for it is planned."""

    entry: Entry
    kind: checklists.SiteKind
    kind_label: str
    planned: bool


@dataclass
class PlanPage:
    evaluation: Evaluation
    plan: FieldPlan | None
    team: list[User] = field(default_factory=list)
    sites: list[SiteRow] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def visited(self) -> int:
        return sum(1 for s in self.sites if s.site.visited)


def suggestions_for(entries: list[Entry], planned_entry_ids: set[int]) -> list[Suggestion]:
    """Sites to propose from the evaluation's indicators (schools, health centres, play spaces, ...)."""
    out = []
    for entry in entries:
        kind = checklists.suggest_kind(entry.indicator.name, entry.indicator.short_name)
        if kind is not None:
            out.append(Suggestion(entry, kind, checklists.SITE_KIND_LABELS[kind], entry.pk in planned_entry_ids))
    return out


def site_suggestions(evaluation: Evaluation) -> list[Suggestion]:
    entries = list(evaluation.entries.select_related("indicator").order_by("indicator__position"))
    planned = set(
        FieldSite.objects.filter(plan__evaluation=evaluation, entry__isnull=False).values_list("entry_id", flat=True)
    )
    return suggestions_for(entries, planned)


def plan_page(evaluation: Evaluation) -> PlanPage:
    plan = (
        FieldPlan.objects.filter(evaluation=evaluation)
        .select_related("created_by", "updated_by")
        .prefetch_related("team")
        .first()
    )
    entries = list(evaluation.entries.select_related("indicator").order_by("indicator__position"))
    page = PlanPage(evaluation=evaluation, plan=plan, entries=entries)
    if plan is None:
        page.suggestions = suggestions_for(entries, set())
        return page
    page.team = sorted(plan.team.all(), key=lambda u: (u.full_name, u.username))
    sites = (
        FieldSite.objects.filter(plan=plan)
        .select_related("entry__indicator")
        .annotate(photo_count=Count("photos"))
        .order_by("created_at", "id")
    )
    page.sites = [SiteRow(s, checklists.progress(s.checklist), s.photo_count) for s in sites]
    page.suggestions = suggestions_for(entries, {s.site.entry_id for s in page.sites if s.site.entry_id})
    return page


def site_photos(site: FieldSite) -> list[FieldPhoto]:
    return list(FieldPhoto.objects.filter(site=site).select_related("uploaded_by").order_by("taken_at", "id"))


# --- the VL points page --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointsRow:
    entry: Entry
    max_points: Decimal
    base: Decimal | None  # the ministry's administrative-verification points
    verdict: Verdict | None  # the field verifier's decision, if any
    points: Decimal | None  # the VL points that count: the decision, else the base

    @property
    def changed(self) -> bool:
        return self.verdict is not None and self.base is not None and self.points != self.base


@dataclass
class PointsTable:
    rows: list[PointsRow]
    has_base: bool
    base_total: Decimal
    vl_total: Decimal
    max_total: Decimal

    @property
    def decided(self) -> int:
        return sum(1 for r in self.rows if r.verdict is not None)

    @property
    def difference(self) -> Decimal:
        return self.vl_total - self.base_total


def points_table(user: User, evaluation: Evaluation) -> PointsTable:
    """Per indicator: maximum, the ministry's verified points, the field verifier's points and reason, totals.

    The ministry's stage score is read through the seal (`kla.results.selectors`), as every score is.
    """
    entries = list(evaluation.entries.select_related("indicator").order_by("indicator__position"))
    visible = visible_scores(user, [evaluation])[0]
    ministry = visible.rows.get(ScoreStage.MINISTRY_VA)
    parts: dict[str, Any] = ministry.breakdown.get("indicators", {}) if ministry is not None else {}
    verdicts = {
        v.entry_id: v
        for v in Verdict.objects.filter(
            entry__evaluation=evaluation, stage=Verdict.Stage.FIELD, question__isnull=True
        ).select_related("decided_by")
    }
    maxima = {
        e.indicator.code: Decimal(str(parts[e.indicator.code]["max"]))
        if e.indicator.code in parts
        else e.indicator.max_points
        for e in entries
    }
    base = {code: Decimal(str(p["points"])) for code, p in parts.items() if code in maxima}
    decided = {
        e.indicator.code: verdicts[e.pk].points
        for e in entries
        if e.pk in verdicts and verdicts[e.pk].points is not None
    }
    effective = tally.field_points(base, maxima, {c: p for c, p in decided.items() if p is not None})
    rows = []
    for entry in entries:
        code = entry.indicator.code
        verdict = verdicts.get(entry.pk)
        points = effective.get(code)
        if points is None and verdict is not None:
            points = verdict.points
        rows.append(PointsRow(entry, maxima[code], base.get(code), verdict, points))
    zero = Decimal(0)
    return PointsTable(
        rows=rows,
        has_base=ministry is not None,
        base_total=sum(base.values(), zero),
        vl_total=sum((r.points for r in rows if r.points is not None), zero),
        max_total=sum(maxima.values(), zero),
    )
