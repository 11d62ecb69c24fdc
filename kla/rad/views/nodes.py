"""A programme, activity or sub-activity of a version: its page (outputs with targets per year, budget per year and
source, what sits below it) and, in a draft, the forms that change it. A refusal shows the service's message on the
form with what was typed still in it (422); nothing is written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kla.core.http import AuthedRequest
from kla.rad import access, rules, selectors, services
from kla.rad.forms import BudgetForm, ChildForm, NodeForm, OutputForm
from kla.rad.models import Node, Output, Target
from kla.rad.selectors.plans import NodeView
from kla.rad.services.outputs import output_create, output_save
from kla.rad.views.common import refuse, status_of
from kla.rad.views.plans import SOURCE_LABELS
from kla.rad.views.tree_rows import tree_rows

CHILD_LEVEL = {rules.Level.PROGRAMME: rules.Level.ACTIVITY, rules.Level.ACTIVITY: rules.Level.SUB_ACTIVITY}


def _find(views: list[NodeView], pk: int) -> NodeView | None:
    for view in views:
        if view.node.pk == pk:
            return view
        found = _find(view.children, pk)
        if found is not None:
            return found
    return None


def _outputs(node: Node) -> list[Output]:
    targets = Prefetch("targets", queryset=Target.objects.order_by("year"))
    return list(Output.objects.filter(node=node).prefetch_related(targets).order_by("position", "id"))


def _forms(node: Node, view: NodeView, bound: dict[str, Any]) -> dict[str, Any]:
    """The draft's forms for this node: the bound one (refused) as posted, the others fresh."""
    plan = node.version.plan
    level = rules.Level(node.level)
    funded = level in rules.FUNDED_LEVELS
    leaf = funded and not view.children
    child = CHILD_LEVEL.get(level)
    outputs = _outputs(node) if funded else []
    edited_output = bound.get("output_pk")
    return {
        "node_form": bound.get("node_form")
        or NodeForm(
            initial={"name": node.name, "code": node.code, "agency": node.agency_id},
            region=plan.region,
            with_agency=funded,
        ),
        "budget_form": (bound.get("budget_form") or BudgetForm(years=plan.years, budget=view.budget)) if leaf else None,
        "child_form": (
            bound.get("child_form") or ChildForm(region=plan.region, agency_required=child == rules.Level.ACTIVITY)
            if child is not None and not (child == rules.Level.SUB_ACTIVITY and view.budget)
            else None
        ),
        "child_label": rules.LEVEL_LABELS[child] if child is not None else "",
        "output_forms": [
            (o, bound["output_form"] if o.pk == edited_output else OutputForm(years=plan.years, output=o))
            for o in outputs
        ],
        "new_output_form": (
            (bound["output_form"] if edited_output == 0 else OutputForm(years=plan.years)) if funded else None
        ),
    }


def node_page(request: AuthedRequest, node: Node, **bound: Any) -> HttpResponse:
    version = node.version
    tree = selectors.plan_tree(version)
    view = _find([p for c in tree.clusters for i in c.indicators for p in i.programmes], node.pk)
    assert view is not None, "a node of the version is in its tree"
    editable = version.is_draft and access.can_manage(request.user, version.plan.region_id)
    context: dict[str, Any] = {
        "node": node,
        "view": view,
        "version": version,
        "plan": version.plan,
        "years": version.plan.years,
        "editable": editable,
        "level_label": rules.LEVEL_LABELS[rules.Level(node.level)],
        "source_labels": SOURCE_LABELS,
        "rows": tree_rows(view.children, version.plan.years, SOURCE_LABELS),
        "realise": (
            version.status == version.Status.ADOPTED
            and node.level in rules.FUNDED_LEVELS
            and not view.children
            and access.can_realise(request.user, node, version.plan.region_id)
        ),
    }
    forms = [bound.get(k) for k in ("node_form", "budget_form", "child_form", "output_form")]
    if editable:
        context |= _forms(node, view, bound)
    else:  # a version adopted meanwhile: its forms are gone, the refusal is still said
        context["refusals"] = [e for f in forms if f is not None for e in f.non_field_errors()]
    return render(request, "rad/node.html", context, status=status_of(*forms))


@require_GET
@login_required
def node(request: AuthedRequest, pk: int) -> HttpResponse:
    return node_page(request, access.get_node_for_user(request.user, pk))


def _try(request: AuthedRequest, form: Any, action: Any, done: str) -> bool:
    """Run the service when the form parses; its refusal goes onto the form. True when saved."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refuse(form, exc)
        return False
    messages.success(request, done)
    return True


@require_POST
@login_required
def node_update(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_node_for_user(request.user, pk, write=True)
    funded = found.level in rules.FUNDED_LEVELS
    form = NodeForm(request.POST, region=found.version.plan.region, with_agency=funded)

    def action(data: dict[str, Any]) -> object:
        agency = data.get("agency")
        return services.node_update(
            node=found, name=data["name"], code=data["code"], agency_id=agency.pk if agency else None, by=request.user
        )

    if _try(request, form, action, gettext("Perubahan disimpan.")):
        return redirect("rad:node", pk=found.pk)
    return node_page(request, found, node_form=form)


@require_POST
@login_required
def child_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """An activity under this programme, or a sub-activity under this activity."""
    parent = access.get_node_for_user(request.user, pk, write=True)
    level = CHILD_LEVEL.get(rules.Level(parent.level), rules.Level.SUB_ACTIVITY)
    form = ChildForm(request.POST, region=parent.version.plan.region, agency_required=level == rules.Level.ACTIVITY)
    added: list[Node] = []

    def action(data: dict[str, Any]) -> object:
        agency = data.get("agency")
        added.append(
            services.node_add(
                version=parent.version,
                level=level,
                parent=parent,
                name=data["name"],
                code=data["code"],
                agency_id=agency.pk if agency else None,
                by=request.user,
            )
        )
        return added[0]

    if _try(request, form, action, f"{rules.LEVEL_LABELS[level]} ditambahkan."):
        return redirect("rad:node", pk=added[0].pk)
    return node_page(request, parent, child_form=form)


@require_POST
@login_required
def node_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_node_for_user(request.user, pk, write=True)
    back = ("rad:node", found.parent_id) if found.parent_id is not None else ("rad:plan", found.version.plan_id)
    try:
        services.node_remove(node=found, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("rad:node", pk=found.pk)
    messages.success(request, f"{found.name} dihapus beserta isinya.")
    return redirect(back[0], pk=back[1])


@require_POST
@login_required
def budget_set(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_node_for_user(request.user, pk, write=True)
    form = BudgetForm(request.POST, years=found.version.plan.years, budget={})
    if _try(
        request,
        form,
        lambda data: services.budget_set(node=found, budget=form.cells(), by=request.user),
        gettext("Anggaran disimpan."),
    ):
        return redirect("rad:node", pk=found.pk)
    return node_page(request, found, budget_form=form)


@require_POST
@login_required
def output_add(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_node_for_user(request.user, pk, write=True)
    form = OutputForm(request.POST, years=found.version.plan.years)

    def action(data: dict[str, Any]) -> object:
        return output_create(node=found, name=data["name"], unit=data["unit"], targets=form.targets(), by=request.user)

    if _try(request, form, action, gettext("Indikator keluaran ditambahkan.")):
        return redirect("rad:node", pk=found.pk)
    return node_page(request, found, output_form=form, output_pk=0)


@require_POST
@login_required
def output_update(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_output_for_user(request.user, pk, write=True)
    node_row = access.get_node_for_user(request.user, found.node_id, write=True)
    form = OutputForm(request.POST, years=node_row.version.plan.years)

    def action(data: dict[str, Any]) -> object:
        return output_save(output=found, name=data["name"], unit=data["unit"], targets=form.targets(), by=request.user)

    if _try(request, form, action, gettext("Indikator keluaran dan targetnya disimpan.")):
        return redirect("rad:node", pk=node_row.pk)
    return node_page(request, node_row, output_form=form, output_pk=found.pk)


@require_POST
@login_required
def output_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_output_for_user(request.user, pk, write=True)
    try:
        services.output_remove(output=found, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("Indikator keluaran %(name)s dihapus.") % {"name": found.name})
    return redirect("rad:node", pk=found.node_id)
