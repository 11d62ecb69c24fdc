"""The budget page of a plan: a year's child-rights budget planned and realised per agency, source, cluster and
indicator, its share of the region's budget (entered here per year), the flags the secretariat sees before the
evaluation opens, and what a revision draft changes against the adopted figures. The basis file's download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kla.core import audit
from kla.core.compiled import CompiledQuery
from kla.core.compiled_rows import CompiledRows
from kla.core.http import AuthedRequest
from kla.evidence.downloads import stored_attachment
from kla.rad import access, rules, selectors, services
from kla.rad.forms import RegionBudgetForm, typed
from kla.rad.models import Document, Node, Plan, Version
from kla.rad.views.budget_rows import breakdown_bodies
from kla.rad.views.common import htmx, refuse, status_of, year_asked
from kla.rad.views.plans import SOURCE_LABELS
from kla.regions.models import Region

GONE = gettext_lazy(
    "Berkas RAD KLA ini tidak ada lagi di penyimpanan. Laporkan ke administrator, lalu minta "
    "sekretariat mengunggah ulang salinannya."
)


_LABELS = CompiledRows(
    lambda plan: Node.objects.filter(version__plan_id=plan, level__in=sorted(rules.FUNDED_LEVELS)).values_list(
        "key", "name"
    ),
    int,
)
_DRAFT: CompiledQuery[Version] = CompiledQuery(
    lambda plan: Version.objects.filter(plan_id=plan, status=Version.Status.DRAFT).order_by("pk"), int
)


def _labels(plan: Plan) -> dict[str, str]:
    """Every funded node's name by stable key, over all versions (a revision's new activities too): one query."""
    return {str(key): name for key, name in _LABELS.fetch(plan.pk)}


def _draft(plan: Plan) -> Version | None:
    found = _DRAFT.fetch(plan.pk)[:1]
    for version in found:
        version.plan = plan
    return found[0] if found else None


def _recap_regions(request: AuthedRequest, plan: Plan) -> list[Region]:
    """The kab/kota and its province, those whose RAD KLA recap the user may ask for (the recap's own gate)."""
    regions = [plan.region] + ([plan.region.parent] if plan.region.parent is not None else [])
    return [r for r in regions if access.can_view(request.user, r.code)]


def _page(request: AuthedRequest, plan: Plan, year: int, form: RegionBudgetForm | None = None) -> HttpResponse:
    report = selectors.budget_report(plan, year)
    draft = _draft(plan)
    changes = selectors.revision_changes(draft) if draft is not None and draft.is_revision else []
    can_manage = access.can_manage(request.user, plan.region_id)
    budgets = selectors.region_budgets(plan.region_id, plan.years)
    if form is None and can_manage:
        form = RegionBudgetForm(initial={"year": year, "total": typed(budgets.get(year))})
    context: dict[str, Any] = {
        "plan": plan,
        "region": plan.region,
        "year": year,
        "years": plan.years,
        "report": report,
        "b": report.breakdown,
        "bodies": breakdown_bodies(report.breakdown),  # each table's rows built once (budget_rows.py)
        "labels": _labels(plan),
        "region_budgets": budgets,
        "draft": draft,
        "changes": changes,
        "source_labels": SOURCE_LABELS,
        "can_manage": can_manage,
        "form": form if can_manage else None,
        "recap_regions": _recap_regions(request, plan),
    }
    template = "rad/budget.html#report" if request.htmx else "rad/budget.html"
    return htmx(render(request, template, context, status=status_of(form)))


@require_GET
@login_required
def budget(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    return _page(request, plan, year_asked(request, plan))


@require_POST
@login_required
def region_budget(request: AuthedRequest, pk: int) -> HttpResponse:
    """The region's total budget (APBD) of a year: the denominator of the share."""
    plan = access.get_plan_for_user(request.user, pk, write=True)
    form = RegionBudgetForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.region_budget_set(region=plan.region, year=data["year"], total=data["total"], by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            refuse(form, exc)
        else:
            messages.success(
                request,
                gettext("Total APBD %(name)s tahun %(year)s disimpan.")
                % {"name": plan.region.name, "year": data["year"]},
            )
            return redirect(f"{reverse('rad:budget', args=[plan.pk])}?tahun={data['year']}")
    year = form.cleaned_data.get("year") if form.is_valid() or "year" in form.cleaned_data else None
    shown = year if isinstance(year, int) and plan.start_year <= year <= plan.end_year else year_asked(request, plan)
    return _page(request, plan, shown, form)


def _document_for_user(request: AuthedRequest, pk: int) -> Document:
    found = Document.objects.filter(pk=pk).first()
    if found is None or not access.can_view(request.user, found.region_id):
        raise Http404(access.NOT_FOUND)
    return found


@require_GET
@login_required
def document(request: AuthedRequest, pk: int) -> FileResponse:
    """The regulation's file, as an attachment that cannot run; every download is audited."""
    found = _document_for_user(request, pk)
    return stored_attachment(
        found, by=request.user, action="kla.rad.document.downloaded", gone=str(GONE), ip=audit.client_ip(request)
    )
