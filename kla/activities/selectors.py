"""Reads of activities, each in a fixed number of queries whatever the number of rows (pinned in tests)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import get_language

from kla.activities.models import Activity, ActivityFile
from kla.agencies.models import Agency
from kla.agencies.selectors import agencies_available_to
from kla.core.compiled_rows import CompiledRows
from kla.indicators.models import Framework, Indicator
from kla.rad.models import Node
from kla.rad.rules import FUNDED_LEVELS
from kla.regions.levels import Level, parent_of
from kla.regions.models import Region


@dataclass(frozen=True)
class Filters:
    agency_id: int | None = None
    indicator_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    search: str = ""


def activities(region: Region, filters: Filters = Filters(), *, indicators: bool = True) -> QuerySet[Activity]:
    """The region's activities, newest first, with agency, place, indicators (unless `indicators` is False: see
    `indicator_numbers`) and the number of files (a page of it: two queries, and one to count)."""
    qs = Activity.objects.filter(region=region)
    if filters.agency_id:
        qs = qs.filter(agency_id=filters.agency_id)
    if filters.indicator_id:
        qs = qs.filter(indicators=filters.indicator_id)
    if filters.date_from:
        qs = qs.filter(end_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(start_date__lte=filters.date_to)
    if filters.search:
        qs = qs.filter(title__icontains=filters.search)
    qs = qs.select_related("agency", "location")
    if indicators:
        qs = qs.prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("number")))
    return qs.annotate(file_count=Count("files", filter=Q(files__removed_at__isnull=True))).order_by(
        "-start_date", "-id"
    )


def indicator_numbers(activity_ids: list[int]) -> dict[int, list[int]]:
    """Each activity's indicator numbers in order, as plain rows (one query; the list page's column)."""
    links = Activity.indicators.through.objects.filter(activity_id__in=activity_ids)
    out: dict[int, list[int]] = {}
    for activity_id, number in links.order_by("indicator__number").values_list("activity_id", "indicator__number"):
        out.setdefault(activity_id, []).append(number)
    return out


def files_of(activity: Activity) -> list[ActivityFile]:
    return list(activity.files.filter(removed_at__isnull=True).order_by("uploaded_at", "id"))


def indicators_of(activity: Activity) -> list[Indicator]:
    return list(activity.indicators.order_by("number"))


def rad_activity_name(activity: Activity) -> str:
    """The name of the RAD KLA activity it realises, from the newest version holding its key (one query)."""
    if activity.plan_id is None or activity.rad_activity_key is None:
        return ""
    node = (
        Node.objects.filter(version__plan_id=activity.plan_id, key=activity.rad_activity_key)
        .order_by("-version__number")
        .only("name")
        .first()
    )
    return node.name if node is not None else ""


def region_files(region: Region, search: str = "") -> QuerySet[ActivityFile]:
    """The files of the region's activities (not removed), newest activity first, for the evidence picker."""
    qs = ActivityFile.objects.filter(region=region, removed_at__isnull=True)
    if search:
        qs = qs.filter(activity__title__icontains=search)
    return qs.select_related("activity__agency").order_by("-activity__start_date", "-activity_id", "id")


def agency_choices(region: Region) -> list[Agency]:
    return list(agencies_available_to(region))


def indicator_choices() -> list[Indicator]:
    """The indicators of the newest instrument."""
    framework = Framework.objects.order_by("-year", "code").first()
    if framework is None:
        return []
    return list(Indicator.objects.filter(framework=framework).order_by("number"))


_NEWEST_FRAMEWORK = CompiledRows(lambda: Framework.objects.order_by("-year", "code").values_list("pk")[:1])
_INDICATOR_OPTIONS = CompiledRows(
    lambda framework: (
        Indicator.objects.filter(framework_id=framework)
        .order_by("number")
        .values_list("pk", "number", "name", "name_en")
    ),
    int,
)
_AGENCY_OPTIONS = CompiledRows(
    lambda region, province: (
        Agency.objects.filter(Q(region_id=region) | Q(region_id=province), is_active=True)
        .order_by("-region_id", "short_name")
        .values_list("pk", "name")
    ),
    str,
    str,
)


def indicator_options() -> list[tuple[int, str]]:
    """(id, `str(indicator)`) of `indicator_choices()`, from plain rows compiled once per process."""
    newest = _NEWEST_FRAMEWORK.fetch()
    if not newest:
        return []
    english = (get_language() or "id").startswith("en")
    return [
        (pk, f"{number}. {name_en if english and name_en else name}")
        for pk, number, name, name_en in _INDICATOR_OPTIONS.fetch(newest[0][0])
    ]


def agency_options(region: Region) -> list[tuple[int, str]]:
    """(id, name) of `agency_choices(region)` in its order, from plain rows compiled once per process."""
    province = parent_of(region.code) if region.level == Level.KABKOTA else None
    return list(_AGENCY_OPTIONS.fetch(region.code, province or region.code))


def location_choices(region: Region) -> list[Region]:
    """The kecamatan and desa/kelurahan of the kab/kota (empty until `make regions-all` loaded them)."""
    return list(
        Region.objects.subtree(region.code).filter(level__in=[Level.KECAMATAN.value, Level.DESA.value]).order_by("code")
    )


def rad_choices(region: Region) -> list[tuple[str, str]]:
    """("plan:key", "RAD KLA 2025–2029 · activity") for every activity and sub-activity of the region's plans, named
    as in the newest version that holds it (one query)."""
    nodes = (
        Node.objects.filter(version__plan__region=region, level__in=FUNDED_LEVELS)
        .select_related("version__plan")
        .order_by("version__plan_id", "-version__number", "position", "id")
    )
    seen: dict[tuple[int, uuid.UUID], str] = {}
    for node in nodes:
        plan = node.version.plan
        seen.setdefault((plan.pk, node.key), f"{plan.start_year}–{plan.end_year} · {node.name}")
    return [(f"{plan_id}:{key}", label) for (plan_id, key), label in seen.items()]
