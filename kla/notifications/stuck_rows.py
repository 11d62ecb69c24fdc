"""The stuck board's rows, built once in Python as the template wrote them: the item's link and its reminder's
address (each reversed once per page, the id put in its place), the age and both instants in the page's language
and zone, the party responsible, the words translated once per page. A template loop (a lookup, a filter, a
translation or a `{% url %}` per cell) was most of the board's rendering. Every text is escaped here; the CSRF
field is the request's, as `{% csrf_token %}` writes it."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from kla.core.templatetags.formats import number, short_datetime
from kla.notifications import escalation, stuck
from kla.notifications.escalation_rules import ItemKind
from kla.notifications.forms import SLUG_OF

MARK = 999_999_999  # reversed once; each row's id takes its place


def _pattern(name: str, *args: str) -> tuple[str, str]:
    url = reverse(name, args=[*args, MARK])
    head, _, tail = url.rpartition(str(MARK))
    return head, tail


def _words() -> dict[str, str]:
    return {
        key: escape(gettext(text))
        for key, text in (
            ("indicator", gettext_noop("Indikator")),
            ("evaluation", gettext_noop("Evaluasi")),
            ("dikembalikan", gettext_noop("Dikembalikan, belum diperbaiki")),
            ("dikirim", gettext_noop("Dikirim, belum diverifikasi provinsi")),
            ("diusulkan", gettext_noop("Diusulkan, belum diverifikasi Kementerian")),
            ("remind", gettext_noop("Ingatkan")),
            ("reminded", gettext_noop("Sudah diingatkan hari ini")),
        )
    }


def rows(request: HttpRequest, items: Iterable[stuck.StuckItem]) -> list[SafeString]:
    """One `<tr>` per item, in the order given."""
    links = {ItemKind.RETURNED: _pattern("verification:entry")}
    evaluation = _pattern("verification:evaluation")
    remind = {slug: _pattern("notifications:stuck_remind", slug) for slug in SLUG_OF.values()}
    words = _words()
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(get_token(request))}">'
    back = escape(request.get_full_path())
    out = []
    for item in items:
        slug = SLUG_OF[item.kind.value]
        head, tail = links.get(item.kind, evaluation)
        action_head, action_tail = remind[slug]
        what = (
            f"{words['indicator']} {escape(item.label)}"
            if item.label
            else f"{words['evaluation']} {escape(item.cycle_name)}"
        )
        reminded = f'<span class="badge gray">{words["reminded"]}</span>' if item.reminded_today else ""
        out.append(
            mark_safe(  # noqa: S308 - every text escaped above
                f'\n  <tr id="stuck-{slug}-{item.pk}">\n'
                f'    <td class="num">{escape(number(item.verdict.age_days))}</td>\n'
                f'    <td>{escape(item.region_name)}<br><span class="muted">{escape(item.province_name)}</span></td>\n'
                f'    <td><a href="{escape(f"{head}{item.pk}{tail}")}">{what}</a><br>\n'
                f'      <span class="badge warn">{words[slug]}</span></td>\n'
                f"    <td>{escape(short_datetime(item.since))}</td>\n"
                f"    <td>{escape(short_datetime(item.verdict.due_at))}</td>\n"
                f"    <td>{escape(escalation.responsible_name(item))}<br>"
                f'<span class="muted">{escape(stuck.level_label(item.verdict.responsible))}</span></td>\n'
                "    <td>\n"
                f'      <form method="post" action="{escape(f"{action_head}{item.pk}{action_tail}")}" '
                f'class="inline-form">{csrf}\n'
                f'        <input type="hidden" name="next" value="{back}">\n'
                f'        <button type="submit" class="small">{words["remind"]}</button>\n'
                "      </form>\n"
                f"      {reminded}\n"
                "    </td>\n"
                "  </tr>\n  "
            )
        )
    return out
