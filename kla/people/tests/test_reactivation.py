"""Bringing a deactivated user back: the deactivating manager or a ministry administrator, with the roles revoked at
deactivation; anybody else does not find the user."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kla.accounts.models import Membership
from kla.core.models import AuditEvent
from kla.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_secretariat_brings_back_the_operator_it_deactivated_with_its_role(client_for, user_of) -> None:
    opd = user_of("opd")
    role = Membership.objects.active().get(user=opd)
    client = client_for("secretariat")
    client.post(reverse("people:deactivate", args=[opd.pk]), {"successor": "", "reason": "Cuti panjang."})
    listed = client.get(reverse("people:inactive")).content.decode()
    assert "opd-palembang" in listed and "Cuti panjang." in listed
    response = client.post(reverse("people:reactivate", args=[opd.pk]))
    assert response.status_code == 302 and response.url == reverse("accounts:user_detail", args=[opd.pk])
    opd.refresh_from_db()
    assert opd.is_active
    back = Membership.objects.active().get(user=opd)
    assert (back.role, back.region_id, back.agency_id) == (role.role, role.region_id, role.agency_id)
    assert Client().login(username="opd-palembang", password=DEMO_PASSWORD)
    event = AuditEvent.objects.get(action="kla.user.reactivated", object_id=str(opd.pk))
    assert event.actor.username == "gt-palembang" and event.after == {"is_active": True, "memberships": 1}
    assert "opd-palembang" not in client.get(reverse("people:inactive")).content.decode()


def test_only_the_deactivating_manager_or_a_ministry_administrator_may_reactivate(client_for, user_of) -> None:
    opd = user_of("opd")
    client_for("secretariat").post(reverse("people:deactivate", args=[opd.pk]), {"successor": "", "reason": "Pergi."})
    url = reverse("people:reactivate", args=[opd.pk])
    assert client_for("province").post(url).status_code == 404
    assert client_for("other_secretariat").post(url).status_code == 404
    assert client_for("opd").post(url).status_code == 302  # the leaver's old session is gone: sign in first
    opd.refresh_from_db()
    assert not opd.is_active
    assert "opd-palembang" in client_for("ministry_admin").get(reverse("people:inactive")).content.decode()
    assert client_for("ministry_admin").post(url).status_code == 302
    opd.refresh_from_db()
    assert opd.is_active
