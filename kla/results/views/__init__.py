"""Results pages: the score sheet, a kab/kota's results and target, publication (two administrators), the portal.

Scores reach every page only through `scores.visible_scores` (directly or through the selectors built on it),
so the seal in `kla.evaluations.seal` decides what each viewer sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kla.accounts import access as account_access
from kla.accounts.models import User
from kla.accounts.roles import Action
from kla.core.formatting import format_count
from kla.core.http import AuthedRequest, HtmxRequest, error_text, form_errors_text
from kla.evaluations import access as evaluation_access
from kla.evaluations.models import Cycle
from kla.evaluations.seal import SCORE_STAGE_LABELS, SCORE_STAGE_SHORT, ScoreStage
from kla.indicators.models import Framework
from kla.indicators.scoring import BandRule
from kla.indicators.selectors import band_rules, current_framework
from kla.regions.models import Region
from kla.results import maps, public_cache, services, settling, wording
from kla.results.forms import PublicFilterForm, PublishRequestForm, TargetForm
from kla.results.provila import ProvinceRule
from kla.results.selectors import portal, region_rows, regions, scores
from kla.results.targets import gap_to_target
from kla.results.views import gap_rows, public_filter

DECISIONS = {
    "accepted": gettext_lazy("Diterima"),
    "corrected": gettext_lazy("Dikoreksi"),
    "returned": gettext_lazy("Dikembalikan"),
}
SEARCH_LIMIT = 50


def _stored(value: Any) -> Decimal | None:
    """A number of a stored score breakdown (written by `str(Decimal)`, so with a dot: never typed by a person, and
    so not read by `kla.core.formatting.parse_number`); None when absent or unreadable."""
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


# --- score sheet ---------------------------------------------------------------------------------------------


@dataclass
class QuestionCell:  # one stage's decision on one question: base → decision → points, with the reason
    base: Decimal | None
    decision: str
    points: Decimal | None
    max_points: Decimal | None
    reason: str


@dataclass
class QuestionLine:
    code: str
    text: str
    method: str
    cells: list[QuestionCell | None]  # one per stage in SheetLine.question_stages


@dataclass
class StageNote:  # a stage judged per indicator (field verification): base → points, with the reason
    label: str
    base: Decimal | None
    points: Decimal | None
    reason: str


@dataclass
class SheetLine:
    code: str
    name: str
    max_points: Decimal
    cells: list[Decimal | None]
    question_stages: list[str]
    questions: list[QuestionLine]
    notes: list[StageNote]

    @property
    def has_details(self) -> bool:
        return bool(self.questions or self.notes)


def _cell(q: dict[str, Any]) -> QuestionCell:
    decision = str(q.get("decision") or "")
    return QuestionCell(
        base=_stored(q.get("base")),
        decision=str(DECISIONS.get(decision, decision)),
        points=_stored(q.get("points")),
        max_points=_stored(q.get("max")),
        reason=str(q.get("reason") or ""),
    )


def _sheet_line(
    row: scores.SheetRow, stages: list[ScoreStage], detail_stages: list[ScoreStage], texts: dict[str, str]
) -> SheetLine:
    """One indicator: the points per stage, and the explanation once per question with a cell per stage."""
    with_questions = [s for s in detail_stages if (row.details.get(s) or {}).get("questions")]
    questions: dict[str, QuestionLine] = {}
    for i, stage in enumerate(with_questions):
        for code, q in row.details[stage]["questions"].items():
            line = questions.setdefault(code, QuestionLine(code, texts.get(code, ""), "", [None] * len(with_questions)))
            line.method = line.method or str(q.get("method") or "")
            line.cells[i] = _cell(q)
    notes = [
        StageNote(
            SCORE_STAGE_LABELS[s], _stored(part.get("base")), _stored(part.get("points")), str(part.get("reason") or "")
        )
        for s in detail_stages
        if s not in with_questions and (part := row.details.get(s)) is not None
    ]
    return SheetLine(
        code=row.code,
        name=row.name,
        max_points=row.max_points,
        cells=[row.points.get(s) for s in stages],
        question_stages=[SCORE_STAGE_SHORT[s] for s in with_questions],
        questions=list(questions.values()),
        notes=notes,
    )


@require_GET
@login_required
def score_sheet(request: AuthedRequest, cycle_code: str, pk: int) -> HttpResponse:
    evaluation = evaluation_access.get_evaluation_for_user(request.user, pk)
    if evaluation.cycle.code != cycle_code:
        raise Http404(gettext("Evaluasi tidak ditemukan pada siklus ini."))
    [visible] = scores.visible_scores(request.user, [evaluation])
    columns = scores.stage_columns([visible])
    stages = [ScoreStage(value) for value, _label in columns]
    rows = scores.score_sheet(visible)
    final = visible.rows.get(ScoreStage.FINAL)
    final_source = str(final.breakdown.get("source") or "") if final is not None else ""
    # the final score is a copy of the stage it was determined from: its explanation is that stage's
    detail_stages = [s for s in stages if not (s == ScoreStage.FINAL and final_source)]
    needs_texts = any(row.details for row in rows)
    texts = scores.question_texts(evaluation.cycle.framework_id) if needs_texts else {}
    return render(
        request,
        "results/score_sheet.html",
        {
            "evaluation": evaluation,
            "visible": visible,
            "columns": columns,
            "totals": [visible.scores.get(s) for s in stages],
            "lines": [_sheet_line(row, stages, detail_stages, texts) for row in rows],
            "final_source": SCORE_STAGE_LABELS.get(ScoreStage(final_source)) if final_source in ScoreStage else "",
        },
    )


# --- a kab/kota's results and target ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def region(request: AuthedRequest, code: str) -> HttpResponse:
    kabkota = regions.get_kabkota_for_user(request.user, code)
    can_set = regions.can_set_target(request.user, kabkota.code)
    if request.method == "POST" and not can_set:
        raise PermissionDenied(gettext("Target predikat ditetapkan oleh Sekretariat Gugus Tugas atau provinsi."))
    standing = regions.region_standing(request.user, kabkota.code)
    framework: Framework | None
    if standing.latest is not None:
        framework, bands = standing.latest.cycle.framework, standing.bands
    else:
        framework = current_framework()
        bands = band_rules(framework.pk) if framework is not None else []
    if request.method == "POST":
        _save_target(request, kabkota, framework, bands)
        return redirect("results:region", code=kabkota.code)
    target = region_rows.target_read(kabkota)  # read with the kab/kota
    gap, gap_problem = None, ""
    if target is not None and standing.score is not None:
        try:
            gap = gap_to_target(standing.score, standing.standings, bands, target.band_code)
        except ValueError as exc:
            gap_problem = str(exc)
    initial = {"band_code": target.band_code, "year": target.year, "note": target.note} if target else None
    return render(
        request,
        "results/region.html",
        {
            "region": kabkota,
            "standing": standing,
            "history": regions.predicate_history(kabkota.code),
            "target": target,
            "target_name": next((b.name for b in bands if target and b.code == target.band_code), ""),
            "form": TargetForm(bands, initial=initial) if can_set and bands else None,
            "gap": gap,
            "gap_problem": gap_problem,
            "gap_rows": gap_rows.opportunity_rows(gap, {o.code for o in gap.covering()}) if gap else "",
        },
    )


def _save_target(request: AuthedRequest, kabkota: Region, framework: Framework | None, bands: list[BandRule]) -> None:
    """The posted target through `services.target_set`; the outcome as a message for the page after the redirect."""
    form = TargetForm(bands, request.POST)
    if not form.is_valid() or framework is None:
        messages.error(request, "Target belum disimpan: " + (form_errors_text(form) or "instrumen belum ada."))
        return
    data = form.cleaned_data
    try:
        services.target_set(
            region=kabkota,
            band_code=data["band_code"],
            framework=framework,
            year=data["year"],
            note=data["note"],
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, gettext("Target predikat disimpan."))


# --- publication (ministry administrators) ---------------------------------------------------------------------


def _admin_cycle(request: AuthedRequest, cycle_code: str) -> Cycle:
    return evaluation_access.get_cycle_for_user(request.user, cycle_code, manage=True)


@require_GET
@login_required
def publication(request: AuthedRequest, cycle_code: str) -> HttpResponse:
    cycle = _admin_cycle(request, cycle_code)
    requested = cycle.publish_requested_at is not None and cycle.published_at is None
    return render(
        request,
        "results/publication.html",
        {
            "cycle": cycle,
            "published": cycle.is_published(),
            "confirmed": cycle.published_at is not None,
            "requested": requested,
            "own_request": requested and cycle.publish_requested_by_id == request.user.pk,
            "blockers": services.publication_blockers(cycle) if cycle.published_at is None else [],
            "count": settling.publication_count(cycle),
            "form": PublishRequestForm() if cycle.published_at is None and not requested else None,
        },
    )


@require_POST
@login_required
def publication_request(request: AuthedRequest, cycle_code: str) -> HttpResponse:
    cycle = _admin_cycle(request, cycle_code)
    form = PublishRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Permintaan belum dikirim: " + form_errors_text(form))
        return redirect("results:publication", cycle_code=cycle.code)
    try:
        services.publish_request(cycle=cycle, release_at=form.cleaned_data["release_at"], by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, gettext("Permintaan pengumuman dicatat. Administrator lain harus mengonfirmasinya."))
    return redirect("results:publication", cycle_code=cycle.code)


@require_POST
@login_required
def publication_confirm(request: AuthedRequest, cycle_code: str) -> HttpResponse:
    cycle = _admin_cycle(request, cycle_code)
    try:
        n = services.publish_confirm(cycle=cycle, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            (
                gettext("Pengumuman dikonfirmasi: %(n)s kabupaten/kota diumumkan pada waktu yang diminta. ")
                % {"n": format_count(n)}
            )
            + " ".join(wording.publication_sentences(settling.publication_count(cycle))[1:]),
        )
    return redirect("results:publication", cycle_code=cycle.code)


@require_POST
@login_required
def publication_withdraw(request: AuthedRequest, cycle_code: str) -> HttpResponse:
    cycle = _admin_cycle(request, cycle_code)
    try:
        services.publish_withdraw(cycle=cycle, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, gettext("Permintaan pengumuman ditarik. Tidak ada yang diumumkan."))
    return redirect("results:publication", cycle_code=cycle.code)


# --- public portal ---------------------------------------------------------------------------------------------


@require_GET
def public_index(request: HtmxRequest) -> HttpResponse:
    can_manage = account_access.can(request.user, Action.CYCLE_MANAGE, None)
    return render(
        request,
        "results/public_index.html",
        {
            "cycles": portal.published_cycles(),
            "managed": list(Cycle.objects.order_by("-year", "code")) if can_manage else [],
        },
    )


def _public_results(user: User | AnonymousUser, cycle: Cycle, province: Region | None, q: str) -> SafeString:
    """The `results` partial of the public cycle page: what `user` may see of the cycle (one province, a search).

    Rendered without the request, so nothing per request (CSRF token, CSP nonce, user) can enter it: the anonymous
    HTML is cached and served to every anonymous visitor.
    """
    code = province.code if province else None
    rule = ProvinceRule.from_json(cycle.framework.province_rule)
    tile_map = None
    if q:
        visible = portal.cycle_results(user, cycle, province=code, q=q, limit=SEARCH_LIMIT)
        groups = portal.province_results(visible, [], None)
    else:
        bands = band_rules(cycle.framework_id)
        visible = portal.cycle_results(user, cycle, province=code, bands=bands)
        parents = {v.evaluation.region.parent_id for v in visible}
        kabkota = portal.province_kabkota(p for p in parents if p) if rule is not None else {}
        groups = portal.province_results(visible, bands, rule, kabkota)
        tile_map = maps.tile_map_for(groups, bands, province, kabkota)
    context = {
        "cycle": cycle,
        "map": None if q else tile_map,
        "province": province,
        "q": q,
        "rule": rule,
        "groups": groups,
        "show_scores": any(ScoreStage.FINAL in v.scores for v in visible),
        "search_limit": SEARCH_LIMIT,
        "result_count": len(visible),
    }
    return render_to_string("results/public_cycle.html#results", context)


@require_GET
def public_cycle(request: HtmxRequest, cycle_code: str) -> HttpResponse:
    cycle = portal.published_cycle_get(cycle_code)  # publication is checked on every request, cached or not
    kept = public_cache.kept_for(request.user, cycle)  # anonymous visitors: by the version of the results
    provinces = kept.get("provinces", lambda: portal.cycle_provinces(cycle))
    form = PublicFilterForm(provinces, request.GET or None)
    code, q = form.province(), form.query()
    province = next((p for p in provinces if p.code == code), None)

    def build() -> SafeString:  # safe HTML, also as the cache returns it (a pickled SafeString stays one)
        return _public_results(request.user, cycle, province, q)

    # searches are not kept: cheap (SEARCH_LIMIT rows), and free text would let anybody fill the cache
    results = build() if q else kept.get(f"results:{code or '-'}", build)
    if request.htmx:
        response = HttpResponse(results)
    else:
        province_field, q_label = public_filter.filter_html(form, province.code if province else "")
        context = {"cycle": cycle, "form": form, "province": province, "q": q, "results": results}
        context.update(province_field=province_field, q_label=q_label)
        response = render(request, "results/public_cycle.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response
