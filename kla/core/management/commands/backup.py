"""manage.py backup [--out DIR]: a database dump plus a manifest of table counts and media hashes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kla.core import audit
from kla.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Cadangkan basis data (pg_dump atau salinan SQLite) beserta manifes jumlah baris dan hash berkas media."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default="var/backups", help="direktori tujuan (default var/backups)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            target = backup(Path(options["out"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        audit.record(action="kla.backup.created", by=None, object_type="backup", object_id=target.name)
        self.stdout.write(f"Cadangan dibuat: {target} ({time.perf_counter() - started:.1f} s)")
