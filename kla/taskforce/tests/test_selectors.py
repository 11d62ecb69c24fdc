"""Reads of the task force: the task force on a past date, follow-ups by status and owner, scope of the gates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from kla.taskforce import access, selectors, services
from kla.taskforce.rules import TaskForceRole
from kla.taskforce.tests import builders as b

pytestmark = pytest.mark.django_db


def test_the_task_force_on_a_past_date(django_assert_num_queries: Any) -> None:
    region = b.region()
    first = b.decree()
    old_chair = b.member(role=TaskForceRole.KETUA, person="Wali Kota Lama")
    services.member_end(member=old_chair, end=dt.date(2025, 6, 30), by=None)
    later = services.DecreeFacts(
        number="SK-2", date=dt.date(2025, 7, 1), signer="Wali Kota", valid_from=dt.date(2025, 7, 1)
    )
    second = services.decree_replace(old=first, facts=later, by=None, today=dt.date(2026, 1, 1))
    services.member_add(
        region=region,
        agency=b.agency("DPPPA"),
        person_name="Wali Kota Baru",
        position="Wali Kota",
        role=TaskForceRole.KETUA,
        start=dt.date(2025, 7, 1),
        by=None,
    )
    with django_assert_num_queries(2):
        before = selectors.task_force_on(region, dt.date(2025, 3, 1))
    after = selectors.task_force_on(region, dt.date(2025, 8, 1))
    assert before.decree == first and [m.person_name for m in before.members] == ["Wali Kota Lama"]
    assert after.decree == second and [m.person_name for m in after.members] == ["Wali Kota Baru"]
    assert selectors.task_force_on(region, dt.date(2024, 1, 1)).decree is None


def test_follow_ups_by_status_and_for_an_operator(user_of: Callable[[str], Any]) -> None:
    today = timezone.localdate()
    late = b.follow_up(due=today - dt.timedelta(days=3))
    other = b.follow_up(kind="BAPPEDA", due=today - dt.timedelta(days=1))
    region = b.region()
    secretariat, opd = user_of("secretariat"), user_of("opd")
    assert {f.pk for f in selectors.follow_ups(region, secretariat, status="overdue", today=today)} == {
        late.pk,
        other.pk,
    }
    assert [f.pk for f in selectors.follow_ups(region, opd, status="overdue", today=today)] == [late.pk]
    assert selectors.follow_ups(region, secretariat, status="done", today=today) == []
    assert (
        selectors.held_per_year(region) == {timezone.now().year: 2}
        or sum(selectors.held_per_year(region).values()) == 2
    )


def test_gates(user_of: Callable[[str], Any]) -> None:
    follow_up = b.follow_up(kind="BAPPEDA")
    for persona in ("secretariat", "province", "ministry_verifier", "opd"):
        assert access.get_region_for_user(user_of(persona), b.PALEMBANG).code == b.PALEMBANG
        access.get_meeting_for_user(user_of(persona), follow_up.meeting_id)
    for persona in ("other_secretariat", "no_role"):
        with pytest.raises(Http404):
            access.get_meeting_for_user(user_of(persona), follow_up.meeting_id)
    with pytest.raises(Http404):  # Bappeda's follow-up, for Disdukcapil's operator
        access.get_follow_up_for_user(user_of("opd"), follow_up.pk)
    with pytest.raises(PermissionDenied):
        access.get_region_for_user(user_of("province"), b.PALEMBANG, write=True)
    assert access.get_region_for_user(user_of("province"), b.SUMSEL, write=True).code == b.SUMSEL
    with pytest.raises(Http404):  # a kecamatan has no task force here
        access.get_region_for_user(user_of("ministry_admin"), "16.71.01")
