from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kla.accounts import totp
from kla.accounts.roles import PRIVILEGED_ROLES, ROLES
from kla.demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS
from kla.demo.rad import demo_rad
from kla.demo.services import demo_seed
from kla.demo.task_force import demo_task_force


class Command(BaseCommand):
    help = (
        "Memuat data demo (Sumatera Selatan, instansi, Gugus Tugas KLA dan RAD KLA Kota Palembang, satu pengguna per "
        "peran). Aman diulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="jalankan juga bila DEBUG=0 (jangan di server produksi: kata sandi demo publik)",
        )
        parser.add_argument("--quiet-logins", action="store_true", help="jangan cetak daftar login demo")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Data demo memakai kata sandi yang diketahui umum dan hanya untuk pengembangan (DEBUG=1). "
                "Pakai --force bila Anda yakin."
            )
        report = demo_seed()
        task_force = demo_task_force()
        rad = demo_rad()
        done = []
        if report.regions_loaded:
            done.append("wilayah provinsi dan kab/kota")
        if report.framework_loaded:
            done.append("instrumen bawaan")
        if report.created_agencies or task_force.agencies or rad.agencies:
            done.append(f"{report.created_agencies + task_force.agencies + rad.agencies} instansi")
        if task_force.created:
            done.append("Gugus Tugas KLA Kota Palembang (SK, anggota, rapat koordinasi)")
        if rad.plan:
            done.append("RAD KLA Kota Palembang 2025–2029 (ditetapkan dengan Perwal, anggaran per instansi)")
        elif rad.region_budgets:
            done.append("APBD Kota Palembang per tahun")
        if rad.realisations:
            done.append(f"{rad.realisations} realisasi triwulan RAD KLA")
        if rad.activities:
            done.append(f"{rad.activities} kegiatan terlaksana dengan foto")
        if report.cycle_created:
            done.append("siklus evaluasi demo untuk Sumatera Selatan")
        if report.created_users:
            done.append(f"{len(report.created_users)} pengguna demo")
        self.stdout.write(self.style.SUCCESS("Data demo: " + (", ".join(done) + " dimuat." if done else "sudah ada.")))
        if options["quiet_logins"]:
            return
        self.stdout.write("")
        self.stdout.write(f"Login demo (kata sandi untuk semua: {DEMO_PASSWORD})")
        for spec in DEMO_USERS:
            role = ROLES[spec.role].label if spec.role else "tanpa peran (hanya halaman publik)"
            where = f" · {spec.region}" if spec.region else ""
            agency = f" · {spec.agency_kind}" if spec.agency_kind else ""
            mfa = " · kode verifikasi*" if spec.role in PRIVILEGED_ROLES else ""
            self.stdout.write(f"  {spec.username:<20} {role}{where}{agency}{mfa}")
        self.stdout.write(
            f"  * setelah kata sandi, kode 6 angka dari aplikasi autentikator; kunci penyiapan demo (berbasis waktu): "
            f"{totp.grouped(DEMO_TOTP_SECRET)}"
        )
