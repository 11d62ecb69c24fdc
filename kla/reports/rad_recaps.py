"""RAD KLA recaps per region and per province as XLSX, through the export queue (`kla.reports.services`): the rows
are chosen when the task runs, through the requester's scope (`Action.RAD_VIEW`); amounts in a number format,
every column with a filter.

An export of a recap keeps the region's code in `Export.cycle_code` (a recap belongs to no evaluation cycle).

- **Rekap rencana RAD KLA**: one row per budget line of each plan's version in force (the draft before adoption):
  region, plan, cluster, indicator, programme, activity, sub-activity, code, agency, year, source, planned, and the
  amount realised for that activity, year and source.
- **Rekap anggaran RAD KLA**: one row per plan, year and agency (planned, realised) and a total row per plan and
  year with the region's budget (APBD) and the child-rights share; the parts of each year sum exactly to its total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action
from kla.rad import analytics, rules
from kla.rad.analytics import Activity, Planned, Realised, Ref
from kla.rad.models import BudgetLine, Node, Plan, RegionBudget, Spend, Version
from kla.rad.selectors.budget import NO_AGENCY, indicator_ref
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.reports.exporters import Table
from kla.reports.models import Export
from kla.reports.writers import Cell, XlsxTable

SOURCE_LABELS = {s.value: label for s, label in rules.SOURCE_LABELS.items()}


@dataclass(frozen=True)
class Recap:
    code: str
    label: str
    help: str
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


def _path(node: Node) -> tuple[Node, Node, Node | None]:
    """(programme, activity, sub-activity or None) of a funded node."""
    if node.level == rules.Level.SUB_ACTIVITY:
        assert node.parent is not None and node.parent.parent is not None
        return node.parent.parent, node.parent, node
    assert node.parent is not None
    return node.parent, node, None


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


def plan_recap(user: User, region: Region) -> Table:
    plans = scoped_plans(user, region)
    versions = versions_in_force(plans)
    lines = list(
        BudgetLine.objects.filter(node__version__in=list(versions.values()))
        .select_related("node__agency", "node__indicator__cluster", "node__parent__parent", "node__version")
        .order_by("node__version__plan__region_id", "node__position", "node_id", "year", "source")
    )
    realised = _realised(plans)
    by_id = {p.pk: p for p in plans}

    def rows() -> Iterator[list[Cell]]:
        for line in lines:
            node = line.node
            plan = by_id[node.version.plan_id]
            programme, activity, sub = _path(node)
            yield [
                plan.region_id,
                plan.region.name,
                str(plan),
                f"{node.version.number} ({node.version.get_status_display()})",
                node.indicator.cluster.name,
                indicator_ref(node.indicator).label,
                programme.name,
                activity.name,
                sub.name if sub is not None else "",
                node.code,
                node.agency.name if node.agency is not None else "",
                line.year,
                SOURCE_LABELS.get(line.source, line.source),
                line.amount,
                realised.get((plan.pk, str(node.key), line.year, line.source), Decimal("0.00")),
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


def _facts(versions: Sequence[Version]) -> dict[int, list[Activity]]:
    facts: dict[int, list[Activity]] = defaultdict(list)
    nodes = Node.objects.filter(version__in=versions, level__in=rules.FUNDED_LEVELS).select_related(
        "agency", "indicator__cluster"
    )
    for node in nodes:
        agency = Ref(node.agency.pk, node.agency.name) if node.agency is not None else NO_AGENCY
        cluster = node.indicator.cluster
        facts[node.version_id].append(
            Activity(str(node.key), node.name, agency, Ref(cluster.pk, cluster.name), indicator_ref(node.indicator))
        )
    return facts


def budget_recap(user: User, region: Region) -> Table:
    plans = scoped_plans(user, region)
    versions = versions_in_force(plans)
    facts = _facts(list(versions.values()))
    planned: dict[int, list[Planned]] = defaultdict(list)
    for version_id, key, year, source, amount in BudgetLine.objects.filter(
        node__version__in=list(versions.values())
    ).values_list("node__version_id", "node__key", "year", "source", "amount"):
        planned[version_id].append(Planned(str(key), year, source, amount))
    realised: dict[int, list[Realised]] = defaultdict(list)
    for (plan_id, activity, spent_year, spent_source), spent in _realised(plans).items():
        realised[plan_id].append(Realised(activity, spent_year, 1, spent_source, spent))
    budgets = {
        (r, y): a
        for r, y, a in RegionBudget.objects.filter(region_id__in={p.region_id for p in plans}).values_list(
            "region_id", "year", "amount"
        )
    }
    total = sum(len(p.years) for p in plans if p.pk in versions)

    def rows() -> Iterator[list[Cell]]:
        for plan in plans:
            version = versions.get(plan.pk)
            if version is None:
                continue
            for year in plan.years:
                part = analytics.breakdown(
                    facts[version.pk],
                    planned[version.pk],
                    realised[plan.pk],
                    year=year,
                    region_budget=budgets.get((plan.region_id, year)),
                )
                head: list[Cell] = [plan.region_id, plan.region.name, str(plan), year]
                for row in part.by_agency:
                    yield [*head, row.ref.label, row.planned, row.realised, None, None]
                yield [*head, "Jumlah", part.planned, part.realised, part.region_budget, part.share_percent]

    widths = [10, 24, 30, 8, 40, 20, 20, 22, 14]
    return Table(BUDGET_COLUMNS, widths, total, rows())


RECAPS: dict[str, Recap] = {
    r.code: r
    for r in (
        Recap(
            "rad-rekap-rencana",
            "Rekap rencana RAD KLA",
            "Satu baris per anggaran kegiatan: klaster, indikator, program, kegiatan, instansi, tahun, sumber dana, "
            "anggaran dan realisasinya.",
            plan_recap,
            money=(13, 14),
        ),
        Recap(
            "rad-rekap-anggaran",
            "Rekap anggaran RAD KLA",
            "Per RAD KLA, tahun dan instansi: anggaran dan realisasi, dengan jumlah, APBD wilayah dan porsinya.",
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
        raise ValidationError("Pilih jenis rekap RAD KLA dari daftar.")
    if region.level not in (Level.KABKOTA, Level.PROVINSI) or not access.can(user, Action.RAD_VIEW, region.code):
        raise ValidationError("Rekap RAD KLA hanya untuk kabupaten/kota atau provinsi dalam wilayah kewenangan Anda.")


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
    done = 0
    try:
        writer = RecapXlsx(path, table.columns, title=recap.label, widths=table.widths, recap=recap)
        for row in table.rows:
            writer.row(row)
            done += 1
            if done % PROGRESS_EVERY == 0:
                Export.objects.filter(pk=export.pk).update(rows_done=done)
        writer.close()
        save_finished(export.file, f"{export.kind}-{region.code}-{export.pk}.xlsx", path)
    finally:
        _discard(path)
    return _ready(export, done, done)
