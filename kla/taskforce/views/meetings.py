"""Coordination meetings: the list with the plan form, one meeting (hold it with attendance, minutes, decisions,
follow-ups), minutes upload."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kla.core.http import AuthedRequest
from kla.taskforce import access, selectors, services
from kla.taskforce.forms import FollowUpForm, HoldForm, MeetingForm, UploadForm, attendance_from_post
from kla.taskforce.views.common import htmx, run
from kla.taskforce.views.rows_html import (
    attendance_items,
    document_items,
    follow_up_table,
    invited_items,
    meeting_rows,
)


@require_GET
@login_required
def meetings(request: AuthedRequest, code: str) -> HttpResponse:
    area = access.get_region_for_user(request.user, code)
    can_manage = access.can_manage(request.user, area.code)
    rows = selectors.meeting_rows(area)
    context = {
        "region": area,
        "meeting_rows": meeting_rows(rows),
        "held_per_year": selectors.held_per_year(area, rows),
        "can_manage": can_manage,
        "form": MeetingForm(region=area) if can_manage else None,
    }
    return render(request, "taskforce/meetings.html", context)


@require_POST
@login_required
def meeting_plan(request: AuthedRequest, code: str) -> HttpResponse:
    area = access.get_region_for_user(request.user, code, write=True)
    form = MeetingForm(request.POST, region=area)

    def action() -> object:
        data = form.cleaned_data
        return services.meeting_plan(
            region=area,
            title=data["title"],
            starts_at=data["starts_at"],
            place=data["place"],
            online_link=data["online_link"],
            chair=data["chair"],
            agenda=data["agenda"],
            invited=[a.pk for a in data["invited"]],
            by=request.user,
        )

    return run(
        request, reverse("taskforce:meetings", args=[area.code]), form, action, gettext("Rapat sudah direncanakan.")
    )


@require_GET
@login_required
def meeting(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_meeting_for_user(request.user, pk)
    can_manage = access.can_manage(request.user, found.region_id)
    # the invited agencies are shown (and ticked as present) until the meeting is held, then its attendance
    detail = selectors.meeting_detail(found, request.user, with_invited=not found.is_held)
    # an operator completes their agency's follow-ups here (the only ones they see); managers complete any
    can_complete = can_manage or access.operator_agency_ids(request.user, found.region_id) is not None
    csrf_token = get_token(request)  # the page's one token (base.html asks for it anyway)
    context = {
        "csrf_token": csrf_token,  # the rows' forms, {% csrf_token %} and htmx's header share it: one masking
        "region": found.region,
        "detail": detail,
        "attendance_items": attendance_items(detail.attendance),
        "invited_items": invited_items(detail.invited),
        "document_items": document_items(detail.documents),
        "can_manage": can_manage,
        "follow_up_table": follow_up_table(
            detail.follow_ups,
            today=selectors.today(),
            show_meeting=False,
            can_complete=can_complete,
            back=request.path,
            csrf_token=csrf_token,
        ),
        "hold_form": HoldForm() if can_manage and not found.is_held else None,
        "follow_up_form": FollowUpForm(region=found.region) if can_manage and found.is_held else None,
        "upload_form": UploadForm() if can_manage else None,
    }
    template = "taskforce/meeting.html#follow_ups" if request.htmx else "taskforce/meeting.html"
    return htmx(render(request, template, context))


@require_POST
@login_required
def meeting_hold(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_meeting_for_user(request.user, pk, write=True)
    form = HoldForm(request.POST)

    def action() -> object:
        return services.meeting_hold(
            meeting=found,
            attendance=attendance_from_post(request.POST),
            minutes=form.cleaned_data["minutes"],
            decisions=form.cleaned_data["decisions"],
            by=request.user,
        )

    back = reverse("taskforce:meeting", args=[found.pk])
    return run(request, back, form, action, gettext("Rapat sudah dicatat sebagai terlaksana."))


@require_POST
@login_required
def minutes_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_meeting_for_user(request.user, pk, write=True)
    form = UploadForm(request.POST, request.FILES)
    back = reverse("taskforce:meeting", args=[found.pk])
    action = lambda: services.minutes_add(meeting=found, upload=form.cleaned_data["file"], by=request.user)  # noqa: E731
    return run(request, back, form, action, gettext("Berkas notulen sudah disimpan."))


@require_POST
@login_required
def follow_up_add(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_meeting_for_user(request.user, pk, write=True)
    form = FollowUpForm(request.POST, region=found.region)

    def action() -> object:
        data = form.cleaned_data
        return services.follow_up_add(
            meeting=found,
            owner=data["owner"],
            description=data["description"],
            due_date=data["due_date"],
            by=request.user,
        )

    back = reverse("taskforce:meeting", args=[found.pk])
    return run(request, back, form, action, gettext("Tindak lanjut sudah ditambahkan."))
