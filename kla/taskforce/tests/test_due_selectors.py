"""The follow-up panels' reads on a fixed day (`today` is passed in): overdue ones of a region, longest late first,
the count due in the next seven days, an operator's agency's open ones, the regions a user manages; two queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from kla.accounts.models import User
from kla.agencies.selectors import agencies_available_to
from kla.taskforce import selectors, services
from kla.taskforce.forms import FollowUpForm, MeetingForm, MemberForm
from kla.taskforce.models import FollowUp, Meeting
from kla.taskforce.tests import builders as b

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def _add(meeting: Meeting, kind: str, due: dt.date, text: str = "Tindak lanjut.") -> FollowUp:
    return services.follow_up_add(meeting=meeting, owner=b.agency(kind), description=text, due_date=due, by=None)


def _days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def test_overdue_of_a_region_longest_late_first_with_the_count_due_soon(django_assert_num_queries: Any) -> None:
    meeting = b.held_meeting()
    late_3 = _add(meeting, "DISDUKCAPIL", _days(-3))
    late_20 = _add(meeting, "DINKES", _days(-20))
    _add(meeting, "BAPPEDA", _days(0))  # due today: on time, due soon
    _add(meeting, "BAPPEDA", _days(7))  # the seventh day: due soon
    _add(meeting, "BAPPEDA", _days(8))  # later
    done = _add(meeting, "DISDUKCAPIL", _days(-5))
    services.follow_up_complete(follow_up=done, note="Selesai.", by=None)
    elsewhere = services.follow_up_add(
        meeting=b.held_meeting(b.LUBUKLINGGAU),
        owner=b.agency("DISDUKCAPIL", b.LUBUKLINGGAU),
        description="Lubuk Linggau.",
        due_date=_days(-9),
        by=None,
    )
    with django_assert_num_queries(2):
        panel = selectors.overdue_for_region(b.PALEMBANG, today=TODAY)
        rows = [
            (r.follow_up.pk, r.days_late, r.follow_up.owner.short_name, r.follow_up.meeting.title) for r in panel.rows
        ]
    assert rows == [
        (late_20.pk, 20, "Dinas Kesehatan", meeting.title),
        (late_3.pk, 3, "Disdukcapil", meeting.title),
    ]
    assert (panel.overdue, panel.due_soon, panel.open, panel.more) == (2, 2, 5, 0)
    assert panel.region_codes == [b.PALEMBANG] and panel.today == TODAY
    assert elsewhere.pk not in {r.follow_up.pk for r in panel.rows}


def test_an_owner_filter_and_the_row_limit() -> None:
    meeting = b.held_meeting()
    for i in range(4):
        _add(meeting, "DISDUKCAPIL", _days(-1 - i))
    _add(meeting, "DINKES", _days(-2))
    capil = b.agency("DISDUKCAPIL")
    panel = selectors.overdue_for_region(b.PALEMBANG, today=TODAY, owners={capil.pk}, limit=3)
    assert [r.days_late for r in panel.rows] == [4, 3, 2]
    assert {r.follow_up.owner_id for r in panel.rows} == {capil.pk}
    assert (panel.overdue, panel.more) == (4, 1)
    assert selectors.overdue_for_region(b.PALEMBANG, today=TODAY, owners=set()).rows == []


def test_nothing_overdue_is_the_same_two_queries(django_assert_num_queries: Any) -> None:
    _add(b.held_meeting(), "DISDUKCAPIL", _days(3))
    with django_assert_num_queries(2):
        panel = selectors.overdue_for_region(b.PALEMBANG, today=TODAY)
    assert (panel.rows, panel.overdue, panel.due_soon) == ([], 0, 1)


def test_an_operator_sees_their_agencys_open_follow_ups_overdue_first(
    user_of: Callable[[str], User], django_assert_num_queries: Any
) -> None:
    meeting = b.held_meeting()
    soon = _add(meeting, "DISDUKCAPIL", _days(2))
    late = _add(meeting, "DISDUKCAPIL", _days(-4))
    later = _add(meeting, "DISDUKCAPIL", _days(30))
    _add(meeting, "DINKES", _days(-10))  # another agency's
    done = _add(meeting, "DISDUKCAPIL", _days(-1))
    services.follow_up_complete(follow_up=done, note="Selesai.", by=None)
    operator = user_of("opd")
    with django_assert_num_queries(3):  # the memberships (once per request), the totals, the rows
        panel = selectors.open_for_operator(operator, today=TODAY)
    assert panel is not None
    assert [(r.follow_up.pk, r.days_late, r.days_left) for r in panel.rows] == [
        (late.pk, 4, 0),
        (soon.pk, 0, 2),
        (later.pk, 0, 30),
    ]
    assert (panel.overdue, panel.due_soon, panel.open, panel.region_codes) == (1, 1, 3, [b.PALEMBANG])
    assert selectors.open_for_operator(user_of("secretariat"), today=TODAY) is None


def test_managed_regions(user_of: Callable[[str], User]) -> None:
    assert selectors.managed_regions(user_of("secretariat")) == [b.PALEMBANG]
    assert selectors.managed_regions(user_of("other_secretariat")) == [b.LUBUKLINGGAU]
    assert selectors.managed_regions(user_of("opd")) == []
    assert selectors.managed_regions(user_of("ministry_verifier")) == []
    assert selectors.overdue_for_regions([b.PALEMBANG, b.LUBUKLINGGAU], today=TODAY).region_codes == [
        b.PALEMBANG,
        b.LUBUKLINGGAU,
    ]


def test_the_forms_offer_the_agencies_selector_of_the_registry() -> None:
    """The task force's pick lists are `kla.agencies.selectors.agencies_available_to`: the kab/kota's active
    agencies and its province's bodies, nobody else's."""
    region = b.region()
    kanwil = b.agency("KEMENKUMHAM", b.SUMSEL)
    other = b.agency("DINKES", b.LUBUKLINGGAU)
    expected = set(agencies_available_to(region))
    assert kanwil in expected and other not in expected
    offered = [(a.pk, a.short_name) for a in agencies_available_to(region)]
    for field, form_class in (("owner", FollowUpForm), ("agency", MemberForm), ("invited", MeetingForm)):
        shown = form_class(region=region).fields[field]  # listed from plain rows, in the selector's order
        assert [(v, str(label)) for v, label in shown.choices if v != ""] == offered  # type: ignore[attr-defined]
        posted = form_class({}, region=region).fields[field]  # a posted choice is checked against the selector
        assert set(posted.queryset) == expected  # type: ignore[attr-defined]
