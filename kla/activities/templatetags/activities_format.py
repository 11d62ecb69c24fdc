"""Dates, counts, sizes and rupiah on the activity pages, through kla.core.formatting (one formatting module)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from kla.core import formatting

register = template.Library()


@register.filter
def tanggal(value: dt.date | None) -> str:
    """7 Des 2026."""
    return formatting.format_date_short(value) if value else "–"


@register.filter
def waktu(value: dt.datetime | None) -> str:
    """7 Desember 2026 pukul 16.00 WIB."""
    return formatting.format_datetime(value) if value else "–"


@register.filter
def ukuran(value: int) -> str:
    """1,5 MB."""
    return formatting.format_size(value)


@register.filter
def jumlah(value: int) -> str:
    """1.234."""
    return formatting.format_count(value)


@register.filter
def rupiah(value: Decimal | None) -> str:
    """Rp 1.250.000.000,50."""
    return formatting.format_rupiah(value)
