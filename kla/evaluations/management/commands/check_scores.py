from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.rescoring import apply_to_drafts, differences


class Command(BaseCommand):
    help = (
        "Menilai ulang semua jawaban tersimpan dengan mesin penilaian dan membandingkan totalnya dengan poin yang "
        "tersimpan (nilai EM langsung) per evaluasi. Tidak mengubah data; keluar dengan status 1 bila ada selisih."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", default="", help="kode siklus (bawaan: semua siklus)")
        parser.add_argument(
            "--apply-drafts",
            action="store_true",
            help="simpan poin mesin pada jawaban evaluasi yang belum dikirim (tercatat di log audit), lalu bandingkan",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = None
        if options["cycle"]:
            cycle = Cycle.objects.filter(code=options["cycle"]).first()
            if cycle is None:
                raise CommandError(f"Siklus '{options['cycle']}' tidak ditemukan.")
        if options["apply_drafts"]:
            changed = apply_to_drafts(cycle)
            self.stdout.write(f"{changed} jawaban evaluasi yang belum dikirim dinilai ulang dan disimpan.")
        started = time.perf_counter()
        engine, diff = differences(cycle)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{len(engine.totals)} evaluasi, {engine.answers} jawaban, {engine.distinct} jawaban berbeda dinilai "
            f"dalam {seconds:.2f} s; {engine.invalid} jawaban tidak lagi sesuai pertanyaannya (bernilai 0)."
        )
        if not diff:
            self.stdout.write(self.style.SUCCESS("Semua total sama dengan poin yang tersimpan."))
            return
        names = dict(Evaluation.objects.filter(pk__in=diff).values_list("pk", "region__name"))
        for pk, (stored, scored) in sorted(diff.items()):
            self.stdout.write(f"  evaluasi {pk} ({names.get(pk, '?')}): tersimpan {stored}, mesin {scored}")
        raise CommandError(f"{len(diff)} evaluasi berbeda dari poin yang tersimpan.")
