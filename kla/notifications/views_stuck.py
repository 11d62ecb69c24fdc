"""The stuck-items board of the province (its kab/kota) and the ministry (the whole country): work past its service
level, oldest first, filterable, with the party responsible and a one-click reminder."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kla.accounts.models import User
from kla.core.formatting import format_count
from kla.notifications import escalation, stuck, stuck_rows
from kla.notifications.forms import KIND_SLUGS, StuckFilterForm

PER_PAGE = 25


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_http_methods(["GET"])
@login_required
def stuck_board(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scope = stuck.board_scope(user)  # 403 for anyone but the province and the ministry
    now = timezone.now()
    form = StuckFilterForm(request.GET, regions=stuck.filter_regions(scope))
    form.is_valid()
    wanted = form.cleaned_data
    region = (wanted.get("wilayah") or "").strip()
    if region and not stuck.region_in_scope(scope, region):
        raise Http404(_("Wilayah itu tidak termasuk wilayah kewenangan Anda."))
    items = stuck.stuck_items(now, scope=scope, region=region, kind=KIND_SLUGS.get(wanted.get("jenis") or "", ""))
    minimum = wanted.get("umur") or 0
    items = [item for item in items if item.verdict.age_days >= minimum]
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    rows = stuck_rows.rows(request, stuck.with_page_facts(page.object_list, now))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/stuck.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "total": len(items),
            "query": query.urlencode(),
            "national": scope is None,
        },
    )


@require_POST
@login_required
def stuck_remind(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Remind the responsible party of one waiting item; the same item a second time on one day: said so."""
    user = _user(request)
    now = timezone.now()
    item = stuck.waiting_item(user, KIND_SLUGS.get(kind, ""), pk, now)  # 403 by role, 404 outside the scope
    try:
        told = escalation.stuck_remind(item=item, by=user, now=now)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Pengingat dikirim kepada %(who)s (%(count)s orang): %(region)s.")
            % {"who": escalation.responsible_name(item), "count": format_count(told), "region": item.region_name},
        )
    back = request.POST.get("next", "")
    board = reverse("notifications:stuck")
    if back.startswith(board) and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return redirect(back)
    return redirect(board)
