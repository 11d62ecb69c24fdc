"""Audit events as a person reads them: the action's label, each recorded value under its field's label, the ids of
known objects by name, lists joined, yes/no, numbers, sizes, dates and instants through `kla.core.formatting`.

Core knows no app, so the names of referenced objects come from the caller: `references(events)` says which ids of
which kind (agency, region, user, indicator, entry, question) the events name, the caller reads them in one query per
kind and passes them to `describe` as `Names`; choices (an entry's status, a verdict's stage) likewise. Nothing here
queries the database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kla.core import formatting
from kla.core.audit_labels import FIELD_LABELS, action_label
from kla.core.models import AuditEvent

# Which recorded keys hold the id (or region code) of an object of which kind.
REFERENCES: dict[str, str] = {
    "agency": "agency",
    "agencies": "agency",
    "reassigned_to": "agency",
    "owner": "agency",
    "region": "region",
    "regions": "region",
    "indicator": "indicator",
    "indicators": "indicator",
    "entry": "entry",
    "entries": "entry",
}
# Keys shown as written: codes, years and counters that a thousands separator would garble.
PLAIN = frozenset({"code", "year", "start_year", "end_year", "quarter", "number", "prefix", "key", "question", "id"})
SIZES = frozenset({"size"})
# The parts of a stored answer (kla/indicators/answers.py) and how they are called.
ANSWER_PARTS: dict[str, Promise] = {
    "option": gettext_lazy("pilihan"),
    "yes": gettext_lazy("ya/tidak"),
    "number": gettext_lazy("angka"),
    "numerator": gettext_lazy("pembilang"),
    "denominator": gettext_lazy("penyebut"),
    "date": gettext_lazy("tanggal"),
    "text": gettext_lazy("teks"),
}
HIDDEN_KEYS = frozenset({"sha256", "original_sha256", "source_id", "errno"})  # fingerprints and codes, not for people
EMPTY = "–"

Names = Mapping[str, Mapping[Any, str]]
Choices = Mapping[str, Mapping[str, str]]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str
    changed: bool


@dataclass(frozen=True)
class EventView:
    """One event ready for a template: no code, no dict."""

    pk: int
    at: dt.datetime
    actor: str
    label: str
    object_label: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def references(events: Iterable[AuditEvent]) -> dict[str, set[Any]]:
    """The ids of each kind of object the events' values name (to be read in one query per kind)."""
    wanted: dict[str, set[Any]] = {}
    for event in events:
        for values in (event.before, event.after):
            for key, value in (values or {}).items() if isinstance(values, dict) else ():
                kind = REFERENCES.get(key)
                if kind is not None:
                    items = value if isinstance(value, list) else [value]
                    wanted.setdefault(kind, set()).update(v for v in items if isinstance(v, int | str) and v != "")
    return wanted


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


def _lang() -> str:
    return translation.get_language() or "id"


def _number(text: str) -> str:
    try:
        return formatting.format_number(Decimal(text), lang=_lang())
    except InvalidOperation:
        return text


def _text(value: str) -> str:
    if _INSTANT.match(value):
        try:
            instant = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_naive(instant):
            instant = timezone.make_aware(instant, dt.UTC)
        return formatting.format_datetime_short(instant, timezone.get_current_timezone_name(), lang=_lang())
    if _DATE.match(value):
        try:
            return formatting.format_date(dt.date.fromisoformat(value), lang=_lang())
        except ValueError:
            return value
    return _number(value) if _DECIMAL.match(value) else value


def show(key: str, value: Any, names: Names, choices: Choices) -> str:
    """One recorded value as text."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, list):
        return ", ".join(show(key, item, names, choices) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{_part(k)}: {show(_part_key(k), v, names, choices)}" for k, v in value.items())
    kind = REFERENCES.get(key)
    if kind is not None and value in names.get(kind, {}):
        return names[kind][value]
    if key in choices and str(value) in choices[key]:
        return choices[key][str(value)]
    if key in PLAIN:
        return str(value)
    if key in SIZES and isinstance(value, int):
        return formatting.format_size(value, lang=_lang())
    if isinstance(value, int | float):
        return formatting.format_number(value, lang=_lang())
    return _text(str(value))


def _part_key(key: str) -> str:
    """The key a part of an answer is shown under: an option by the choices' "option" labels, the other parts as plain
    values (an answer's "number" is the number typed, not a document's number)."""
    return key if key == "option" or key not in ANSWER_PARTS else ""


def _part(key: str) -> str:
    return str(ANSWER_PARTS[key]) if key in ANSWER_PARTS else field_label(key) if key in FIELD_LABELS else key


def changes(event: AuditEvent, names: Names, choices: Choices, hidden: frozenset[str] = frozenset()) -> list[Change]:
    """The values of the event, before and after, key by key in the order recorded; `hidden` keys left out."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = [k for k in [*before, *(k for k in after if k not in before)] if k not in hidden and k not in HIDDEN_KEYS]
    rows = []
    for key in keys:
        old = show(key, before.get(key), names, choices) if key in before else ""
        new = show(key, after.get(key), names, choices) if key in after else ""
        if {old, new} <= {"", EMPTY}:
            continue  # nothing before, nothing after: not worth a line
        rows.append(Change(field_label(key), old, new, key in before and key in after and old != new))
    return rows


def describe(
    event: AuditEvent, names: Names, choices: Choices | None = None, hidden: frozenset[str] = frozenset()
) -> EventView:
    """The event for a person: its label, who, what, why, and its values (without the keys in `hidden`)."""
    return EventView(
        pk=event.pk,
        at=event.at,
        actor=names.get("user", {}).get(event.actor_id) or event.actor_label or _("sistem"),
        label=action_label(event.action),
        object_label=event.object_label,
        reason=event.reason,
        changes=changes(event, names, choices or {}, hidden),
    )
