"""The stuck board's rows, formatted once in Python: the item's link and its reminder's address (each reversed
once per page, the id put in its place), the age and both instants in the page's language and zone, the party
responsible. The template prints plain values (a lookup, a filter and a `{% url %}` per cell were most of the
board's rendering)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from kla.core.templatetags.formats import number, short_datetime
from kla.notifications import escalation, stuck
from kla.notifications.escalation_rules import ItemKind
from kla.notifications.forms import SLUG_OF

MARK = 999_999_999  # reversed once; each row's id takes its place


def _pattern(name: str, *args: Any) -> tuple[str, str]:
    url = reverse(name, args=[*args, MARK])
    head, _, tail = url.rpartition(str(MARK))
    return head, tail


def rows(items: Iterable[stuck.StuckItem]) -> list[dict[str, Any]]:
    """One dict per item (a template finds a key at its first try), in the order given."""
    entry, evaluation = _pattern("verification:entry"), _pattern("verification:evaluation")
    remind = {slug: _pattern("notifications:stuck_remind", slug) for slug in SLUG_OF.values()}
    out = []
    for item in items:
        slug = SLUG_OF[item.kind.value]
        head, tail = entry if item.kind == ItemKind.RETURNED else evaluation
        action_head, action_tail = remind[slug]
        out.append(
            {
                "item": item,
                "slug": slug,
                "age": number(item.verdict.age_days),
                "url": f"{head}{item.pk}{tail}",
                "since": short_datetime(item.since),
                "due": short_datetime(item.verdict.due_at),
                "who": escalation.responsible_name(item),
                "level": stuck.level_label(item.verdict.responsible),
                "remind": f"{action_head}{item.pk}{action_tail}",
            }
        )
    return out
