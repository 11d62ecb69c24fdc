"""Amounts, figures and dates on the RAD KLA pages, the Indonesian way, through kla.core.formatting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template

from kla.core import formatting

register = template.Library()


@register.filter
def rupiah(value: Decimal | int | None) -> str:
    """Rp 1.250.000.000 (with sen: Rp 1.250.000.000,50); none: –."""
    return formatting.format_rupiah(value)


@register.filter
def angka(value: Decimal | int | None) -> str:
    """1.234,5; none: –."""
    return formatting.format_number(value)


@register.filter
def persen(value: Decimal | None) -> str:
    """1,2345% (the share keeps its four places); none: –."""
    return formatting.format_percent(value, 4) if value is not None else "–"


@register.filter
def tanggal(value: dt.date | None) -> str:
    """7 Desember 2026."""
    return formatting.format_date(value) if value else "–"


@register.filter
def waktu(value: dt.datetime | None) -> str:
    """7 Des 2026 16.00 WIB."""
    return formatting.format_datetime_short(value) if value else "–"


@register.filter
def ukuran(value: int) -> str:
    return formatting.format_size(value)


@register.filter
def ambil(mapping: dict[Any, Any] | None, key: Any) -> Any:
    """mapping[key], or None when absent (the tree's budget per year and source, targets per year)."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def rencana(view: Any, year: int | None = None) -> Decimal:
    """A tree view's planned total for `year` (its own lines and those below it)."""
    result: Decimal = view.planned(year)
    return result
