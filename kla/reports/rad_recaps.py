"""RAD KLA recaps per region and per province as XLSX, through the export queue (`kla.reports.services`): the rows
are chosen when the task runs, through the requester's scope (`Action.RAD_VIEW`); amounts in a number format,
every column with a filter.

An export of a recap keeps the region's code in `Export.cycle_code` (a recap belongs to no evaluation cycle).

- **Rekap rencana RAD KLA**: one row per budget line of each plan's version in force (the draft before adoption):
  region, plan, cluster, indicator, programme, activity, sub-activity, code, agency, year, source, planned, and the
  amount realised for that activity, year and source.
- **Rekap anggaran RAD KLA**: one row per plan, year and agency (planned, realised) and a total row per plan and
  year with the region's budget (APBD) and the child-rights share; the parts of each year sum exactly to its total.
  The same figures as the budget page (`kla.rad.selectors.budget_report`), agencies by their full names.

Read as plain values (no model instance per row), in a fixed number of queries whatever the number of plans.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext, gettext_lazy

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action
from kla.indicators.models import Indicator
from kla.rad import analytics, rules
from kla.rad.analytics import Ref
from kla.rad.models import BudgetLine, Plan, RegionBudget, Spend, Version
from kla.rad.selectors.budget import indicator_ref
from kla.rad.selectors.recap import by_agency
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.reports.exporters import Table
from kla.reports.models import Export
from kla.reports.writers import Cell, XlsxTable

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


PROGRESS_SECONDS = 1.0  # between two progress writes, at the least
SOURCE_LABELS = {s.value: label for s, label in rules.SOURCE_LABELS.items()}


@dataclass(frozen=True)
class Recap:
    code: str
    label: StrOrPromise
    help: StrOrPromise
    build: Callable[[User, Region], Table]
    money: tuple[int, ...]  # columns (0-based) written with the money format
    percent: tuple[int, ...] = ()


class RecapXlsx(XlsxTable):
    """The exports' XLSX writer with number formats per column and a filter over every column."""

    def __init__(self, path: str, columns: Sequence[str], *, title: str, widths: Sequence[int], recap: Recap) -> None:
        super().__init__(path, columns, title=title, widths=widths)
        money = self._book.add_format({"num_format": "#,##0.00"})
        percent = self._book.add_format({"num_format": "0.0000"})
        for col, width in enumerate(widths):
            fmt = money if col in recap.money else percent if col in recap.percent else None
            if fmt is not None:
                self._sheet.set_column(col, col, width, fmt)
        self._columns = len(columns)

    def close(self) -> None:
        self._sheet.autofilter(0, 0, max(self._next - 1, 1), self._columns - 1)
        super().close()


def scoped_plans(user: User, region: Region) -> list[Plan]:
    """The plans of `region` (a province: its own and its kab/kota's) the user reads, by region code."""
    plans = Plan.objects.select_related("region")
    if region.level == Level.PROVINSI:
        plans = plans.filter(region_id__in=[region.code, *region.children.values_list("code", flat=True)])
    else:
        plans = plans.filter(region_id=region.code)
    scope = access.region_scope_q(user, Action.RAD_VIEW)
    if scope is not None:
        plans = plans.filter(scope)
    return list(plans.order_by("region_id", "start_year"))


def versions_in_force(plans: Sequence[Plan]) -> dict[int, Version]:
    """Per plan, its version in force (the draft before the first adoption): one query."""
    chosen: dict[int, Version] = {}
    rows = Version.objects.filter(plan__in=plans).exclude(status=Version.Status.SUPERSEDED)
    for version in sorted(rows, key=lambda v: (v.status != Version.Status.ADOPTED, v.number), reverse=True):
        chosen[version.plan_id] = version
    return chosen


def _realised(plans: Sequence[Plan]) -> dict[tuple[int, str, int, str], Decimal]:
    rows = (
        Spend.objects.filter(realisation__plan__in=plans)
        .values_list("realisation__plan_id", "realisation__activity_key", "realisation__year", "source")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(plan, str(key), year, source): total for plan, key, year, source, total in rows}


def _indicators(ids: set[int]) -> dict[int, tuple[Ref, Ref]]:
    """(cluster, indicator) of each indicator id: one query."""
    found = Indicator.objects.filter(pk__in=ids).select_related("cluster")
    return {i.pk: (Ref(i.cluster.pk, i.cluster.name), indicator_ref(i)) for i in found}


PLAN_COLUMNS = [
    "Kode wilayah",
    "Wilayah",
    "RAD KLA",
    "Versi",
    "Klaster",
    "Indikator",
    "Program",
    "Kegiatan",
    "Sub kegiatan",
    "Kode nomenklatur",
    "Instansi penanggung jawab",
    "Tahun",
    "Sumber dana",
    "Anggaran (Rp)",
    "Realisasi (Rp)",
]
_LINE = (
    "node__version_id",
    "node__key",
    "node__level",
    "node__name",
    "node__parent__name",
    "node__parent__parent__name",
    "node__code",
    "node__agency__name",
    "node__indicator_id",
    "year",
    "source",
    "amount",
)


def plan_recap(user: User, region: Region) -> Table:
    """Plain values in one pass: the lines with their node's names in one query (no model instance per line), the
    version, plan, cluster and indicator labels once each."""
    plans = scoped_plans(user, region)
    versions = versions_in_force(plans)
    lines = list(
        BudgetLine.objects.filter(node__version__in=list(versions.values()))
        .order_by("node__version__plan__region_id", "node__position", "node_id", "year", "source")
        .values_list(*_LINE)
    )
    realised = _realised(plans)
    by_id = {p.pk: p for p in plans}
    heads: dict[int, tuple[int, list[Cell]]] = {
        v.pk: (
            v.plan_id,
            [
                by_id[v.plan_id].region_id,
                by_id[v.plan_id].region.name,
                str(by_id[v.plan_id]),
                f"{v.number} ({v.get_status_display()})",
            ],
        )
        for v in versions.values()
    }
    indicators = _indicators({line[8] for line in lines})
    zero = Decimal("0.00")

    def rows() -> Iterator[list[Cell]]:
        for version_id, key, level, name, parent, grandparent, code, agency, indicator, year, source, amount in lines:
            plan_id, head = heads[version_id]
            cluster, ref = indicators[indicator]
            if level == rules.Level.SUB_ACTIVITY:
                path = [grandparent or "", parent or "", name]
            else:
                path = [parent or "", name, ""]
            yield [
                *head,
                cluster.label,
                ref.label,
                *path,
                code,
                agency or "",
                year,
                SOURCE_LABELS.get(source, source),
                amount,
                realised.get((plan_id, str(key), year, source), zero),
            ]

    widths = [10, 24, 30, 16, 28, 36, 36, 40, 36, 18, 34, 8, 22, 20, 20]
    return Table(PLAN_COLUMNS, widths, len(lines), rows())


BUDGET_COLUMNS = [
    "Kode wilayah",
    "Wilayah",
    "RAD KLA",
    "Tahun",
    "Instansi",
    "Anggaran (Rp)",
    "Realisasi (Rp)",
    "APBD wilayah (Rp)",
    "Porsi anggaran anak (%)",
]


def budget_recap(user: User, region: Region) -> Table:
    """The amounts per plan, year and agency summed by the database in one query (`kla.rad.selectors.recap`); per
    plan and year, its rows and their total."""
    plans = scoped_plans(user, region)
    in_force, parts_of = by_agency([p.pk for p in plans])
    budgets = {
        (r, y): a
        for r, y, a in RegionBudget.objects.filter(region_id__in={p.region_id for p in plans}).values_list(
            "region_id", "year", "amount"
        )
    }
    every: list[list[Cell]] = []  # a few rows per plan and year: counted first, so that progress reads 'n of total'
    for plan in plans:
        if plan.pk not in in_force:
            continue
        for year in plan.years:
            head: list[Cell] = [plan.region_id, plan.region.name, str(plan), year]
            parts = parts_of.get((plan.pk, year), [])
            budgeted, spent = analytics.ZERO, analytics.ZERO
            for row in parts:
                every.append([*head, row.ref.label, row.planned, row.realised, None, None])
                budgeted += row.planned
                spent += row.realised
            apbd = budgets.get((plan.region_id, year))
            every.append([*head, "Jumlah", budgeted, spent, apbd, analytics.share_percent(budgeted, apbd)])
    widths = [10, 24, 30, 8, 40, 20, 20, 22, 14]
    return Table(BUDGET_COLUMNS, widths, len(every), iter(every))


RECAPS: dict[str, Recap] = {
    r.code: r
    for r in (
        Recap(
            "rad-rekap-rencana",
            gettext_lazy("Rekap rencana RAD KLA"),
            gettext_lazy(
                "Satu baris per anggaran kegiatan: klaster, indikator, program, kegiatan, instansi, tahun, "
                "sumber dana, anggaran dan realisasinya."
            ),
            plan_recap,
            money=(13, 14),
        ),
        Recap(
            "rad-rekap-anggaran",
            gettext_lazy("Rekap anggaran RAD KLA"),
            gettext_lazy(
                "Per RAD KLA, tahun dan instansi: anggaran dan realisasi, dengan jumlah, APBD wilayah dan porsinya."
            ),
            budget_recap,
            money=(5, 6, 7),
            percent=(8,),
        ),
    )
}


def recap_label(kind: str, region_name: str) -> str:
    return f"{RECAPS[kind].label} · {region_name}"


def check_request(user: User, kind: str, region: Region) -> None:
    """A recap the user may ask for: a known kind, a kab/kota or province whose plans the user reads."""
    if kind not in RECAPS:
        raise ValidationError(gettext("Pilih jenis rekap RAD KLA dari daftar."))
    if region.level not in (Level.KABKOTA, Level.PROVINSI) or not access.can(user, Action.RAD_VIEW, region.code):
        raise ValidationError(
            gettext("Rekap RAD KLA hanya untuk kabupaten/kota atau provinsi dalam wilayah kewenangan Anda.")
        )


def request_recap(*, user: User, kind: str, region: Region) -> Export:
    """Queue a recap of `region` (the rows are chosen when the task runs)."""
    from kla.reports.services import _queue

    check_request(user, kind, region)
    return _queue(user, kind=kind, cycle_code=region.code, format=Export.Format.XLSX)


def build_recap(export: Export) -> Export:
    """Write the recap's file in the task worker: rows through the requester's scope as it is now."""
    from kla.core.storage import save_finished
    from kla.reports.services import PROGRESS_EVERY, _discard, _ready, _spool_path

    recap, region = RECAPS[export.kind], Region.objects.get(code=export.cycle_code)
    table = recap.build(export.requested_by, region)
    Export.objects.filter(pk=export.pk).update(rows_total=table.total)
    path = _spool_path(export)
    done, written = 0, time.monotonic()
    try:
        writer = RecapXlsx(path, table.columns, title=str(recap.label), widths=table.widths, recap=recap)
        for row in table.rows:
            writer.row(row)
            done += 1
            # progress at most once a second: a recap written in a moment shows its total when ready
            if done % PROGRESS_EVERY == 0 and time.monotonic() - written >= PROGRESS_SECONDS:
                Export.objects.filter(pk=export.pk).update(rows_done=done)
                written = time.monotonic()
        writer.close()
        save_finished(export.file, f"{export.kind}-{region.code}-{export.pk}.xlsx", path)
    finally:
        _discard(path)
    return _ready(export, done, done)
