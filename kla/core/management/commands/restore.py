"""manage.py restore DIR [--identity FILE]: load a backup into an empty database and prove it identical to the
manifest; an encrypted backup is opened with the age identity file (or KLA_BACKUP_AGE_IDENTITY)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kla.core.backup import restore
from kla.core.backup_crypto import BackupError
from kla.core.formatting import format_number


class Command(BaseCommand):
    help = "Pulihkan cadangan ke basis data KOSONG, lalu bandingkan jumlah baris dan hash media dengan manifes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="direktori cadangan (kla-backup-...)")
        parser.add_argument(
            "--identity",
            default=None,
            help="berkas identitas age untuk cadangan terenkripsi (default KLA_BACKUP_AGE_IDENTITY)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        identity = options["identity"] or settings.KLA_BACKUP_AGE_IDENTITY
        try:
            check = restore(Path(options["directory"]), identity=Path(identity) if identity else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if not check.identical:
            raise CommandError(check.describe())
        self.stdout.write(f"{check.describe()} ({format_number(time.perf_counter() - started, 1)} detik)")
