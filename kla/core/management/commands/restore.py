"""manage.py restore DIR: load a backup into an empty database and prove it identical to the manifest."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kla.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Pulihkan cadangan ke basis data KOSONG, lalu bandingkan jumlah baris dan hash media dengan manifes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="direktori cadangan (kla-backup-...)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            check = restore(Path(options["directory"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if not check.identical:
            raise CommandError(check.describe())
        self.stdout.write(f"{check.describe()} ({time.perf_counter() - started:.1f} s)")
