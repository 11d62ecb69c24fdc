"""Amounts, figures and dates on the RAD KLA pages through the core format filters (kla/core/templatetags/formats.py:
the active language and the viewer's zone), and two look-ups of the budget tree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from kla.core.templatetags import formats

register = template.Library()


# The formats are the core library's ({% load formats %}), under the names the RAD KLA templates use.
register.filter("rupiah", formats.rupiah)  # Rp 1.250.000.000 (with sen: Rp 1.250.000.000,50)
register.filter("angka", formats.number)  # 1.234,5
register.filter("tanggal", formats.long_date)  # 7 Desember 2026
register.filter("waktu", formats.short_datetime)  # 7 Des 2026 16.00 WIB, in the viewer's zone
register.filter("ukuran", formats.size)  # 1,5 MB


@register.filter
def persen(value: Decimal | None) -> str:
    """1,2345% (the share keeps its four places); none: –."""
    return formats.percent(value, 4)


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
