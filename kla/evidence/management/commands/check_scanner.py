from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kla.core.formatting import format_size
from kla.evidence import scanning
from kla.evidence.inspection import KINDS
from kla.evidence.services import policy


class Command(BaseCommand):
    help = (
        "Memeriksa pemindai antivirus (clamd) untuk platform: menjawab, tanda tangan virusnya berumur kurang dari 3 "
        "hari, mendeteksi berkas uji EICAR, dan memindai utuh berkas sebesar unggahan terbesar yang diterima "
        "platform, dengan berkas uji di ujungnya (batas bawaan clamd di Debian hanya 25 MB). "
        "Jalankan setelah memasang atau mengubah clamd.conf; keluar dengan status 1 bila ada yang gagal."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rules = policy()
        largest = max(rules.max_bytes(kind) for kind in KINDS if rules.allows(kind))
        # In the upload spool, like the files clamd really gets (FILE_UPLOAD_TEMP_DIR, else the system's).
        spool = settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()
        try:
            with tempfile.TemporaryDirectory(prefix="kla-scanner-", dir=spool) as work:
                checks = scanning.check_setup(
                    getattr(settings, "CLAMD_ADDRESS", None) or None, largest=largest, workdir=Path(work)
                )
        except OSError as exc:  # the test files need `largest` bytes of room, as the largest upload does
            raise CommandError(
                f"Berkas uji {format_size(largest)} tidak dapat ditulis di {spool} ({exc.strerror or exc}); "
                "periksa ruang kosong dan izin direktori itu (FILE_UPLOAD_TEMP_DIR)."
            ) from exc
        for check in checks:
            mark = self.style.SUCCESS("ok   ") if check.ok else self.style.ERROR("GAGAL")
            self.stdout.write(f"{mark} {check.text}")
        if not all(check.ok for check in checks):
            raise CommandError("Pemindai antivirus belum siap untuk platform; perbaiki yang GAGAL di atas.")
        self.stdout.write(
            "Catatan: tetap atur AlertExceedsMax yes di clamd.conf, agar berkas yang kelak melampaui batas clamd "
            "ditolak, bukan dilewati tanpa peringatan."
        )
