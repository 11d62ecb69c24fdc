"""The command that loads the national data set and says what it added and how to sign in. Run it with
`python -m bench.seed_national` (bench/seed_national.py); `manage.py` does not know it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.national_data.constants import NATIONAL_PASSWORD
from bench.national_data.measure import database_size, table_counts
from bench.national_data.names import national_usernames, operator_username, province_username, secretariat_username
from bench.national_data.seed import seed_national
from kla.accounts import totp
from kla.core.formatting import format_count, format_number
from kla.demo.data import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Memuat data nasional sintetis: 38 provinsi, 514 kab/kota, dua siklus pada berbagai tahap, semua indikator "
        "terjawab, bukti dukung, pengguna setiap peran, Gugus Tugas KLA tiap kab/kota (SK, anggota, rapat koordinasi, "
        "tindak lanjut), RAD KLA tiap kab/kota (anggaran, realisasi, APBD) dan kegiatan terlaksana dengan fotonya. "
        "Aman diulang (yang sudah ada dilewati)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="benih acak (default 2026): hasil sama tiap kali")
        parser.add_argument("--provinces", default="", help="hanya provinsi ini, mis. 16,31 (default: semua)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="jalankan juga bila DEBUG=0 (jangan di server produksi: kata sandi data nasional publik)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Data nasional memakai kata sandi yang diketahui umum dan hanya untuk pengembangan (DEBUG=1). "
                "Pakai --force bila Anda yakin."
            )
        provinces = [p.strip() for p in options["provinces"].split(",") if p.strip()] or None
        try:
            report = seed_national(seed=options["seed"], provinces=provinces, stdout=self.stdout)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self._contents(len(report.files), report.file_bytes)
        took = format_number(report.seconds, 1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Data nasional: {format_count(report.total_created)} baris baru dalam {took} s."
                if report.total_created
                else f"Data nasional sudah ada ({took} s)."
            )
        )
        if report.provinces:
            self._logins(report.provinces[0])

    def _contents(self, files: int, file_bytes: int) -> None:
        """Rows per model, the size of the database and of the stored files."""
        counts = {label: n for label, n in table_counts().items() if n}
        self.stdout.write("")
        self.stdout.write("Isi basis data (baris per model):")
        for label, n in sorted(counts.items()):
            self.stdout.write(f"  {label:<36} {format_count(n):>10}")
        self.stdout.write(f"  {'jumlah':<36} {format_count(sum(counts.values())):>10}")
        size = database_size()
        if size is not None:
            self.stdout.write(f"Ukuran basis data: {format_number(size / 1024 / 1024, 1)} MiB")
        self.stdout.write(f"Berkas contoh tersimpan: {files} berkas, {format_count(file_bytes)} bita")

    def _logins(self, province: str) -> None:
        """How to sign in: the shared password, the ministry accounts and the username patterns."""
        self.stdout.write("")
        self.stdout.write(f"Login data nasional (kata sandi untuk semua: {NATIONAL_PASSWORD}), misalnya:")
        for names in national_usernames().values():
            self.stdout.write(f"  {', '.join(names)}")
        self.stdout.write(f"  {province_username(province)}  (reviewer provinsi; pola nas-prov-<kode provinsi>)")
        example = f"{province}.71" if province == "16" else f"{province}.01"
        self.stdout.write(f"  {secretariat_username(example)}  (sekretariat; pola nas-gt-<kode kab/kota tanpa titik>)")
        self.stdout.write(
            f"  {operator_username(example, 'DINKES')}  (operator; pola nas-opd-<kode>-<dpppa|bappeda|dinkes|disdik|"
            "disdukcapil>)"
        )
        self.stdout.write(
            "  Reviewer provinsi dan peran Kementerian memakai kode verifikasi; kunci penyiapan (berbasis waktu): "
            f"{totp.grouped(DEMO_TOTP_SECRET)}"
        )
