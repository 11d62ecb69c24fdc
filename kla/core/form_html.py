"""The HTML of an empty form, rendered once per process and shape: for the add/record forms pages show beside
their lists (a decree, a member, a meeting, a follow-up...).

Rendering a form through its widget templates costs a few milliseconds per form (a template per field, one per
option of a select): on the task-force page the two empty forms cost more than the rest of the page. An unbound
form's HTML is a function of its class, prefix, ids, the active language and zone, each field's initial value and
choices, and nothing else (no request, no user, no CSRF token: that stays outside, in the page). So the HTML is
kept under that key: the choices are still read on every request (a queryset choice runs its query as before, so a
changed list of agencies is a new key, never stale HTML), only the rendering is skipped. A bound form (errors, typed
values) is always rendered.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from threading import Lock
from typing import Any, cast

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

LIMIT = 512  # shapes kept per process (a few kB each): the task forces and plans most recently shown

_cache: OrderedDict[Hashable, str] = OrderedDict()
_lock = Lock()


def _field_key(form: forms.BaseForm, name: str, field: forms.Field) -> Hashable:
    """The initial value and, for a choice field, its choices as text (read once: the widget renders the list read
    here, so a queryset choice runs one query, as rendering alone would)."""
    initial = form.get_initial_for_field(field, name)
    if not isinstance(field, forms.ChoiceField):
        return (name, repr(initial))
    choices = list(iter(cast("Iterable[Any]", field.choices)))  # iter(): no COUNT query for the length
    field.widget.choices = choices
    return (name, repr(initial), tuple((str(v), str(label)) for v, label in choices))


def _cached(form: forms.BaseForm, kind: Hashable, render: Callable[[], str]) -> SafeString:
    if form.is_bound:
        return mark_safe(render())  # noqa: S308 - the form's own rendering, already escaped
    key = (
        type(form),
        kind,
        form.prefix,
        form.auto_id,
        form.use_required_attribute,
        get_language(),
        get_current_timezone_name(),  # an initial instant is shown in the viewer's zone
        tuple(_field_key(form, name, field) for name, field in form.fields.items()),
    )
    with _lock:
        html = _cache.get(key)
        if html is not None:
            _cache.move_to_end(key)
    if html is None:
        html = str(render())
        with _lock:
            _cache[key] = html
            while len(_cache) > LIMIT:
                _cache.popitem(last=False)
    return mark_safe(html)  # noqa: S308 - rendered by the form itself, already escaped


def as_div(form: forms.BaseForm) -> SafeString:
    """`form.as_div()`, from the per-process cache when the form is unbound."""
    return _cached(form, "as_div", form.as_div)


def with_template(form: forms.BaseForm, template_name: str) -> SafeString:
    """`template_name` rendered with `{"form": form}` (a partial such as registration/_form.html), cached alike."""
    return _cached(form, template_name, lambda: render_to_string(template_name, {"form": form}))


def clear() -> None:
    """Forget every kept form (tests that change a form class or its labels)."""
    with _lock:
        _cache.clear()


def size() -> int:
    return len(_cache)
