"""Reads of exports: the cycles one can export and the requester's own exports with what the page shows of each."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts.models import User
from kla.evaluations.models import Cycle
from kla.reports.documents import SCORE_SHEET_LABEL
from kla.reports.evidence_pack import EVIDENCE_PACK, EVIDENCE_PACK_LABEL
from kla.reports.exporters import EXPORTERS
from kla.reports.models import Export
from kla.reports.rad_recaps import RECAPS


def exportable_cycles() -> list[Cycle]:
    return list(Cycle.objects.exclude(status=Cycle.Status.DRAFT).order_by("-year", "code"))


def my_exports(user: User, limit: int = 20, only: int | None = None) -> list[Export]:
    """The user's latest exports (or the one with id `only`), each with `label` (the name of its report),
    `cycle_name` and `expires` / `expired`."""
    now = timezone.now()
    mine = Export.objects.filter(requested_by=user).select_related("evaluation__region", "entry__indicator")
    if only is not None:
        mine = mine.filter(pk=only)
    exports = list(mine[:limit])
    cycles = dict(Cycle.objects.filter(code__in={e.cycle_code for e in exports}).values_list("code", "name"))
    for export in exports:
        export.cycle_name = cycles.get(export.cycle_code, export.cycle_code)  # type: ignore[attr-defined]
        export.label = _label(export)  # type: ignore[attr-defined]
        expires = export.expires_at()
        export.expires = expires  # type: ignore[attr-defined]
        export.expired = expires is not None and expires <= now  # type: ignore[attr-defined]
    return exports


def _label(export: Export) -> str:
    """The name of an export's report; for one evaluation's document, with the kab/kota (and the indicator)."""
    if export.kind == EVIDENCE_PACK and export.evaluation is not None:
        label = f"{EVIDENCE_PACK_LABEL} · {export.evaluation.region.name}"
        if export.entry is not None:
            label += gettext(" · indikator %(number)s") % {"number": export.entry.indicator.number}
        return label
    if export.kind in RECAPS:  # a RAD KLA recap keeps its region's code in cycle_code
        return f"{RECAPS[export.kind].label} · {export.cycle_code}"
    if export.evaluation is not None:
        return f"{SCORE_SHEET_LABEL} · {export.evaluation.region.name}"
    found = EXPORTERS.get(export.kind)
    return str(found.label) if found else export.kind
