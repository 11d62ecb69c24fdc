"""`{% load formats %}`: numbers, money, sizes, dates and times on every page, the one way of kla.core.formatting.

Every filter follows the active language (Indonesian ``1.234,5`` and ``7 Desember 2026 pukul 16.00 WIB``; English
pages ``1,234.5`` and ``7 December 2026 at 16:00 WIB``) and shows an instant in the active time zone, which
``kla.accounts.viewer_zone.ViewerZoneMiddleware`` sets to the viewer's region zone (WIB, WITA or WIT; WIB for the
public and the ministry). Nothing (``None`` or an empty value) reads as an en dash.

=====================  ===================================  =========================================
filter                 Indonesian                           English
=====================  ===================================  =========================================
``number``             ``1.234,5`` (``number:2`` 1.234,50;  ``1,234.5``
                       ``number:"-2"`` two places unless
                       whole, like ``floatformat``)
``percent``            ``45,00%`` (``percent:4``)           ``45.00%``
``rupiah``             ``Rp 1.250.000``                     ``Rp 1,250,000``
``size``               ``1,5 MB``                           ``1.5 MB``
``long_date``          ``7 Desember 2026``                  ``7 December 2026``
``short_date``         ``7 Des 2026``                       ``7 Dec 2026``
``datetime``           ``7 Desember 2026 pukul 16.00 WIB``  ``7 December 2026 at 16:00 WIB``
``short_datetime``     ``7 Des 2026 16.00 WIB``             ``7 Dec 2026 16:00 WIB``
``clock``              ``16.00 WIB``                        ``16:00 WIB``
``input_number``       ``1.234,5`` (a field's value, read     ``1,234.5``
                       back by ``typed_numbers``)
=====================  ===================================  =========================================

``{% zone_label %}`` prints the active zone's label (``WITA``) for a heading or a form's help text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone, translation

from kla.core import formatting, typed_numbers

register = template.Library()

EMPTY = "–"
Number = Decimal | int | float


def language() -> str:
    """The active language as kla.core.formatting reads it (``"id"`` unless English is active)."""
    return translation.get_language() or "id"


def zone() -> str:
    """The active time zone's name (the viewer's region zone inside a request, the site's zone otherwise)."""
    return timezone.get_current_timezone_name()


def _places(arg: int | str | None, value: Decimal) -> int | None:
    """``None`` keeps the significant digits; ``2`` always two; ``"-2"`` two unless the number is whole."""
    if arg is None or arg == "":
        return None
    places = int(arg)
    if places < 0:
        return None if value == value.to_integral_value() else -places
    return places


@register.filter
def number(value: Number | None, places: int | str | None = None) -> str:
    if value is None or value == "":
        return EMPTY
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return formatting.format_number(exact, _places(places, exact), lang=language())


@register.filter
def percent(value: Number | None, places: int | str = 2) -> str:
    if value is None or value == "":
        return EMPTY
    return formatting.format_percent(value, int(places), lang=language())


@register.filter
def rupiah(value: Number | None) -> str:
    if value is None or value == "":
        return EMPTY
    return formatting.format_rupiah(value, lang=language())


@register.filter
def size(value: int | str | None) -> str:
    if value is None or value == "":
        return EMPTY
    return formatting.format_size(int(value), lang=language())


def _day(value: dt.date | dt.datetime) -> dt.date:
    """A date as it is; an instant as its date in the active zone."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _aware(value: dt.datetime) -> dt.datetime:
    """An instant; a naive value is read in the active zone (as Django reads a typed time)."""
    return value if timezone.is_aware(value) else timezone.make_aware(value)


@register.filter
def long_date(value: dt.date | dt.datetime | None) -> str:
    return formatting.format_date(_day(value), lang=language()) if value else EMPTY


@register.filter
def short_date(value: dt.date | dt.datetime | None) -> str:
    return formatting.format_date_short(_day(value), lang=language()) if value else EMPTY


@register.filter(name="datetime")
def datetime_(value: dt.datetime | None) -> str:
    return formatting.format_datetime(_aware(value), zone(), lang=language()) if value else EMPTY


@register.filter
def short_datetime(value: dt.datetime | None) -> str:
    return formatting.format_datetime_short(_aware(value), zone(), lang=language()) if value else EMPTY


@register.filter
def clock(value: dt.datetime | None) -> str:
    return formatting.format_time(_aware(value), zone(), lang=language()) if value else EMPTY


@register.simple_tag(name="zone_label")
def zone_label_tag() -> str:
    return formatting.zone_label(zone())


@register.filter
def input_number(value: Number | None, places: int | str | None = "-2") -> str:
    """A number as a form field's value in the page's language (``12,5``; English ``12.5``), as
    ``kla.core.typed_numbers.read_number`` reads it back on the same page; nothing gives an empty field."""
    if value is None or value == "":
        return ""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return typed_numbers.typed(exact, _places(places, exact))
