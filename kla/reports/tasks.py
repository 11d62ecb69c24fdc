"""Background work of exports: a thin wrapper around `services.build`."""

from __future__ import annotations

from typing import Any

from django.tasks import task
from django.utils.translation import gettext_noop

from kla.core import taskrecovery

# Kept on the export as marked Indonesian and said in the reader's language where shown (`Export.error_text`).
FAILED = gettext_noop(
    "Laporan gagal dibuat karena kesalahan sistem. Silakan minta lagi; bila tetap gagal, hubungi administrator."
)
LOST = gettext_noop("Pekerja tugas latar berhenti saat membuat laporan ini; silakan minta lagi.")


@task()
def build_export(export_id: int) -> str:
    from kla.reports import services

    try:
        export = services.build(export_id)
    except Exception:  # the user sees a failed export, not a spinner; the task stays failed for operators
        services.fail(export_id, FAILED)
        raise
    services.prune()  # old files go without a scheduler: exports are asked for often enough
    return str(export.file.name)


@taskrecovery.on_lost("kla.reports.tasks.build_export")
def _export_lost(args: list[Any], kwargs: dict[str, Any]) -> None:
    """The worker died on every attempt: the requester sees a failed export (and can ask again)."""
    from kla.reports import services

    export_id = kwargs.get("export_id", args[0] if args else None)
    if export_id is not None:
        services.fail(export_id, LOST)
