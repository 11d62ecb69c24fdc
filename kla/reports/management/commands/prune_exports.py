"""Delete exports older than KLA_EXPORT_KEEP_DAYS (each export task already does this after its build)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kla.reports import services


class Command(BaseCommand):
    help = "Menghapus berkas laporan (ekspor) yang lebih lama dari KLA_EXPORT_KEEP_DAYS hari."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while deleted := services.prune():
            total += deleted
        self.stdout.write(f"{total} laporan dihapus (masa simpan {settings.KLA_EXPORT_KEEP_DAYS} hari).")
