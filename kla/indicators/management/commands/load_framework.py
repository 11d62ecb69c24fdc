from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kla.indicators.framework_schema import FrameworkError
from kla.indicators.services import framework_load

BUNDLED = Path(__file__).resolve().parents[2] / "frameworks" / "kla-2024.yaml"


class Command(BaseCommand):
    help = (
        "Memuat berkas instrumen (YAML/JSON) setelah divalidasi seluruhnya; berkas yang salah ditolak tanpa "
        "mengubah apa pun. Tanpa argumen: instrumen bawaan (bobot referensi)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(BUNDLED), help="berkas instrumen (.yaml atau .json)")
        parser.add_argument("--reason", default="", help="alasan perubahan (dicatat di log audit)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"Berkas tidak ditemukan: {path}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: berkas harus berupa teks UTF-8 (YAML atau JSON).") from None
        try:
            result = framework_load(text=text, by=None, reason=options["reason"])
        except FrameworkError as exc:
            lines = "\n".join(f"  - {m}" for m in exc.messages)
            raise CommandError(f"{path}: instrumen ditolak, tidak ada yang diubah.\n{lines}") from None
        fw = result.framework
        verb = {"created": "dimuat", "replaced": "diganti", "unchanged": "tidak berubah (isi sama)"}[result.outcome]
        self.stdout.write(
            self.style.SUCCESS(
                f"Instrumen {fw.code} ({fw.name}) {verb}: {fw.clusters.count()} kelompok, "
                f"{fw.indicators.count()} indikator, nilai maksimum {fw.max_total}."
            )
        )
        if fw.is_reference_weights:
            self.stdout.write(self.style.WARNING("Catatan: bobot instrumen ini adalah bobot REFERENSI, bukan resmi."))
