"""Dates, counts, sizes and rupiah on the activity pages: the core format filters (kla/core/templatetags/formats.py,
the active language and the viewer's zone) under the names the activity templates use."""

from __future__ import annotations

from django import template

from kla.core.templatetags import formats

register = template.Library()

register.filter("tanggal", formats.short_date)  # 7 Des 2026
register.filter("waktu", formats.datetime_)  # 7 Desember 2026 pukul 16.00 WIB
register.filter("ukuran", formats.size)  # 1,5 MB
register.filter("jumlah", formats.number)  # 1.234
register.filter("rupiah", formats.rupiah)  # Rp 1.250.000.000,50
