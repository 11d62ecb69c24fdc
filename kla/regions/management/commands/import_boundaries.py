from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kla.accounts.models import User
from kla.core.formatting import format_count, format_number
from kla.regions.boundaries import DEFAULT_TOLERANCE, boundaries_import, max_bytes, size_problem
from kla.regions.boundary_file import LEVEL_WORDS
from kla.regions.levels import Level


class Command(BaseCommand):
    help = (
        "Mengimpor batas wilayah (GeoJSON FeatureCollection, WGS 84) untuk peta hasil. Kode Kemendagri tiap fitur "
        "dibaca dari properti kode, kode_wilayah atau code, lalu KDPPUM (provinsi) atau KDPKAB (kab/kota); "
        "bertitik (16.71) atau tanpa titik (1671). Seluruh berkas diperiksa terlebih dahulu: kode yang tidak dikenal, "
        "wilayah yang tidak ada di berkas, dan geometri yang rusak menolak seluruh berkas. Geometri disederhanakan "
        "sekali untuk web; impor ulang mengganti semua batas tingkat itu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas GeoJSON (UTF-8)")
        parser.add_argument(
            "--level", choices=[Level.PROVINSI.value, Level.KABKOTA.value], default=Level.PROVINSI.value
        )
        parser.add_argument(
            "--tolerance",
            type=float,
            default=None,
            help="toleransi penyederhanaan dalam derajat (bawaan: "
            + ", ".join(f"{lv.value} {t}" for lv, t in DEFAULT_TOLERANCE.items())
            + "; 0: tanpa penyederhanaan)",
        )
        parser.add_argument(
            "--allow-missing",
            action="store_true",
            help="tetap mengimpor bila ada wilayah tingkat ini yang tidak ada di berkas (wilayah itu disebutkan)",
        )
        parser.add_argument("--max-mb", type=float, default=None, help="ukuran berkas terbesar dalam MiB")
        parser.add_argument("--by", default="", help="nama pengguna administrator (dicatat di log audit)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        level = Level(options["level"])
        limit = int(options["max_mb"] * 1024 * 1024) if options["max_mb"] else max_bytes()
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise CommandError(f"Berkas tidak ditemukan: {path}") from None
        if (problem := size_problem(size, limit)) is not None:  # before a byte is read
            raise CommandError(f"{path}: {problem} Tidak ada yang diubah.")
        by = None
        if options["by"]:
            by = User.objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"Pengguna '{options['by']}' tidak ditemukan.")
        try:
            report = boundaries_import(
                data=path.read_bytes(),
                level=level,
                source_name=path.name,
                tolerance=options["tolerance"],
                allow_missing=options["allow_missing"],
                limit=limit,
                by=by,
            )
        except ValidationError as exc:
            lines = "\n".join(f"  - {m}" for m in exc.messages)
            raise CommandError(f"{path}: impor ditolak, tidak ada yang diubah.\n{lines}") from None
        word = LEVEL_WORDS[level]
        share = format_number(100 * report.points / report.points_source if report.points_source else 0, 1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Batas {format_count(report.count)} {word} diimpor dari {path.name} "
                f"({format_count(report.points_source)} titik disederhanakan menjadi {format_count(report.points)}, "
                f"{share}%); {format_count(report.replaced)} batas lama diganti."
            )
        )
        if report.missing:
            names = ", ".join(f"{code} {name}" for code, name in report.missing)
            missing = f"{len(report.missing)} {word} tanpa batas (tampil tanpa peta): {names}."
            self.stdout.write(self.style.WARNING(missing))
