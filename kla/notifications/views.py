"""The notification pages: the list (unread first, filters), marking read, and each person's choices per kind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kla.accounts.models import User
from kla.notifications import selectors, services
from kla.notifications.forms import PreferencesForm
from kla.notifications.models import Kind

PER_PAGE = 30


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_http_methods(["GET"])
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = request.GET.get("status", "unread")
    if status not in ("unread", "all"):
        status = "unread"
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    rows = selectors.notifications_of(user, unread_only=status == "unread", kind=kind)
    paginator = Paginator(rows, PER_PAGE)
    paginator.count = selectors.count_of(user, unread_only=status == "unread", kind=kind)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "status": status, "kind": kind, "kind_options": _kind_options(kind)},
    )


def _kind_options(kind: str) -> SafeString:
    """The `<option>`s of the kind filter (sixteen kinds), as the template's loop wrote them, built once per language
    and choice."""
    key = (get_language(), kind)
    html = _KIND_OPTIONS.get(key)
    if html is None:
        html = "".join(
            f'<option value="{escape(value)}" {"selected" if kind == value else ""}>{escape(str(label))}</option>'
            for value, label in Kind.choices
        )
        _KIND_OPTIONS[key] = html
    return mark_safe(html)  # noqa: S308 - every text escaped above


_KIND_OPTIONS: dict[tuple[str | None, str], str] = {}  # bounded: languages × (kinds + "")


@require_POST
@login_required
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one's own notification read; with `open`, go on to its object. Anyone else's id: 404."""
    user = _user(request)
    notification = selectors.notification_of(user, pk)
    if notification is None:
        raise Http404(_("Notifikasi tidak ditemukan."))
    services.mark_read(notification=notification, by=user)
    target = notification.url
    if request.POST.get("open") and target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect(_back(request))


@require_POST
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(by=_user(request))
    messages.success(request, _("%(count)s notifikasi ditandai sudah dibaca.") % {"count": count})
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    if back.startswith("/notifikasi/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return back
    from django.urls import reverse

    return reverse("notifications:list")


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PreferencesForm(request.POST or None, initial_choices=selectors.preferences_of(user))
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.preferences_set(choices=form.choices(), by=user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Pengaturan notifikasi disimpan (%(count)s diubah).") % {"count": changed})
                return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=422)
    return render(request, "notifications/preferences.html", {"form": form})
