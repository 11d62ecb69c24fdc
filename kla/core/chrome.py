"""The parts of every page that depend only on who is looking and where: the main menu, the brand, the footer and
the stylesheet and script tags of base.html, rendered once per process for each shape and kept.

The menu was the costliest part of the signed-in minimal page (seventeen `{% url %}` reversals, twenty
translations and the role tests on every request). Its HTML is a function of the language, the URL prefix, the
viewer's menu flags (the access_flags context processor) and which sections the current URL is in, and of nothing
else (no user name, no CSRF token, no query string: those stay in base.html), so it is kept under that key. The
brand, the footer and the asset tags (hashed static names) depend on the language and the URL prefix only.
"""

from __future__ import annotations

from collections.abc import Hashable
from threading import Lock
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import ResolverMatch, get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

LIMIT = 256  # languages × flag combinations × sections: a few dozen in practice
MENU_FLAGS = ("is_operator", "has_role", "can_manage_cycles", "is_reviewer", "can_manage_users")
MENU = "includes/_menu.html"
# Sections whose menu entry is current when the URL's app is theirs.
APP_SECTIONS = frozenset(
    {"regions", "indicators", "dashboards", "taskforce", "rad", "activities", "agencies", "reports", "results"}
)

_cache: dict[Hashable, str] = {}
_lock = Lock()


def current_sections(match: ResolverMatch | None) -> frozenset[str]:
    """The menu entries marked `aria-current` for a URL (none for a page without a route, e.g. a 404)."""
    if match is None:
        return frozenset()
    app, name = match.app_name or "", match.url_name or ""
    sections = {app} & APP_SECTIONS
    if name == "home":
        sections.add("home")
    if name == "my_work":
        sections.add("my_work")
    if name == "users":
        sections.add("users")
    if app == "evaluations" and name != "my_work":
        sections.add("cycles" if "cycle" in name else "evaluations")
    if app in ("verification", "fieldvisits"):
        sections.add("verification")
    return frozenset(sections)


def _kept(key: Hashable, template_name: str, context: dict[str, Any]) -> SafeString:
    html = _cache.get(key)
    if html is None:
        html = render_to_string(template_name, context)
        with _lock:
            if len(_cache) >= LIMIT:
                _cache.clear()
            _cache[key] = html
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, already escaped


def menu(flags: dict[str, bool], match: ResolverMatch | None) -> SafeString:
    shape = tuple(bool(flags.get(flag)) for flag in MENU_FLAGS)
    current = current_sections(match)
    key = (MENU, get_language(), get_script_prefix(), shape, current)
    return _kept(key, MENU, {**dict(zip(MENU_FLAGS, shape, strict=True)), "current": current})


def part(template_name: str) -> SafeString:
    """A part with no context at all (the brand, the footer, the asset tags): one per language and URL prefix."""
    return _kept((template_name, get_language(), get_script_prefix()), template_name, {})


def clear() -> None:
    """Forget the kept HTML (tests that change a template or a URL)."""
    with _lock:
        _cache.clear()


@receiver(setting_changed)
def _forget_on_settings_change(**_kwargs: Any) -> None:
    """A test that overrides settings (static storage, URLs, languages) gets freshly rendered parts."""
    clear()
