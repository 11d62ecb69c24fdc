"""The task force's compiled reads give what the ORM gives (plain rows with the ORM's converters, instances with
their relations), run anew on every call (a write shows at once), and refuse a queryset they cannot replay."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Count

from kla.core.compiled_rows import CompiledRows
from kla.regions.models import Region
from kla.taskforce import selectors, services
from kla.taskforce.models import Meeting
from kla.taskforce.rules import TaskForceRole
from kla.taskforce.tests import builders as b

pytestmark = pytest.mark.django_db


def test_meeting_rows_are_the_orm_rows_and_follow_writes(django_assert_num_queries: Any) -> None:
    held, planned = b.held_meeting(), b.planned_meeting()
    services.follow_up_add(
        meeting=held, owner=b.agency("DINKES"), description="Data", due_date=dt.date.today(), by=None
    )
    region = b.region()
    with django_assert_num_queries(1):
        rows = selectors.meeting_rows(region)
    orm = Meeting.objects.filter(region=region).annotate(
        attended=Count("attendance", distinct=True), follow_up_count=Count("follow_ups", distinct=True)
    )
    assert [(r.pk, r.title, r.status, r.starts_at, r.attended, r.follow_up_count) for r in rows] == [
        (m.pk, m.title, m.status, m.starts_at, m.attended, m.follow_up_count) for m in orm
    ]
    assert all(r.starts_at.tzinfo is not None for r in rows)  # the ORM's converters: an aware instant
    assert {r.pk for r in rows} == {held.pk, planned.pk}
    assert selectors.held_per_year(region, rows) == selectors.held_per_year(region) == {held.starts_at.year: 1}
    Meeting.objects.filter(pk=planned.pk).update(status=Meeting.Status.HELD)
    assert sum(selectors.held_per_year(region).values()) == 2  # compiled, not cached: the next call sees the write


def test_the_members_on_a_day_come_from_the_compiled_read() -> None:
    member = b.member(role=TaskForceRole.KETUA, person="Wali Kota")
    region = b.region()
    on_start = selectors.task_force_on(region, member.start)
    assert [m.pk for m in on_start.members] == [member.pk] and on_start.members[0].agency.pk == member.agency_id
    assert selectors.task_force_on(region, member.start - dt.timedelta(days=1)).members == []
    lines = selectors.member_lines_on(region, member.start)  # the page's plain rows: the same members, same order
    assert [(m.pk, m.role, m.person_name, m.agency) for m in lines] == [
        (m.pk, m.role, m.person_name, m.agency.short_name) for m in on_start.members
    ]
    assert selectors.task_force_on(region, member.start, with_members=False).members == []
    services.member_end(member=member, end=member.start, by=None)
    assert [m.pk for m in selectors.task_force_on(region, member.start).members] == [member.pk]
    assert selectors.task_force_on(region, member.start + dt.timedelta(days=1)).members == []


def test_compiled_rows_refuse_what_they_cannot_replay() -> None:
    b.region()
    not_values = CompiledRows(lambda code: Region.objects.filter(code=code), str)
    with pytest.raises(ValueError, match="values_list"):
        not_values.fetch(b.PALEMBANG)
    twice = CompiledRows(lambda code: Region.objects.filter(code=code, parent_id=code).values_list("code"), str)
    with pytest.raises(ValueError, match="appears 2 times"):
        twice.fetch(b.PALEMBANG)
    by_code = CompiledRows(lambda code: Region.objects.filter(code=code).values_list("code", "name"), str)
    assert by_code.fetch(b.PALEMBANG) == list(Region.objects.filter(code=b.PALEMBANG).values_list("code", "name"))
    assert by_code.fetch("99.99") == []
