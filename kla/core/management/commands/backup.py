"""manage.py backup [--out DIR] [--encrypt-to AGE_RECIPIENT ...]: a database dump plus a manifest of table counts
and media hashes; the dump encrypted with age to KLA_BACKUP_AGE_RECIPIENT (or the --encrypt-to keys) when set."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kla.core import audit
from kla.core.backup import backup
from kla.core.backup_crypto import BackupError
from kla.core.formatting import format_number


class Command(BaseCommand):
    help = (
        "Cadangkan basis data (pg_dump atau salinan SQLite) beserta manifes jumlah baris dan hash berkas media; "
        "dienkripsi dengan age bila KLA_BACKUP_AGE_RECIPIENT atau --encrypt-to diisi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default="var/backups", help="direktori tujuan (default var/backups)")
        parser.add_argument(
            "--encrypt-to",
            action="append",
            default=None,
            metavar="AGE_RECIPIENT",
            help="kunci publik age (age1...) penerima cadangan; boleh berulang (default KLA_BACKUP_AGE_RECIPIENT)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        recipients = options["encrypt_to"] or list(settings.KLA_BACKUP_AGE_RECIPIENT)
        try:
            target = backup(Path(options["out"]), recipients=recipients)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        audit.record(
            action="kla.backup.created",
            by=None,
            object_type="backup",
            object_id=target.name,
            after={"encrypted": bool(recipients)},
        )
        kind = "terenkripsi (age)" if recipients else "tidak terenkripsi"
        seconds = format_number(time.perf_counter() - started, 1)
        self.stdout.write(f"Cadangan dibuat: {target}, {kind} ({seconds} detik)")
