"""Send what is due: retried emails, deadline and follow-up reminders, the day's digests. Safe every few minutes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kla.notifications.escalation import escalate
from kla.notifications.reminders import run


class Command(BaseCommand):
    help = (
        "Kirim pengingat batas waktu, tindak lanjut rapat, eskalasi pekerjaan tertahan, ringkasan harian, dan email "
        "yang tertunda."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="Waktu acuan (ISO 8601, misalnya 2026-12-07T08:00:00+07:00), untuk uji.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError(
                    f'Waktu "{options["now"]}" tidak dapat dibaca; tulis seperti 2026-12-07T08:00:00+07:00.'
                ) from None
            if timezone.is_naive(now):
                raise CommandError("Sertakan zona waktu pada --now, misalnya +07:00 untuk WIB.")
        result = run(now)
        escalated = escalate(now)
        if escalated:
            self.stdout.write(f"{escalated} eskalasi pekerjaan tertahan dikirim ke tingkat berikutnya.")
        if result.reminders or result.digests:
            self.stdout.write(f"{result.reminders} pengingat dikirim; {result.digests} ringkasan harian dikirim.")
        elif not escalated:
            self.stdout.write("0 pengingat dikirim; semua sudah terkirim sebelumnya.")
        if result.retried:
            self.stdout.write(f"{result.retried} email tertunda berhasil dikirim ulang.")
