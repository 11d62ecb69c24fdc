"""Signals the region hierarchy sends, so apps above it can react without regions knowing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after `regions_load` committed, with `counts` (rows per level). The password validator of kla.accounts
# forgets its cached region names on it.
regions_loaded = Signal()
