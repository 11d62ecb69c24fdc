from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kla.accounts import totp
from kla.demo.data import DEMO_TOTP_SECRET
from kla.demo.national import (
    NATIONAL_PASSWORD,
    database_size,
    national_usernames,
    operator_username,
    province_username,
    secretariat_username,
    seed_national,
    table_counts,
)


class Command(BaseCommand):
    help = (
        "Memuat data nasional sintetis: 38 provinsi, 514 kab/kota, dua siklus pada berbagai tahap, semua indikator "
        "terjawab, bukti dukung, pengguna setiap peran. Aman diulang (yang sudah ada dilewati)."
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
        counts = {label: n for label, n in table_counts().items() if n}
        self.stdout.write("")
        self.stdout.write("Isi basis data (baris per model):")
        for label, n in sorted(counts.items()):
            self.stdout.write(f"  {label:<36} {n:>10,}")
        self.stdout.write(f"  {'jumlah':<36} {sum(counts.values()):>10,}")
        size = database_size()
        if size is not None:
            self.stdout.write(f"Ukuran basis data: {size / 1024 / 1024:,.1f} MiB")
        self.stdout.write(f"Berkas contoh tersimpan: {len(report.files)} berkas, {report.file_bytes:,} bita")
        self.stdout.write(
            self.style.SUCCESS(
                f"Data nasional: {report.total_created:,} baris baru dalam {report.seconds:.1f} s."
                if report.total_created
                else f"Data nasional sudah ada ({report.seconds:.1f} s)."
            )
        )
        if not report.provinces:
            return
        province = report.provinces[0]
        national = national_usernames()
        self.stdout.write("")
        self.stdout.write(f"Login data nasional (kata sandi untuk semua: {NATIONAL_PASSWORD}), misalnya:")
        for names in national.values():
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
