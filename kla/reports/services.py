"""Asking for an export, building it (in the task worker) and handing it out."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from kla.accounts import access
from kla.accounts.models import User
from kla.core import audit
from kla.core.formatting import format_size
from kla.core.marking import Text, dumps
from kla.core.storage import save_finished
from kla.evaluations import access as evaluation_access
from kla.evaluations.models import Cycle, Entry, Evaluation
from kla.reports import evidence_pack
from kla.reports.documents import SCORE_SHEET, score_sheet_pdf
from kla.reports.evidence_pack import EVIDENCE_PACK
from kla.reports.exporters import EXPORTERS
from kla.reports.models import UNFINISHED, Export
from kla.reports.rad_recaps import RECAPS
from kla.reports.writers import open_table

MAX_UNFINISHED = 3  # per user: a double click or an impatient reload queues no more work than this
PROGRESS_EVERY = 500  # rows between two progress writes
PACK_PROGRESS_SECONDS = 1.0  # an evidence pack writes its progress at most this often (files vary from KB to GB)
EXPIRED = gettext_lazy(
    "Laporan ini sudah dihapus karena lebih lama dari masa simpannya. Buat laporan baru dari halaman Laporan."
)
TABLE_FORMATS = (Export.Format.XLSX, Export.Format.CSV)
# The sheet tab of each table export: Excel allows 31 characters, so the report's full label would be cut
# ("Rekap evaluasi per"); each report names its sheet itself.
SHEET_NAMES = {"rekap-evaluasi": gettext_lazy("Rekap evaluasi"), "rincian-indikator": gettext_lazy("Rincian indikator")}
ROLES_CHANGED = gettext_lazy(
    "Peran Anda berubah sejak laporan ini dibuat. Buat laporan baru agar isinya sesuai peran Anda sekarang."
)


def grant_keys(user: User) -> list[str]:
    """The user's roles and regions as sorted text: what decided an export's rows."""
    return sorted(f"{g.role}@{g.region_code or 'nasional'}" for g in access.grants(user))


def request_export(*, user: User, kind: str, cycle_code: str, fmt: str) -> Export:
    """Queue a table export of a whole cycle (the rows are chosen when the task runs)."""
    evaluation_access.require_any_role(user)
    if kind not in EXPORTERS:
        raise ValidationError(gettext("Pilih jenis laporan dari daftar."))
    if fmt not in TABLE_FORMATS:
        raise ValidationError(gettext("Pilih format Excel (.xlsx) atau CSV (.csv)."))
    if not Cycle.objects.filter(code=cycle_code).exclude(status=Cycle.Status.DRAFT).exists():
        raise ValidationError(
            gettext("Pilih siklus evaluasi dari daftar (siklus yang masih disiapkan belum dapat diekspor).")
        )
    return _queue(user, kind=kind, cycle_code=cycle_code, format=fmt)


def request_score_sheet(*, user: User, evaluation: Evaluation) -> Export:
    """Queue the score sheet of an evaluation the caller has already read through its gate, as PDF."""
    return _queue(user, kind=SCORE_SHEET, cycle_code=evaluation.cycle.code, format="pdf", evaluation=evaluation)


def request_evidence_pack(*, user: User, evaluation: Evaluation, entry: Entry | None = None) -> Export:
    """Queue the evidence pack of an evaluation, or of one of its indicators, that the caller has already read
    through its gate. Refused at once when there is nothing to pack or the pack would be too large."""
    files, size = evidence_pack.pack_size(evaluation, entry)
    where = (
        gettext("indikator %(number)s") % {"number": entry.indicator.number}
        if entry is not None
        else gettext("evaluasi ini")
    )
    if not files:
        raise ValidationError(
            gettext("Belum ada bukti dukung aktif pada %(where)s, sehingga tidak ada yang dapat dikemas.")
            % {"where": where}
        )
    limit = settings.KLA_EVIDENCE_PACK_MAX_BYTES
    if size > limit:
        raise ValidationError(
            gettext(
                "Paket bukti %(where)s akan berukuran %(size)s, lebih dari batas %(limit)s. Minta paket "
                "per indikator dari halaman indikatornya."
            )
            % {"where": where, "size": format_size(size), "limit": format_size(limit)}
        )
    return _queue(
        user,
        kind=EVIDENCE_PACK,
        cycle_code=evaluation.cycle.code,
        format=Export.Format.ZIP,
        evaluation=evaluation,
        entry=entry,
        rows_total=files,
    )


def _queue(user: User, **fields: Any) -> Export:
    with transaction.atomic():
        # two requests of the same user at once (a double click) queue one after the other: the limit holds
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        unfinished = Export.objects.filter(requested_by=user, status__in=UNFINISHED).count()
        if unfinished >= MAX_UNFINISHED:
            raise ValidationError(
                gettext(
                    "Masih ada %(unfinished)s laporan Anda yang sedang dibuat. Tunggu sampai selesai, lalu minta lagi."
                )
                % {"unfinished": unfinished}
            )
        export = Export.objects.create(grants=grant_keys(user), requested_by=user, **fields)
        audit.record(
            action="kla.export.requested",
            by=user,
            obj=export,
            region_code=export.evaluation.region_id if export.evaluation else "",
            after={"kind": export.kind, "cycle": export.cycle_code, "format": export.format},
        )
        from kla.reports.tasks import build_export

        transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


def build(export_id: int) -> Export:
    """Write the export's file: rows through the requester's scope and the seal as they are now, progress as it goes.

    Idempotent: a retried task after a lost worker starts the file again from the first row.
    """
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    if export.status == Export.Status.READY:
        return export
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, rows_done=0, error="")
    if export.kind == SCORE_SHEET:
        return _build_document(export)
    if export.kind == EVIDENCE_PACK:
        return _build_pack(export)
    if export.kind in RECAPS:  # RAD KLA recaps of a region (kla/reports/rad_recaps.py)
        from kla.reports.rad_recaps import build_recap

        return build_recap(export)
    exporter = EXPORTERS[export.kind]
    cycle = Cycle.objects.get(code=export.cycle_code)
    table = exporter.build(export.requested_by, cycle)
    Export.objects.filter(pk=export.pk).update(rows_total=table.total)
    path = _spool_path(export)
    try:
        title = str(SHEET_NAMES.get(export.kind, exporter.label))
        writer = open_table(export.format, path, table.columns, title=title, widths=table.widths)
        done = 0
        for row in table.rows:
            writer.row(row)
            done += 1
            if done % PROGRESS_EVERY == 0:
                Export.objects.filter(pk=export.pk).update(rows_done=done)
        writer.close()
        save_finished(export.file, f"{export.kind}-{export.cycle_code}-{export.pk}.{export.format}", path)
    finally:
        _discard(path)
    return _ready(export, done, table.total)


def _ready(export: Export, rows_done: int, rows_total: int, note: str = "") -> Export:
    """Record a stored file as ready to hand out (every kind of export ends here)."""
    export.status = Export.Status.READY
    export.rows_done, export.rows_total, export.note = rows_done, rows_total, note
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "rows_done", "rows_total", "note", "finished_at"])
    from kla.notifications.triggers_cycle import export_ready
    from kla.reports.selectors import _label

    export_ready(export=export, label=_label(export))  # the requester is told (in the app; by email if they chose)
    return export


def _spool_path(export: Export) -> str:
    """A new empty file in the spool of uploads (`FILE_UPLOAD_TEMP_DIR`), where the export is written first; on
    the media volume, storing it costs no second copy."""
    fd, path = tempfile.mkstemp(suffix=f".{export.format}", dir=settings.FILE_UPLOAD_TEMP_DIR)
    os.close(fd)
    return path


def _discard(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _build_document(export: Export) -> Export:
    assert export.evaluation_id is not None, "a document export names its evaluation"
    evaluation = Evaluation.objects.select_related("cycle__framework", "region__parent").get(pk=export.evaluation_id)
    pdf = score_sheet_pdf(export.requested_by, evaluation)
    name = f"{export.kind}-{evaluation.region_id}-{export.pk}.pdf"
    export.file.save(name, ContentFile(pdf), save=False)
    return _ready(export, 1, 1)


def _build_pack(export: Export) -> Export:
    assert export.evaluation_id is not None, "an evidence pack names its evaluation"
    evaluation = Evaluation.objects.select_related("cycle", "region").get(pk=export.evaluation_id)
    entry = Entry.objects.select_related("indicator").get(pk=export.entry_id) if export.entry_id else None

    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done == 0 or now - last >= PACK_PROGRESS_SECONDS:
            Export.objects.filter(pk=export.pk).update(rows_done=done, rows_total=total)
            last = now

    path = _spool_path(export)
    try:
        result = evidence_pack.write_pack(evaluation, entry, path, progress)
        save_finished(export.file, f"{export.kind}-{evaluation.region_id}-{export.pk}.zip", path)
    finally:
        _discard(path)
    note = (
        dumps(
            Text(
                gettext_noop(
                    "%(problems)s dari %(files)s berkas bermasalah (hilang dari penyimpanan atau berubah); "
                    "lihat kolom Catatan di %(INDEX_NAME)s."
                ),
                problems=result.problems,
                files=result.files,
                INDEX_NAME=evidence_pack.INDEX_NAME,
            )
        )
        if result.problems
        else ""
    )  # said in the reader's language where shown (`Export.note_text`)
    return _ready(export, result.files, result.files, note)


def prune(now: dt.datetime | None = None, limit: int = 200) -> int:
    """Delete finished exports older than `KLA_EXPORT_KEEP_DAYS`, files first; at most `limit` per call. Returns
    how many were deleted. Run after every build (so it needs no scheduler) and by `manage.py prune_exports`."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.KLA_EXPORT_KEEP_DAYS)
    old = list(
        Export.objects.filter(finished_at__lt=cutoff).exclude(status__in=UNFINISHED).order_by("finished_at")[:limit]
    )
    for export in old:
        if export.file:
            export.file.delete(save=False)
        export.delete()
    return len(old)


def fail(export_id: int, message: str) -> None:
    Export.objects.filter(pk=export_id).exclude(status=Export.Status.READY).update(
        status=Export.Status.FAILED, error=message[:300], finished_at=timezone.now()
    )


def hand_out(user: User, pk: int, *, ip: str | None, not_ready: str) -> tuple[Export, FieldFile]:
    """The requester's own ready export and its open file, the download audited; Export.DoesNotExist with what to
    do otherwise (the caller answers 404): anyone else's, expired, unfinished (`not_ready`), or gone from storage.
    PermissionDenied when the requester's roles changed since it was built."""
    export = Export.objects.filter(pk=pk, requested_by=user).select_related("evaluation", "entry__indicator").first()
    if export is None:
        raise Export.DoesNotExist(gettext("Laporan tidak ditemukan."))
    if export.grants != grant_keys(user):
        raise PermissionDenied(ROLES_CHANGED)
    expires = export.expires_at()
    if expires is not None and expires <= timezone.now():
        raise Export.DoesNotExist(EXPIRED)
    if export.status != Export.Status.READY:
        raise Export.DoesNotExist(not_ready)
    try:
        stored = export.file.open("rb")
    except FileNotFoundError:
        raise Export.DoesNotExist(
            gettext("Berkas laporan ini tidak ada lagi di penyimpanan. Buat laporan baru.")
        ) from None
    region = export.evaluation.region_id if export.evaluation is not None else ""
    audit.record(action="kla.export.downloaded", by=user, obj=export, region_code=region, ip=ip)
    return export, stored


def download_name(export: Export) -> str:
    if export.kind == EVIDENCE_PACK and export.evaluation is not None:
        part = f"-indikator-{export.entry.indicator.number:02d}" if export.entry is not None else ""
        return f"bukti-{export.evaluation.region_id}-{export.cycle_code}{part}.zip"
    if export.kind == SCORE_SHEET and export.evaluation is not None:
        return f"{export.kind}-{export.evaluation.region_id}-{export.cycle_code}.pdf"
    return f"{export.kind}-{export.cycle_code}.{export.format}"
