"""Dashboards by level: thin views over `kla.dashboards.selectors`; the cycle filter swaps the figures by htmx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kla.accounts import access as account_access
from kla.accounts.roles import Action
from kla.core.http import AuthedRequest, error_text
from kla.dashboards import access, choropleth, kept
from kla.dashboards.selectors import common
from kla.dashboards.selectors import whatif as whatif_selectors
from kla.dashboards.selectors.kabkota import kabkota_dashboard
from kla.dashboards.selectors.national import national_dashboard
from kla.dashboards.selectors.province import province_dashboard
from kla.evaluations.forms import raw_answer_from_post
from kla.evaluations.models import Evaluation
from kla.indicators.models import Question


def _page(
    request: AuthedRequest, name: str, figures_key: str, build: Callable[[], str], page: dict[str, Any]
) -> HttpResponse:
    """The figures (kept under `figures_key`: the data's fingerprint and the viewer's grants) alone to the filter's
    htmx request; else the page, its content (heading, filter and figures: `page` is what the heading and the
    filter read) kept under the same key and the filter's choices."""
    if request.htmx:
        return HttpResponse(kept.kept(figures_key, build))

    def content() -> str:
        context = {**page, "figures": kept.kept(figures_key, build)}
        return render_to_string(f"dashboards/{name}.html#content", context, request)

    html = kept.kept(f"{figures_key}:page:{kept.choices_key(page['cycles'])}", content)
    return render(request, f"dashboards/{name}.html", {"board": page["board"], "content": html})


@require_GET
@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """The menu's "Dasbor": the widest dashboard the user may read."""
    home = access.home_of(request.user)
    if home is None:
        raise PermissionDenied(_("Peran Anda tidak memiliki dasbor."))
    if home == "":
        return redirect("dashboards:national")
    if "." in home:
        return redirect("dashboards:kabkota", code=home)
    return redirect("dashboards:province", code=home)


@require_GET
@login_required
def kabkota(request: AuthedRequest, code: str) -> HttpResponse:
    """The figures are kept in the cache by the kab/kota's data and the viewer's grants (`kept.kabkota_key`)."""
    region = access.get_kabkota(request.user, code)
    choices = common.cycles()
    cycle = common.pick_cycle(choices, request.GET.get("cycle"))

    def build() -> str:
        board = kabkota_dashboard(request.user, region, cycle)
        can_simulate = account_access.can(request.user, Action.EVALUATION_SUBMIT, region.code)
        context = {"board": board, "can_simulate": can_simulate}
        return render_to_string("dashboards/kabkota.html#figures", context, request)

    heading = {"region": region, "cycle": cycle}  # what the page around the figures reads of the board
    key = kept.kabkota_key(request.user, cycle, region.code)
    return _page(request, "kabkota", key, build, {"board": heading, "cycles": choices})


@require_GET
@login_required
def province(request: AuthedRequest, code: str) -> HttpResponse:
    """The figures are kept in the cache by the province's data and the viewer's grants (`kept.province_key`)."""
    region = access.get_province(request.user, code)
    choices = common.cycles()
    cycle = common.pick_cycle(choices, request.GET.get("cycle"))
    year = timezone.localdate().year
    keyed = kept.province_key(request.user, cycle, region.code, year)
    has_map = keyed.facts[0]

    def build() -> str:
        board = province_dashboard(request.user, region, cycle, year=year)
        context = {"board": board, "map_geojson": choropleth.url(cycle, region) if has_map else ""}
        return render_to_string("dashboards/province.html#figures", context, request)

    heading = {"region": region, "cycle": cycle}  # what the page around the figures reads of the board
    key = keyed.key + (":peta" if has_map else "")
    return _page(request, "province", key, build, {"board": heading, "cycles": choices})


@require_GET
@login_required
def national(request: AuthedRequest) -> HttpResponse:
    """The summary and each page of the kab/kota table are kept in the cache by the cycle's data, the viewer's
    grants and (the table) the completeness of the page's rows (`kept.national`, `national_table.Table.key`)."""
    access.require_national(request.user)
    choices = common.cycles()
    cycle = common.pick_cycle(choices, request.GET.get("cycle"))
    province_code = request.GET.get("provinsi") or ""
    keyed = kept.national(request.user, cycle, province_code)
    has_map, province_found = keyed.facts
    if province_code and not province_found:
        raise Http404(_("Provinsi tidak ditemukan."))
    board = national_dashboard(request.user, cycle, request.GET.get("page"), province=province_code, keyed=keyed)

    def build() -> str:
        geojson = choropleth.url(cycle, None) if has_map else ""
        context = {"board": board, "province_code": province_code, "map_geojson": geojson}
        return render_to_string("dashboards/national.html#figures", context, request)

    page = {"board": board, "cycles": choices, "province_code": province_code}
    key = f"kla.dashboards:national-figures:{board.table.key}" + (":peta" if has_map else "")
    return _page(request, "national", key, build, page)


@require_http_methods(["GET", "POST"])
@login_required
def whatif(request: AuthedRequest, code: str) -> HttpResponse:
    """The secretariat's what-if sandbox: answers changed in a scratch copy (the session), never saved."""
    region = access.get_kabkota(request.user, code)
    if not account_access.can(request.user, Action.EVALUATION_SUBMIT, region.code):
        raise PermissionDenied(_("Simulasi hanya untuk Sekretariat Gugus Tugas kabupaten/kota ini."))
    cycle = common.pick_cycle(common.cycles(), request.GET.get("cycle"))
    evaluation = Evaluation.objects.filter(cycle=cycle, region=region).select_related("cycle__framework").first()
    if evaluation is None:
        raise Http404(_("Kabupaten/kota ini tidak memiliki evaluasi pada siklus ini."))
    status = 200
    if request.method == "POST":
        if request.POST.get("reset"):
            whatif_selectors.reset(request.session, evaluation)
            messages.success(request, _("Simulasi dikosongkan: semua jawaban kembali seperti yang tersimpan."))
            return redirect(f"{request.path}?cycle={cycle.code}")
        question = Question.objects.filter(
            indicator__framework_id=cycle.framework_id, code=request.POST.get("question", "")
        ).first()
        if question is None:
            raise Http404(_("Pertanyaan tidak ditemukan."))
        try:
            raw = raw_answer_from_post(question, request.POST)
            whatif_selectors.try_answer(request.session, evaluation, question, raw, today=localdate())
        except ValidationError as exc:
            messages.error(request, f"{question.code}: {error_text(exc)} " + _("Simulasi tidak diubah."))
            status = 422
        else:
            messages.success(
                request, _("Jawaban %(code)s diubah di simulasi (tidak disimpan).") % {"code": question.code}
            )
            return redirect(f"{request.path}?cycle={cycle.code}#hasil")
    board = whatif_selectors.sandbox(evaluation, whatif_selectors.scratch(request.session, evaluation))
    return render(request, "dashboards/whatif.html", {"board": board, "region": region, "cycle": cycle}, status=status)
