"""The parts of every page that depend only on who is looking and where: the header (brand, menu, language and
account tools), the footer and the stylesheet and script tags of base.html, rendered once per process for each
shape and kept.

The header was the costliest part of the signed-in minimal page (twenty-two `{% url %}` reversals, thirty
translations and the role tests on every request). Its HTML is a function of the language, the URL prefix, the
viewer's menu flags (the access_flags context processor), which sections the current URL is in and whether someone
is signed in. What differs per request (the CSRF token, the page's own path, the person's name, the bell's count)
is rendered as a marker and put in afterwards, escaped as the template would have: one pass over the kept HTML, so
a value is never read as a marker. The footer and the asset tags (hashed static names) depend on the language and
the URL prefix only.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from threading import Lock
from typing import Any
from urllib.parse import quote

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import ResolverMatch, get_script_prefix
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

LIMIT = 1024  # languages × flag combinations × sections, bells per count: a few dozen in practice
MENU_FLAGS = ("is_operator", "has_role", "can_manage_cycles", "is_reviewer", "can_manage_users")
HEADER = "includes/_header.html"
BELL = "notifications/_bell.html"
# Sections whose menu entry is current when the URL's app is theirs.
APP_SECTIONS = frozenset(
    {"regions", "indicators", "dashboards", "taskforce", "rad", "activities", "agencies", "reports", "results"}
)
MARKERS = {name: f"\x00kla-{name}\x00" for name in ("csrf", "next", "user", "login_next", "bell")}
_MARKER_RE = re.compile("|".join(re.escape(marker) for marker in MARKERS.values()))

_cache: dict[Hashable, str] = {}
_lock = Lock()


def current_sections(match: ResolverMatch | None) -> frozenset[str]:
    """The menu entries marked `aria-current` for a URL (none for a page without a route, e.g. a 404)."""
    if match is None:
        return frozenset()
    app, name = match.app_name or "", match.url_name or ""
    sections = {app} & APP_SECTIONS
    if name in ("home", "my_work", "users"):
        sections.add(name)
    if app == "evaluations" and name != "my_work":
        sections.add("cycles" if "cycle" in name else "evaluations")
    if app in ("verification", "fieldvisits"):
        sections.add("verification")
    return frozenset(sections)


def _kept(key: Hashable, template_name: str, context: dict[str, Any]) -> str:
    html = _cache.get(key)
    if html is None:
        html = render_to_string(template_name, context)
        with _lock:
            if len(_cache) >= LIMIT:
                _cache.clear()
            _cache[key] = html
    return html


def header(context: Any) -> SafeString:
    """base.html's header for the viewer and URL of `context` (the page's template context)."""
    request, user = context.get("request"), context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    token = context.get("csrf_token")
    with_token = bool(token) and str(token) != "NOTPROVIDED"
    shape = tuple(bool(context.get(flag)) for flag in MENU_FLAGS)
    current = current_sections(getattr(request, "resolver_match", None))
    key = (HEADER, get_language(), get_script_prefix(), shape, current, signed_in, with_token)
    kept = _kept(
        key,
        HEADER,
        {
            **dict(zip(MENU_FLAGS, shape, strict=True)),
            "current": current,
            "authenticated": signed_in,
            "csrf_token": MARKERS["csrf"] if with_token else "NOTPROVIDED",
            **{f"{name}_marker": marker for name, marker in MARKERS.items() if name != "csrf"},
        },
    )
    path = request.path if request is not None else ""
    values = {
        MARKERS["csrf"]: str(token) if with_token else "",
        MARKERS["next"]: str(conditional_escape(request.get_full_path() if request is not None else "")),
        MARKERS["user"]: str(conditional_escape(str(user))) if signed_in else "",
        MARKERS["login_next"]: str(conditional_escape(quote(path, safe="/"))),
        MARKERS["bell"]: bell(int(context.get("notifications_unread") or 0)) if signed_in else "",
    }
    return mark_safe(_MARKER_RE.sub(lambda found: values[found.group(0)], kept))  # noqa: S308 - escaped above


def bell(unread: int) -> str:
    """The bell of a signed-in person with this many unread notifications."""
    key = (BELL, get_language(), get_script_prefix(), unread)
    return _kept(key, BELL, {"user": {"is_authenticated": True}, "notifications_unread": unread})


def part(template_name: str) -> SafeString:
    """A part with no context at all (the footer, the asset tags): one per language and URL prefix."""
    return mark_safe(_kept((template_name, get_language(), get_script_prefix()), template_name, {}))  # noqa: S308


def clear() -> None:
    """Forget the kept HTML (tests that change a template or a URL)."""
    with _lock:
        _cache.clear()


@receiver(setting_changed)
def _forget_on_settings_change(**_kwargs: Any) -> None:
    """A test that overrides settings (static storage, URLs, languages) gets freshly rendered parts."""
    clear()
