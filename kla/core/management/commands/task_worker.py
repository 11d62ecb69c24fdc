"""The background-task worker for production: recover tasks orphaned by a dead worker, then run db_worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from kla.core import taskrecovery


class Command(BaseCommand):
    help = (
        "Menjalankan pekerja tugas latar (TASKS_BACKEND=database). Tugas yang tertinggal berstatus berjalan karena "
        "pekerja sebelumnya mati dicoba ulang (maks. --max-attempts kali) atau ditandai gagal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="detik antarpemeriksaan antrean kosong")
        parser.add_argument("--batch", action="store_true", help="jalankan tugas yang ada, lalu berhenti")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--max-attempts", type=int, default=3)
        parser.add_argument("--stale-minutes", type=int, default=30, help="tugas pekerja di host lain dianggap mati")

    def handle(self, *args: Any, **options: Any) -> None:
        report = taskrecovery.recover(
            stale_after=dt.timedelta(minutes=options["stale_minutes"]), max_attempts=options["max_attempts"]
        )
        if report.requeued or report.failed:
            self.stdout.write(
                f"Pemulihan tugas: {len(report.requeued)} dicoba ulang, {len(report.failed)} ditandai gagal."
            )
        worker_options: dict[str, Any] = {
            "worker_id": taskrecovery.this_worker_id(),
            "interval": options["interval"],
            "batch": options["batch"],
            "reload": False,
            "startup_delay": False,
            "verbosity": options["verbosity"],
        }
        if options["max_tasks"]:
            worker_options["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **worker_options)
