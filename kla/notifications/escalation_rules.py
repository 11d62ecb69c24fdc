"""Service levels of the work that waits on someone, and who is next up when it is late. Pure module: no Django.

Three kinds of work wait after submission:

* an indicator **returned** and not fixed: late once its fix deadline has passed (without a fix deadline, N days
  after it was returned); the assigned agency answers for it (the secretariat when no agency is assigned);
* an evaluation **submitted** and not reviewed by the province: late N days after submission, or once the province
  stage deadline in force for the kab/kota has passed, whichever comes first; the province answers for it;
* an evaluation **proposed** and not verified by the ministry: late N days after the proposal, or once the ministry's
  administrative verification deadline in force has passed, whichever comes first; the ministry's verifiers answer.

Late work escalates once to the next level up: agency → secretariat → province → ministry. The ministry is the top:
work late at the ministry's verifiers goes to the ministry's administrators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class ItemKind(StrEnum):
    RETURNED = "returned"
    SUBMITTED = "submitted"
    PROPOSED = "proposed"


class Level(StrEnum):
    AGENCY = "agency"
    SECRETARIAT = "secretariat"
    PROVINCE = "province"
    MINISTRY = "ministry"


CHAIN: tuple[Level, ...] = (Level.AGENCY, Level.SECRETARIAT, Level.PROVINCE, Level.MINISTRY)

# Days an item may wait before it is late, when no deadline comes sooner (settings.KLA_SERVICE_LEVEL_DAYS overrides).
DEFAULT_DAYS: dict[ItemKind, int] = {ItemKind.RETURNED: 7, ItemKind.SUBMITTED: 14, ItemKind.PROPOSED: 14}
MAX_DAYS = 365


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known of one waiting item: its kind, since when it waits, the deadline in force (a fix deadline for a
    returned indicator, the stage deadline for an evaluation; None when there is none), and whether an agency is
    assigned (returned indicators only)."""

    kind: ItemKind
    since: dt.datetime
    deadline: dt.datetime | None = None
    has_agency: bool = True


@dataclass(frozen=True, slots=True)
class Verdict:
    late: bool
    due_at: dt.datetime
    age_days: int
    responsible: Level
    next_up: Level


def service_days(overrides: Mapping[str, object] | None = None) -> dict[ItemKind, int]:
    """The days per kind: the defaults, replaced by well-formed overrides (a whole number of days, 1 to 365)."""
    days = dict(DEFAULT_DAYS)
    for key, value in (overrides or {}).items():
        usable = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DAYS
        if key in ItemKind.__members__.values() and usable:
            days[ItemKind(key)] = value  # type: ignore[assignment]
    return days


def due_at(facts: Facts, days: int) -> dt.datetime:
    """When the item becomes late: a returned indicator at its fix deadline (else `days` after it was returned);
    an evaluation at the earlier of `days` after it started waiting and the stage deadline in force."""
    by_days = facts.since + dt.timedelta(days=days)
    if facts.deadline is None:
        return by_days
    if facts.kind == ItemKind.RETURNED:
        return facts.deadline
    return min(by_days, facts.deadline)


def responsible(facts: Facts) -> Level:
    if facts.kind == ItemKind.RETURNED:
        return Level.AGENCY if facts.has_agency else Level.SECRETARIAT
    if facts.kind == ItemKind.SUBMITTED:
        return Level.PROVINCE
    return Level.MINISTRY


def next_up(level: Level) -> Level:
    """The level above `level`; the ministry is the top (its administrators above its verifiers)."""
    index = CHAIN.index(level)
    return CHAIN[min(index + 1, len(CHAIN) - 1)]


def age_days(since: dt.datetime, now: dt.datetime) -> int:
    """Whole days waited (0 within the first day; never negative)."""
    return max((now - since).days, 0)


def assess(facts: Facts, now: dt.datetime, days: Mapping[ItemKind, int] | None = None) -> Verdict:
    """Whether the item is past its service level at `now`, its age, who answers for it and who is next up."""
    limits = days or DEFAULT_DAYS
    due = due_at(facts, limits[facts.kind])
    level = responsible(facts)
    return Verdict(
        late=now >= due,
        due_at=due,
        age_days=age_days(facts.since, now),
        responsible=level,
        next_up=next_up(level),
    )
