"""The plans in the user's scope, a region's plans with the form that creates one, and a plan's page: its versions
(adopt with the legal basis, start a revision), the tree by cluster → indicator → programme → activity →
sub-activity with codes, agencies, outputs and targets, budget per year and source; the programme form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kla.core.compiled import CompiledQuery
from kla.core.errors import storage_unavailable
from kla.core.http import AuthedRequest
from kla.core.storage import Unavailable
from kla.rad import access, rules, selectors, services
from kla.rad.forms import AdoptForm, PlanForm, ProgrammeForm
from kla.rad.models import Plan, Version
from kla.rad.selectors import pages
from kla.rad.services.basis import version_adopt_with_file
from kla.rad.views.common import refuse, status_of
from kla.rad.views.index_rows import plan_rows
from kla.rad.views.tree_rows import tree_sections

SOURCE_LABELS = {s.value: label for s, label in rules.SOURCE_LABELS.items()}


@require_GET
@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """The plans in the user's scope (``?q=`` searches the region) and the regions whose plan they draw up."""
    if not pages.reads_any(request.user):
        raise Http404(access.NOT_FOUND)
    search = request.GET.get("q", "").strip()[:60]
    plans = list(pages.plans_in_scope(request.user, search))
    context = {
        "plans": plans,
        "plan_rows": plan_rows(plans),  # built once in Python (index_rows.py)
        "managed": pages.managed_regions(request.user),
        "q": search,
        "limit": pages.LISTED,
    }
    return render(request, "rad/index.html", context)


def _region_page(request: AuthedRequest, code: str, form: PlanForm | None = None) -> HttpResponse:
    region = access.get_region_for_user(request.user, code)
    can_manage = access.can_manage(request.user, region.code)
    if form is None and can_manage:
        form = PlanForm()
    context = {
        "region": region,
        "plans": list(selectors.plan_list(region)),
        "can_manage": can_manage,
        "form": form if can_manage else None,
    }
    return render(request, "rad/region.html", context, status=status_of(form))


@require_GET
@login_required
def region(request: AuthedRequest, code: str) -> HttpResponse:
    return _region_page(request, code)


@require_POST
@login_required
def plan_create(request: AuthedRequest, code: str) -> HttpResponse:
    area = access.get_region_for_user(request.user, code, write=True)
    form = PlanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                region=area,
                framework=data["framework"],
                start_year=data["start_year"],
                end_year=data["end_year"],
                title=data["title"],
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            refuse(form, exc)
        else:
            messages.success(
                request,
                gettext("%(plan)s dibuat sebagai draf versi 1. Susun program dan kegiatannya.") % {"plan": plan},
            )
            return redirect("rad:plan", pk=plan.pk)
    return _region_page(request, area.code, form)


def _version_shown(request: AuthedRequest, plan: Plan, versions: list[Version]) -> Version | None:
    raw = request.GET.get("versi", "")
    if raw.isdigit():
        chosen = next((v for v in versions if v.number == int(raw)), None)
        if chosen is not None:
            return chosen
    return next((v for v in versions if v.status == Version.Status.DRAFT), None) or next(
        (v for v in versions if v.status == Version.Status.ADOPTED), None
    )


_VERSIONS: CompiledQuery[Version] = CompiledQuery(
    lambda plan: Version.objects.filter(plan_id=plan).select_related("basis_document").order_by("number"), int
)


def plan_page(
    request: AuthedRequest,
    plan: Plan,
    *,
    programme_form: ProgrammeForm | None = None,
    adopt_form: AdoptForm | None = None,
) -> HttpResponse:
    versions = _VERSIONS.fetch(plan.pk)
    for v in versions:
        v.plan = plan
    shown = _version_shown(request, plan, versions)
    can_manage = access.can_manage(request.user, plan.region_id)
    editable = can_manage and shown is not None and shown.is_draft
    tree = selectors.plan_tree(shown) if shown is not None else None
    context = {
        "plan": plan,
        "region": plan.region,
        "versions": versions,
        "version": shown,
        "tree": tree,
        "sections": tree_sections(tree, SOURCE_LABELS) if tree is not None else [],
        "can_manage": can_manage,
        "editable": editable,
        "can_revise": can_manage
        and not any(v.is_draft for v in versions)
        and any(v.status == Version.Status.ADOPTED for v in versions),
        "programme_form": (programme_form or ProgrammeForm(framework_id=plan.framework_id)) if editable else None,
        "adopt_form": (adopt_form or AdoptForm(initial=_basis_initial(plan))) if editable else None,
        "source_labels": SOURCE_LABELS,
        "can_realise": access.realise_agency_ids(request.user, plan.region_id) != set(),
        "refusals": []
        if editable
        else [e for f in (programme_form, adopt_form) if f is not None for e in f.non_field_errors()],
    }
    return render(request, "rad/plan.html", context, status=status_of(programme_form, adopt_form))


def _basis_initial(plan: Plan) -> dict[str, str]:
    fitting = rules.BASIS_FOR_KIND.get(plan.region.kind)
    return {"kind": fitting.value} if fitting is not None else {}


@require_GET
@login_required
def plan(request: AuthedRequest, pk: int) -> HttpResponse:
    return plan_page(request, access.get_plan_for_user(request.user, pk))


@require_POST
@login_required
def programme_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """A programme under an indicator, in the plan's draft."""
    found = access.get_plan_for_user(request.user, pk, write=True)
    form = ProgrammeForm(request.POST, framework_id=found.framework_id)
    draft = Version.objects.filter(plan=found, status=Version.Status.DRAFT).select_related("plan").first()
    if draft is None:
        form.add_error(
            None, gettext("Rencana ini tidak memiliki draf. Mulai revisi untuk mengubah rencana yang ditetapkan.")
        )
    elif form.is_valid():
        data = form.cleaned_data
        try:
            node = services.node_add(
                version=draft,
                level=rules.Level.PROGRAMME,
                indicator_id=data["indicator"].pk,
                name=data["name"],
                code=data["code"],
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"Program {node.name} ditambahkan. Tambahkan kegiatannya.")
            return redirect("rad:node", pk=node.pk)
    return plan_page(request, found, programme_form=form)


@require_POST
@login_required
def version_adopt(request: AuthedRequest, pk: int) -> HttpResponse:
    version = access.get_version_for_user(request.user, pk, write=True)
    form = AdoptForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        basis = services.Basis(kind=data["kind"], number=data["number"], date=data["date"])
        try:
            version_adopt_with_file(version=version, basis=basis, upload=data["file"], by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            refuse(form, exc)
        except Unavailable as problem:
            return storage_unavailable(request, problem, back=reverse("rad:plan", args=[version.plan_id]))
        else:
            messages.success(
                request, gettext("%(version)s ditetapkan; rencana ini sekarang berlaku.") % {"version": version}
            )
            return redirect("rad:plan", pk=version.plan_id)
    return plan_page(request, version.plan, adopt_form=form)


@require_POST
@login_required
def revision_start(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_plan_for_user(request.user, pk, write=True)
    try:
        revision = services.revision_start(plan=found, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("rad:plan", pk=found.pk)
    messages.success(
        request,
        gettext("Revisi dimulai sebagai %(revision)s: salinan rencana yang berlaku. Ubah lalu tetapkan revisinya.")
        % {"revision": revision},
    )
    return redirect("rad:plan", pk=found.pk)
