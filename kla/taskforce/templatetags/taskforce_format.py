"""Dates, counts and sizes on the task-force pages: the core format filters (kla/core/templatetags/formats.py, the
active language and the viewer's zone) under the names the task-force templates use."""

from __future__ import annotations

from django import template

from kla.core.templatetags import formats

register = template.Library()

register.filter("tanggal", formats.long_date)  # 7 Desember 2026
register.filter("tanggal_pendek", formats.short_date)  # 7 Des 2026
register.filter("waktu", formats.datetime_)  # 7 Desember 2026 pukul 16.00 WIB
register.filter("ukuran", formats.size)  # 1,5 MB
register.filter("jumlah", formats.number)  # 1.234
