"""Follow-ups of a region (``?status=overdue|open|done``), completing one, and the task force's files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kla.core import audit
from kla.core.http import AuthedRequest
from kla.evidence.downloads import stored_attachment
from kla.taskforce import access, selectors, services
from kla.taskforce.forms import CompleteForm
from kla.taskforce.views.common import htmx, run
from kla.taskforce.views.rows_html import follow_up_table

GONE = gettext_lazy(
    "Berkas Gugus Tugas ini tidak ada lagi di penyimpanan. Laporkan ke administrator, lalu "
    "minta sekretariat mengunggah ulang salinannya."
)
STATUS_LABELS = {
    "": "Semua",
    "overdue": gettext_lazy("Lewat batas waktu"),
    "open": gettext_lazy("Belum selesai"),
    "done": "Selesai",
}


@require_GET
@login_required
def follow_ups(request: AuthedRequest, code: str) -> HttpResponse:
    area = access.get_region_for_user(request.user, code)
    status = request.GET.get("status", "")
    status = status if status in selectors.FOLLOW_UP_STATUSES else ""
    today = selectors.today()
    can_complete = (
        access.can_manage(request.user, area.code) or access.operator_agency_ids(request.user, area.code) is not None
    )
    csrf_token = get_token(request)  # the page's one token (base.html asks for it anyway)
    context = {
        "csrf_token": csrf_token,  # the rows' forms, {% csrf_token %} and htmx's header share it: one masking
        "region": area,
        "status": status,
        "statuses": STATUS_LABELS,
        "follow_up_table": follow_up_table(
            selectors.follow_ups(area, request.user, status=status or None, today=today),
            today=today,
            show_meeting=True,
            can_complete=can_complete,
            back=request.path,
            csrf_token=csrf_token,
        ),
    }
    template = "taskforce/follow_ups.html#rows" if request.htmx else "taskforce/follow_ups.html"
    return htmx(render(request, template, context))


@require_POST
@login_required
def follow_up_complete(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_follow_up_for_user(request.user, pk, write=True)
    form = CompleteForm(request.POST, request.FILES)

    def action() -> object:
        data = form.cleaned_data
        return services.follow_up_complete(follow_up=found, note=data["note"], upload=data["file"], by=request.user)

    back = request.POST.get("back", "")
    if not back.startswith("/gugus-tugas/"):
        back = reverse("taskforce:meeting", args=[found.meeting_id])
    return run(request, back, form, action, gettext("Tindak lanjut sudah dicatat selesai."))


@require_GET
@login_required
def document(request: AuthedRequest, pk: int) -> FileResponse:
    """A decree, minutes or follow-up evidence file, as an attachment that cannot run; every download is audited
    like an evidence download (a file gone from storage is a 404 that says so, and is not audited as taken)."""
    found = access.get_document_for_user(request.user, pk)
    return stored_attachment(
        found, by=request.user, action="kla.taskforce.document.downloaded", gone=str(GONE), ip=audit.client_ip(request)
    )
