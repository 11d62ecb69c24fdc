"""The pure rules of escalation: when an item is past its service level, its age, who answers for it, who is next."""

from __future__ import annotations

import datetime as dt

import pytest

from kla.notifications.escalation_rules import (
    CHAIN,
    DEFAULT_DAYS,
    Facts,
    ItemKind,
    Level,
    age_days,
    assess,
    due_at,
    next_up,
    responsible,
    service_days,
)

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def test_a_returned_indicator_is_late_at_its_fix_deadline_not_a_second_before() -> None:
    facts = Facts(ItemKind.RETURNED, T0, deadline=T0 + dt.timedelta(days=3))
    assert not assess(facts, T0 + dt.timedelta(days=3) - dt.timedelta(seconds=1)).late
    verdict = assess(facts, T0 + dt.timedelta(days=3))
    assert verdict.late and verdict.due_at == T0 + dt.timedelta(days=3) and verdict.age_days == 3


def test_a_fix_deadline_later_than_the_days_still_governs_a_returned_indicator() -> None:
    facts = Facts(ItemKind.RETURNED, T0, deadline=T0 + dt.timedelta(days=20))
    assert not assess(facts, T0 + dt.timedelta(days=10)).late


def test_without_a_fix_deadline_a_returned_indicator_waits_the_days() -> None:
    facts = Facts(ItemKind.RETURNED, T0)
    assert due_at(facts, 7) == T0 + dt.timedelta(days=7)
    assert not assess(facts, T0 + dt.timedelta(days=6, hours=23)).late
    assert assess(facts, T0 + dt.timedelta(days=7)).late


@pytest.mark.parametrize("kind", [ItemKind.SUBMITTED, ItemKind.PROPOSED])
def test_an_evaluation_is_late_at_the_earlier_of_the_days_and_the_stage_deadline(kind: ItemKind) -> None:
    days = DEFAULT_DAYS[kind]
    far = Facts(kind, T0, deadline=T0 + dt.timedelta(days=60))
    assert due_at(far, days) == T0 + dt.timedelta(days=days)
    near = Facts(kind, T0, deadline=T0 + dt.timedelta(days=2))
    assert due_at(near, days) == T0 + dt.timedelta(days=2)
    assert assess(near, T0 + dt.timedelta(days=2)).late
    assert due_at(Facts(kind, T0), days) == T0 + dt.timedelta(days=days)


def test_who_answers_and_who_is_next_up() -> None:
    assert responsible(Facts(ItemKind.RETURNED, T0)) == Level.AGENCY
    assert responsible(Facts(ItemKind.RETURNED, T0, has_agency=False)) == Level.SECRETARIAT
    assert responsible(Facts(ItemKind.SUBMITTED, T0)) == Level.PROVINCE
    assert responsible(Facts(ItemKind.PROPOSED, T0)) == Level.MINISTRY
    assert [next_up(level) for level in CHAIN] == [
        Level.SECRETARIAT,
        Level.PROVINCE,
        Level.MINISTRY,
        Level.MINISTRY,  # the top: the ministry's administrators above its verifiers
    ]
    verdict = assess(Facts(ItemKind.SUBMITTED, T0), T0)
    assert (verdict.responsible, verdict.next_up) == (Level.PROVINCE, Level.MINISTRY)


def test_age_is_whole_days_and_never_negative() -> None:
    assert age_days(T0, T0 + dt.timedelta(hours=23)) == 0
    assert age_days(T0, T0 + dt.timedelta(days=15, hours=2)) == 15
    assert age_days(T0, T0 - dt.timedelta(days=1)) == 0


def test_service_days_take_well_formed_overrides_only() -> None:
    assert service_days(None) == DEFAULT_DAYS
    assert service_days({"submitted": 3})[ItemKind.SUBMITTED] == 3
    odd = service_days({"submitted": 0, "proposed": True, "returned": "5", "unknown": 4, "x": 400})
    assert odd == DEFAULT_DAYS
    assert service_days({"proposed": 365})[ItemKind.PROPOSED] == 365
    assert service_days({"proposed": 366})[ItemKind.PROPOSED] == DEFAULT_DAYS[ItemKind.PROPOSED]
    assert assess(
        Facts(ItemKind.SUBMITTED, T0), T0 + dt.timedelta(days=3), {**DEFAULT_DAYS, ItemKind.SUBMITTED: 3}
    ).late
