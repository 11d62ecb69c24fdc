"""The province select and the search label of the public results filter, kept per process by what they show.

They are the same for every visitor who picks the same province (the 38 options, labels in the page's language),
yet rendering them (a label through the form's templates, an option each) cost about a sixth of the cached page.
Their HTML is a function of the language, the choices (code, name), the selected value and whether the choice was
refused, and nothing else (no request, no user): kept under exactly that, so a renamed province is a new key."""

from __future__ import annotations

from threading import Lock

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from kla.core.templatetags.choices import option_tags
from kla.results.forms import PublicFilterForm

LIMIT = 256  # shapes kept: a language × a selected province × the cycles' province lists
_kept: dict[tuple[object, ...], tuple[str, str]] = {}
_lock = Lock()


def filter_html(form: PublicFilterForm, selected: str) -> tuple[SafeString, SafeString]:
    """The province field (`<label>` and `<select>`) and the search box's `<label>`, as the template wrote them."""
    field = form.fields["provinsi"]
    choices = tuple((str(v), str(label)) for v, label in getattr(field, "choices", ()))
    invalid = bool(form.is_bound and form.errors.get("provinsi"))
    key = (get_language(), choices, selected, invalid)
    with _lock:
        found = _kept.get(key)
    if found is None:
        select = format_html(
            '{}<select name="provinsi" id="id_provinsi"{}>{}</select>',
            form["provinsi"].label_tag(),
            mark_safe(' aria-invalid="true"') if invalid else "",
            option_tags(choices, selected),
        )
        found = (str(select), str(form["q"].label_tag()))
        with _lock:
            if len(_kept) >= LIMIT:
                _kept.clear()
            _kept[key] = found
    return mark_safe(found[0]), mark_safe(found[1])  # noqa: S308 - built by format_html and the form, escaped
