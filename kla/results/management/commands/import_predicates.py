from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kla.accounts.models import User
from kla.indicators.models import Framework
from kla.results.services import predicates_import


class Command(BaseCommand):
    help = (
        "Mengimpor riwayat predikat dari CSV (kode_wilayah,tahun,predikat[,nilai][,catatan]). Semua baris atau "
        "tidak sama sekali: satu baris salah menolak seluruh berkas. Tahun yang tercatat dari siklus di platform "
        "tidak ditimpa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas CSV (UTF-8)")
        parser.add_argument("--framework", required=True, help="kode instrumen untuk nama predikat, mis. kla-2024-ref")
        parser.add_argument("--by", default="", help="nama pengguna administrator Kementerian (dicatat di log audit)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"Berkas tidak ditemukan: {path}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: berkas harus berupa teks UTF-8 (CSV).") from None
        framework = Framework.objects.filter(code=options["framework"]).first()
        if framework is None:
            raise CommandError(f"Instrumen '{options['framework']}' tidak ditemukan.")
        by = None
        if options["by"]:
            by = User.objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"Pengguna '{options['by']}' tidak ditemukan.")
        try:
            n = predicates_import(text=text, framework=framework, by=by)
        except PermissionDenied:
            raise CommandError(f"{options['by']} bukan administrator Kementerian; tidak ada yang diimpor.") from None
        except ValidationError as exc:
            lines = "\n".join(f"  - {m}" for m in exc.messages)
            raise CommandError(f"{path}: impor ditolak, tidak ada yang diubah.\n{lines}") from None
        self.stdout.write(self.style.SUCCESS(f"{n} baris riwayat predikat diimpor dari {path}."))
