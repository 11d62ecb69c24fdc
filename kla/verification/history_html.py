"""An entry's history (`history.entry_history`) as the list the entry review page and the history page print, built
in Python: a template loop with a filter and a dozen look-ups per event, and a loop per change, was most of the
rendering of an entry with a long history. The markup and the words (msgids) are those of the template it replaces;
every value is escaped unless already marked safe, as the template's autoescape did."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from kla.core.audit_display import Change, EventView
from kla.core.templatetags.formats import short_datetime


def _e(value: object) -> str:
    """What autoescape prints: safe text as it is, anything else escaped."""
    return str(value) if hasattr(value, "__html__") else escape(str(value))


def _change(c: Change) -> str:
    before, after = _e(c.before), _e(c.after)
    if c.before and c.after:
        shown = f"<del>{before}</del> → {after}" if c.changed else after
    elif c.before:
        shown = f"<del>{before}</del>"
    else:
        shown = after
    return f"\n      <li>{_e(capfirst(c.field))}: {shown}</li>\n    "


def history_html(views: Sequence[EventView]) -> SafeString:
    """`<ol class="activity">` with one item per event, newest first as given."""
    out = ['<ol class="activity">\n']
    reason_word = _e(gettext("Alasan"))
    for ev in views:
        label = f' <span class="muted">({_e(ev.object_label)})</span>' if ev.object_label else ""
        reason = f"<br>{reason_word}: “{_e(ev.reason)}”" if ev.reason else ""
        changes = f'<ul class="changes">{"".join(_change(c) for c in ev.changes)}</ul>' if ev.changes else ""
        out.append(
            f'  <li id="ev-{ev.pk}"><span class="muted">{_e(short_datetime(ev.at))}</span> · {_e(ev.actor)} · '
            f"<strong>{_e(ev.label)}</strong>{label}\n    {reason}\n    {changes}</li>\n"
        )
    if not views:
        nothing = gettext("Belum ada aktivitas.")
        out.append(f'<li class="muted">{_e(nothing)}</li>')
    out.append("</ol>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
