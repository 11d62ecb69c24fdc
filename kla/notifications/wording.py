"""The words and formats of a notification in the language it is being written in (the active one: `deliver` writes
each message once per recipients' language, under `translation.override`): dates and times in the region's zone and
that language's format (kla.core.formatting), counts, stage names."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from kla.core.formatting import WIB, format_count, format_date, format_datetime
from kla.evaluations.stages import STAGE_LABELS, Stage

LANGUAGES = ("id", "en")
DEFAULT = "id"


def language_of(user: object) -> str:
    """A recipient's language: their saved choice (kla.accounts.models.User.language), Indonesian otherwise."""
    chosen = str(getattr(user, "language", "") or "")
    return chosen if chosen in LANGUAGES else DEFAULT


def lang() -> str:
    """The language being written in: "en" or "id"."""
    return "en" if (translation.get_language() or DEFAULT).startswith("en") else DEFAULT


def at(value: dt.datetime, zone: str = WIB) -> str:
    """An instant in `zone`: "9 Desember 2099 pukul 10.30 WIB" or "9 December 2099 at 10:30 WIB"."""
    return format_datetime(value, zone, lang=lang())


def on(value: dt.date) -> str:
    return format_date(value, lang=lang())


def count(n: int) -> str:
    return format_count(n, lang=lang())


def stage(value: Stage) -> str:
    """The stage's name as it reads inside a sentence, translated."""
    label = translation.gettext(STAGE_LABELS[value])
    return label[0].lower() + label[1:]
