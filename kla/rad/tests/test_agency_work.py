"""Deactivating an agency responsible for activities of a current plan: refused without a successor, handed over
(and audited) with one; plans of past periods keep their history."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kla.agencies.services import agency_deactivate
from kla.core.models import AuditEvent
from kla.rad import agency_work
from kla.rad.models import Node
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db


def test_an_agency_with_plan_activities_needs_a_successor() -> None:
    built = b.built_plan(adopt=True)
    pupr = built.play.agency
    assert pupr is not None
    with pytest.raises(ValidationError) as caught:
        agency_deactivate(agency=pupr, by=None)
    assert "1 kegiatan RAD KLA" in " ".join(caught.value.messages)
    successor = b.agency("DINSOS")
    agency_deactivate(agency=pupr, reassign_to=successor, by=None)
    assert Node.objects.get(pk=built.play.pk).agency_id == successor.pk
    event = AuditEvent.objects.filter(action="kla.rad.activities.reassigned").latest("id")
    assert event.before == {"agency": pupr.pk, "nodes": [built.play.pk]}


def test_a_plan_of_a_past_period_keeps_its_history() -> None:
    built = b.built_plan(adopt=True)
    built.plan.end_year = 2020
    built.plan.save(update_fields=["end_year"])
    pupr = built.play.agency
    assert pupr is not None
    assert agency_work.count_open(pupr) == 0
    assert agency_work.move_open(pupr, b.agency("DINSOS"), None) == 0
    assert Node.objects.get(pk=built.play.pk).agency_id == pupr.pk
