"""Reads of agencies."""

from __future__ import annotations

from django.db.models import QuerySet

from kla.agencies.models import Agency


def agencies_of_region(region_code: str) -> QuerySet[Agency]:
    return Agency.objects.filter(region_id=region_code, is_active=True).select_related("region").order_by("short_name")
