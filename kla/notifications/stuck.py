"""Reads of stuck work: the items past their service level (escalation_rules), in a scope, oldest first; the gate of
the stuck-items board (the province's kab/kota, the ministry's whole country); one waiting item by kind and id.

A constant number of queries at any scale: the returned indicators late by their own dates (one query), the
evaluations that may be late (one query), their stage deadlines and extensions (one query each, only when there are
candidates). Names shown on one page (agencies, reminders sent today) are read for that page only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Role
from kla.evaluations.models import Assignment, Entry, Evaluation
from kla.evaluations.stages import Stage
from kla.notifications import stuck_sql
from kla.notifications.escalation_rules import Facts, ItemKind, Level, Verdict, assess, service_days
from kla.regions.selectors import subtree_q

SUBMITTED_STATES = [Evaluation.Status.SUBMITTED, Evaluation.Status.PROVINCE_REVIEW]
PROPOSED_STATES = [Evaluation.Status.PROPOSED, Evaluation.Status.MINISTRY_REVIEW]
STAGE_OF = {ItemKind.SUBMITTED: Stage.PROVINCE_REVIEW, ItemKind.PROPOSED: Stage.ADMIN_VERIFICATION}
BOARD_ROLES = (Role.PROVINCE_REVIEWER, Role.MINISTRY_VERIFIER, Role.MINISTRY_ADMIN)
NATIONAL_BOARD_ROLES = (Role.MINISTRY_VERIFIER, Role.MINISTRY_ADMIN)


@dataclass
class StuckItem:
    kind: ItemKind
    pk: int
    cycle_name: str
    region_code: str
    region_name: str
    province_code: str
    province_name: str
    label: str  # the indicator ("4. Akta kelahiran") of a returned entry; empty for an evaluation
    since: dt.datetime
    verdict: Verdict
    agencies: list[str] = field(default_factory=list)  # the assigned agencies of a returned entry (one page's)
    reminded_today: bool = False

    @property
    def url(self) -> str:
        if self.kind == ItemKind.RETURNED:
            return reverse("verification:entry", args=[self.pk])
        return reverse("verification:evaluation", args=[self.pk])

    @property
    def key(self) -> str:
        """The episode: the same item waiting again later (returned a second time) is a new one."""
        return f"{self.kind.value}:{self.pk}:{self.since.isoformat()}"


def days() -> dict[ItemKind, int]:
    return service_days(getattr(settings, "KLA_SERVICE_LEVEL_DAYS", None))


# --- the gate --------------------------------------------------------------------------------------------------


def board_scope(user: User) -> list[str] | None:
    """The provinces whose stuck work the user may see: None = nationwide (the ministry). Anyone else: 403 (the
    board is refused by role, whatever the filters or the id)."""
    if access.has_role(user, *NATIONAL_BOARD_ROLES):
        return None
    provinces = [m.region_id for m in access.memberships(user) if m.role == Role.PROVINCE_REVIEWER and m.region_id]
    if not provinces:
        raise PermissionDenied(gettext("Peran Anda tidak mengizinkan tindakan ini."))
    return provinces


def _scoped(scope: list[str] | None, field: str) -> Q:
    """`scope` as a filter on `field` (a region code): each province and everything under it."""
    if scope is None:
        return Q()
    return subtree_q(scope, field) or Q()


# --- the items -------------------------------------------------------------------------------------------------


def stuck_items(
    now: dt.datetime, *, scope: list[str] | None = None, region: str = "", kind: str = ""
) -> list[StuckItem]:
    """Every item past its service level in `scope` (and under `region`, of `kind` when given), oldest first."""
    limits = days()
    items: list[StuckItem] = []
    if kind in ("", ItemKind.RETURNED):
        items += _returned(now, limits, scope, region)
    if kind != ItemKind.RETURNED:
        wanted = [ItemKind(kind)] if kind else [ItemKind.SUBMITTED, ItemKind.PROPOSED]
        items += _evaluations(now, limits, scope, region, wanted)
    items.sort(key=lambda item: (item.since, item.kind, item.pk))
    return items


def _returned(now: dt.datetime, limits: dict[ItemKind, int], scope: list[str] | None, region: str) -> list[StuckItem]:
    items = []
    for pk, at, deadline, assigned, label, *place in stuck_sql.returned(now, limits[ItemKind.RETURNED], scope, region):
        facts = Facts(ItemKind.RETURNED, at, deadline, has_agency=assigned)
        items.append(_plain_item(facts, now, limits, pk, label, *place))
    return items


def _evaluations(
    now: dt.datetime, limits: dict[ItemKind, int], scope: list[str] | None, region: str, kinds: list[ItemKind]
) -> list[StuckItem]:
    """Candidates by their own age or by a stage deadline passed (without extensions), then the rule decides."""
    wanted = [
        (
            [str(s) for s in (SUBMITTED_STATES if kind == ItemKind.SUBMITTED else PROPOSED_STATES)],
            "submitted_at" if kind == ItemKind.SUBMITTED else "status_changed_at",
            STAGE_OF[kind].value,
            limits[kind],
        )
        for kind in kinds
    ]
    rows = stuck_sql.evaluations(now, wanted, scope, region)
    if not rows:
        return []
    deadlines = _deadlines_in_force({r[4] for r in rows}, {r[6] for r in rows})
    items = []
    for pk, status, submitted_at, changed_at, cycle_id, *place in rows:
        kind = ItemKind.SUBMITTED if status in SUBMITTED_STATES else ItemKind.PROPOSED
        started = submitted_at if kind == ItemKind.SUBMITTED else changed_at
        assert started is not None
        deadline = deadlines.get((cycle_id, STAGE_OF[kind], place[1])) or deadlines.get((cycle_id, STAGE_OF[kind], ""))
        item = _plain_item(Facts(kind, started, deadline), now, limits, pk, "", *place)
        if item.verdict.late:
            items.append(item)
    return items


def _deadlines_in_force(cycles: set[int], regions: set[str]) -> dict[tuple[int, str, str], dt.datetime]:
    """(cycle, stage, "") → the calendar's deadline; (cycle, stage, region) → the later of it and an extension."""
    found: dict[tuple[int, str, str], dt.datetime] = {}
    for c, s, region, ends in stuck_sql.deadlines(cycles, regions, [s.value for s in STAGE_OF.values()]):
        base = found.get((c, s, "")) if region else None
        found[(c, s, region)] = max(base, ends) if base else ends
    return found


def _plain_item(
    facts: Facts,
    now: dt.datetime,
    limits: dict[ItemKind, int],
    pk: int,
    label: str,
    cycle_name: str,
    region_code: str,
    region_name: str,
    province_code: str,
    province_name: str,
) -> StuckItem:
    return StuckItem(
        kind=facts.kind,
        pk=pk,
        cycle_name=cycle_name,
        region_code=region_code,
        region_name=region_name,
        province_code=province_code,
        province_name=province_name,
        label=label,
        since=facts.since,
        verdict=assess(facts, now, limits),
    )


def _item(
    evaluation: Evaluation, facts: Facts, now: dt.datetime, limits: dict[ItemKind, int], *, pk: int, label: str
) -> StuckItem:
    region = evaluation.region
    province = region.parent
    return StuckItem(
        kind=facts.kind,
        pk=pk,
        cycle_name=evaluation.cycle.name,
        region_code=region.code,
        region_name=region.name,
        province_code=province.code if province else "",
        province_name=province.name if province else "",
        label=label,
        since=facts.since,
        verdict=assess(facts, now, limits),
    )


def with_page_facts(items: Iterable[StuckItem], now: dt.datetime) -> list[StuckItem]:
    """The assigned agencies of the page's returned entries and whether each item was reminded today (2 queries)."""
    page = list(items)
    entry_ids = [i.pk for i in page if i.kind == ItemKind.RETURNED]
    names: dict[int, list[str]] = {}
    for entry_id, short_name in stuck_sql.agency_names(entry_ids):
        names.setdefault(entry_id, []).append(short_name)
    keys = {reminder_key(i, now): i for i in page}
    done = stuck_sql.reminded(list(keys))
    for key, item in keys.items():
        item.agencies = names.get(item.pk, []) if item.kind == ItemKind.RETURNED else []
        item.reminded_today = key in done
    return page


def reminder_key(item: StuckItem, now: dt.datetime) -> str:
    """One reminder per item per day (the day in WIB)."""
    from zoneinfo import ZoneInfo

    from kla.core.formatting import WIB

    return f"nudge:{item.kind.value}:{item.pk}:{now.astimezone(ZoneInfo(WIB)).date().isoformat()}"


def waiting_item(user: User, kind: str, pk: int, now: dt.datetime) -> StuckItem:
    """One waiting item (late or not) the user may remind of; anything else, or out of scope: 404."""
    scope = board_scope(user)
    if kind not in ItemKind.__members__.values():
        raise Http404(gettext("Tidak ditemukan."))
    limits = days()
    if kind == ItemKind.RETURNED:
        entry = (
            Entry.objects.filter(_scoped(scope, "evaluation__region_id"), pk=pk, status=Entry.Status.RETURNED)
            .exclude(returned_at__isnull=True)
            .annotate(has_assignment=Exists(Assignment.objects.filter(entry_id=OuterRef("pk"))))
            .select_related("indicator", "evaluation__cycle", "evaluation__region__parent")
            .first()
        )
        if entry is None or entry.returned_at is None:
            raise Http404(gettext("Tidak ditemukan di wilayah kewenangan Anda."))
        facts = Facts(ItemKind.RETURNED, entry.returned_at, entry.return_deadline, has_agency=entry.has_assignment)
        label = f"{entry.indicator.number}. {entry.indicator.name}"
        return _item(entry.evaluation, facts, now, limits, pk=entry.pk, label=label)
    states, since_field = (
        (SUBMITTED_STATES, "submitted_at") if kind == ItemKind.SUBMITTED else (PROPOSED_STATES, "status_changed_at")
    )
    evaluation = (
        Evaluation.objects.filter(_scoped(scope, "region_id"), pk=pk, status__in=states)
        .exclude(**{f"{since_field}__isnull": True})
        .select_related("cycle", "region__parent")
        .first()
    )
    if evaluation is None:
        raise Http404(gettext("Tidak ditemukan di wilayah kewenangan Anda."))
    since = getattr(evaluation, since_field)
    deadlines = _deadlines_in_force({evaluation.cycle_id}, {evaluation.region_id})
    stage = STAGE_OF[ItemKind(kind)]
    deadline = deadlines.get((evaluation.cycle_id, stage, evaluation.region_id)) or deadlines.get(
        (evaluation.cycle_id, stage, "")
    )
    return _item(evaluation, Facts(ItemKind(kind), since, deadline), now, limits, pk=evaluation.pk, label="")


def level_label(level: Level) -> str:
    from django.utils.translation import gettext as _

    return {
        Level.AGENCY: _("Operator Instansi"),
        Level.SECRETARIAT: _("Sekretariat Gugus Tugas KLA"),
        Level.PROVINCE: _("Verifikator Provinsi"),
        Level.MINISTRY: _("Kementerian"),
    }[level]


def filter_regions(scope: list[str] | None) -> list[tuple[str, str]]:
    """The regions offered as a filter: the provinces for the ministry, the province's kab/kota otherwise."""
    return stuck_sql.filter_regions(scope)


def region_in_scope(scope: list[str] | None, code: str) -> bool:
    """A province or kab/kota the viewer may filter by (one query)."""
    from kla.regions.levels import Level as RegionLevel
    from kla.regions.models import Region

    rows = Region.objects.filter(pk=code, level__in=[RegionLevel.PROVINSI, RegionLevel.KABKOTA])
    if scope is not None:
        rows = rows.filter(Q(pk__in=scope) | Q(parent_id__in=scope))
    return rows.exists()
