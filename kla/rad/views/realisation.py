"""Realisation per quarter per activity of the plan in force: the year's table (an agency's operators see only
their agency's activities) and the form for one activity's quarter: spending per source, output achieved, notes,
and the explanation when the year's spending exceeds the plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from kla.core.compiled import CompiledQuery
from kla.core.http import AuthedRequest
from kla.rad import access, rules, selectors, services
from kla.rad.forms import RealisationForm, typed
from kla.rad.models import Node, Output, Version
from kla.rad.selectors.plans import NodeView
from kla.rad.selectors.realisation import QuarterFigures
from kla.rad.views import realisation_rows
from kla.rad.views.common import htmx, refuse, status_of, year_asked
from kla.rad.views.plans import SOURCE_LABELS
from kla.rad.views.realisation_rows import Line


def _leaves(views: list[NodeView]) -> list[NodeView]:
    out: list[NodeView] = []
    for view in views:
        if view.children:
            out.extend(_leaves(view.children))
        elif view.node.level in rules.FUNDED_LEVELS:
            out.append(view)
    return out


def _lines(version: Version, year: int, own: set[int] | None, today: dt.date, can_record: bool) -> list[Line]:
    tree = selectors.plan_tree(version)
    leaves = [
        view
        for view in _leaves([p for c in tree.clusters for i in c.indicators for p in i.programmes])
        if own is None or view.node.agency_id in own
    ]
    table = selectors.realisation_summary(version.plan, year)
    return realisation_rows.lines(leaves, table, year=year, today=today, can_record=can_record)


_ADOPTED: CompiledQuery[Version] = CompiledQuery(
    lambda plan: Version.objects.filter(plan_id=plan, status=Version.Status.ADOPTED).order_by("pk"), int
)


@require_GET
@login_required
def realisation(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    year = year_asked(request, plan)
    adopted = _ADOPTED.fetch(plan.pk)[:1]
    version = adopted[0] if adopted else None
    if version is not None:
        version.plan = plan
    own = access.realise_agency_ids(request.user, plan.region_id)
    readers_only = not access.can_manage(request.user, plan.region_id) and own is not None and not own
    can_record = not readers_only and own != set()
    context = {
        "plan": plan,
        "region": plan.region,
        "version": version,
        "year": year,
        "years": plan.years,
        "quarters": rules.QUARTERS,
        "lines": _lines(version, year, own if own else None, timezone.localdate(), can_record) if version else [],
        "limited": bool(own),
        "can_record": can_record,
    }
    template = "rad/realisation.html#table" if request.htmx else "rad/realisation.html"
    return htmx(render(request, template, context))


def _quarter_asked(request: AuthedRequest, node: Node) -> tuple[int, int]:
    plan = node.version.plan
    source = request.POST if request.method == "POST" else request.GET
    raw_year, raw_quarter = str(source.get("tahun", "")), str(source.get("triwulan", ""))
    today = timezone.localdate()
    year = int(raw_year) if raw_year.isdigit() else min(max(today.year, plan.start_year), plan.end_year)
    quarter = int(raw_quarter) if raw_quarter.isdigit() else (today.month - 1) // 3 + 1
    return year, quarter


def _initial(figures: QuarterFigures | None, outputs: list[Output]) -> dict[str, str]:
    if figures is None:
        return {}
    initial = {f"spent_{s}": typed(a) for s, a in figures.by_source.items()}
    initial |= {f"achieved_{o.key}": typed(figures.achieved.get(str(o.key))) for o in outputs}
    return initial | {
        "notes": figures.realisation.notes,
        "explanation": figures.realisation.overspend_explanation,
    }


def _page(request: AuthedRequest, node: Node, year: int, quarter: int, form: RealisationForm | None) -> HttpResponse:
    plan = node.version.plan
    outputs = list(node.outputs.prefetch_related("targets").order_by("position", "id"))
    recorded = selectors.realisation_table(plan, year).get(str(node.key), {})
    planned = {(b.source): b.amount for b in node.budget_lines.filter(year=year)}
    context: dict[str, Any] = {
        "node": node,
        "plan": plan,
        "year": year,
        "quarter": quarter,
        "years": plan.years,
        "quarters": rules.QUARTERS,
        "recorded": recorded,
        "planned": planned,
        "planned_total": sum(planned.values(), Decimal("0.00")),
        "spent_year": sum((f.spent for f in recorded.values()), Decimal("0.00")),
        "targets": {o.pk: next((t.value for t in o.targets.all() if t.year == year), None) for o in outputs},
        "form": form or RealisationForm(initial=_initial(recorded.get(quarter), outputs), outputs=outputs),
        "source_labels": SOURCE_LABELS,
    }
    return render(request, "rad/record.html", context, status=status_of(form))


@require_http_methods(["GET", "POST"])
@login_required
def realisation_record(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET ``?tahun=&triwulan=``: the form with what was recorded; POST records (or corrects) that quarter."""
    found = access.get_node_for_user(request.user, pk, realise=True)
    year, quarter = _quarter_asked(request, found)
    if request.method == "GET":
        return _page(request, found, year, quarter, None)
    outputs = list(found.outputs.order_by("position", "id"))
    form = RealisationForm(request.POST, outputs=outputs)
    if form.is_valid():
        data = form.cleaned_data
        achieved = form.achieved()
        try:
            services.realisation_record(
                node=found,
                year=year,
                quarter=quarter,
                spent=form.spent(),
                achieved=achieved,
                notes=data["notes"],
                explanation=data["explanation"],
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            refuse(form, exc)
        else:
            messages.success(
                request,
                gettext("Realisasi %(name)s triwulan %(quarter)s tahun %(year)s disimpan.")
                % {"name": found.name, "quarter": quarter, "year": year},
            )
            return redirect(f"{reverse('rad:realisation', args=[found.version.plan_id])}?tahun={year}")
    return _page(request, found, year, quarter, form)
