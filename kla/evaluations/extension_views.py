"""The ministry's page for extending a stage's deadline (whole cycle or chosen regions). Thin: the rules are in
`services.extensions` and `stages`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kla.core.formatting import format_count, format_datetime
from kla.core.http import AuthedRequest, error_text
from kla.evaluations import access
from kla.evaluations.forms import ExtensionForm
from kla.evaluations.models import StageExtension
from kla.evaluations.services.extensions import stage_extend
from kla.evaluations.stages import STAGE_LABELS, Stage, stage_name


@require_http_methods(["GET", "POST"])
@login_required
def cycle_extend(request: AuthedRequest, code: str) -> HttpResponse:
    cycle = access.get_cycle_for_user(request.user, code, manage=True)
    form = ExtensionForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        stage = Stage(form.cleaned_data["stage"])
        try:
            n = stage_extend(
                cycle=cycle,
                stage=stage,
                ends_at=form.ends_at(),
                reason=form.cleaned_data["reason"],
                region_codes=form.region_codes(),
                base_url=request.build_absolute_uri("/").rstrip("/"),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _(
                    "Batas waktu tahap %(stage)s diperpanjang sampai %(deadline)s untuk %(count)s kabupaten/kota. "
                    "Sekretariat Gugus Tugas yang bersangkutan diberi tahu melalui email."
                )
                % {"stage": stage_name(stage), "deadline": format_datetime(form.ends_at()), "count": format_count(n)},
            )
            return redirect("evaluations:cycle_detail", code=cycle.code)
    calendar = [(d.label, format_datetime(d.starts_at), format_datetime(d.ends_at)) for d in cycle.deadlines.all()]
    rows = StageExtension.objects.filter(cycle=cycle).select_related("region", "granted_by")
    extensions = [
        (_(STAGE_LABELS[Stage(e.stage)]), e.region.name, format_datetime(e.ends_at), e.reason, e.granted_by,
         format_datetime(e.granted_at))
        for e in rows.order_by("stage", "region_id")
    ]  # fmt: skip
    return render(
        request,
        "evaluations/cycle_extend.html",
        {
            "cycle": cycle,
            "form": form,
            "calendar": calendar,
            "extensions": extensions,
        },
    )
