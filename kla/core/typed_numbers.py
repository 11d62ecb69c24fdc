"""Numbers typed into forms, read and written in the reader's language: the Indonesian way on Indonesian pages
(``1.500``, ``1,5``), the English way on English pages (``1,500``, ``1.5``).

The rules are ``kla.core.formatting.parse_number`` and ``format_typed`` (pure); this module adds the active language
(``get_language()``) and says a refusal through gettext. Forms, views and the services behind typed fields use it;
imports of files and stored text keep calling ``parse_number`` the Indonesian way, whatever the page's language.
The API is a machine interface: its text numbers are read the Indonesian way whatever ``Accept-Language`` says
(``kla.api.v1`` wraps every operation in ``reading("id")``), so a client's request means the same in every language.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.utils.translation import get_language, gettext

from kla.core.formatting import Number, NumberInputError, Style, format_typed, parse_number

_FIXED: ContextVar[Style | None] = ContextVar("typed_number_style", default=None)


def style() -> Style:
    """``"en"`` on English pages, ``"id"`` otherwise (or the style fixed by ``reading``)."""
    fixed = _FIXED.get()
    if fixed is not None:
        return fixed
    return "en" if (get_language() or "id").startswith("en") else "id"


@contextmanager
def reading(fixed: Style) -> Iterator[None]:
    """Read typed numbers in one style inside the block, whatever the active language."""
    token = _FIXED.set(fixed)
    try:
        yield
    finally:
        _FIXED.reset(token)


def said(error: NumberInputError) -> str:
    """A refusal's hint in the reader's language."""
    return gettext(error.template) % error.params


def read_number(text: str) -> Decimal:
    """``parse_number`` in the active language's style; a refusal (``NumberInputError``) carries its message in the
    reader's language."""
    try:
        return parse_number(text, style())
    except NumberInputError as error:
        raise error.said_with(gettext) from None


def typed(value: Number | None, places: int | None = None) -> str:
    """A stored number as the reader types it again (``1.234,5``; English ``1,234.5``); empty for none."""
    return "" if value is None else format_typed(value, places, lang=style())
