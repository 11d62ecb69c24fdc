"""The task force of a region: its decree and members (on any past date), and the forms that change them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kla.core.http import AuthedRequest
from kla.taskforce import access, selectors, services
from kla.taskforce.forms import DecreeForm, MemberEndForm, MemberForm
from kla.taskforce.rules import TaskForceRole
from kla.taskforce.views.common import day_asked, run
from kla.taskforce.views.rows_html import kabkota_links, member_rows


@require_GET
@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """A kab/kota user goes straight to their task force; others choose a region."""
    regions = selectors.regions_for(request.user)
    if not regions:
        raise Http404(access.NOT_FOUND)
    if len(regions) == 1:
        return redirect("taskforce:region", code=regions[0].code)
    return render(request, "taskforce/index.html", {"regions": regions})


@require_GET
@login_required
def region(request: AuthedRequest, code: str) -> HttpResponse:
    area = access.get_region_for_user(request.user, code)
    day, problem = day_asked(request)
    can_manage = access.can_manage(request.user, area.code)
    task_force = selectors.task_force_on(area, day, with_members=False)
    members = selectors.member_lines_on(area, day)
    csrf_token = get_token(request)  # the page's one token (base.html asks for it anyway)
    context = {
        "csrf_token": csrf_token,  # the rows' forms, {% csrf_token %} and htmx's header share it: one masking
        "region": area,
        "task_force": task_force,
        "member_rows": member_rows(members, can_manage=can_manage, csrf_token=csrf_token),
        "day_problem": problem,
        "held_per_year": selectors.held_per_year(area),
        "kabkota": kabkota_links(selectors.kabkota_of(area)),
        "can_manage": can_manage,
        "decree_form": DecreeForm() if can_manage else None,
        "member_form": MemberForm(region=area) if can_manage else None,
    }
    return render(request, "taskforce/region.html", context)


@require_POST
@login_required
def decree_add(request: AuthedRequest, code: str) -> HttpResponse:
    """Record a decree; when one is in force, the new one replaces it (``replace=1``)."""
    area = access.get_region_for_user(request.user, code, write=True)
    form = DecreeForm(request.POST, request.FILES)
    back = reverse("taskforce:region", args=[area.code])

    def action() -> object:
        data = form.cleaned_data
        facts = services.DecreeFacts(
            number=data["number"],
            date=data["date"],
            signer=data["signer"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )
        in_force = selectors.decree_in_force(area)
        if in_force is not None and request.POST.get("replace") == "1":
            return services.decree_replace(old=in_force, facts=facts, upload=data["file"], by=request.user)
        return services.decree_record(region=area, facts=facts, upload=data["file"], by=request.user)

    return run(request, back, form, action, gettext("SK Gugus Tugas sudah dicatat."))


@require_POST
@login_required
def member_add(request: AuthedRequest, code: str) -> HttpResponse:
    area = access.get_region_for_user(request.user, code, write=True)
    form = MemberForm(request.POST, region=area)

    def action() -> object:
        data = form.cleaned_data
        return services.member_add(
            region=area,
            agency=data["agency"],
            person_name=data["person_name"],
            position=data["position"],
            role=TaskForceRole(data["role"]),
            duties=data["duties"],
            start=data["start"],
            end=data["end"],
            by=request.user,
        )

    return run(
        request, reverse("taskforce:region", args=[area.code]), form, action, gettext("Anggota sudah ditambahkan.")
    )


@require_POST
@login_required
def member_end(request: AuthedRequest, pk: int) -> HttpResponse:
    member = access.get_member_for_user(request.user, pk, write=True)
    form = MemberEndForm(request.POST)
    back = reverse("taskforce:region", args=[member.region_id])
    return run(
        request,
        back,
        form,
        lambda: services.member_end(member=member, end=form.cleaned_data["end"], by=request.user),
        gettext("Keanggotaan sudah diakhiri."),
    )
