"""An agency that still owns open follow-ups is deactivated only with a successor, who then owns them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kla.agencies.services import agency_deactivate
from kla.core.models import AuditEvent
from kla.taskforce.models import FollowUp
from kla.taskforce.tests import builders as b

pytestmark = pytest.mark.django_db


def test_open_follow_ups_block_deactivation_until_handed_over() -> None:
    follow_up = b.follow_up(kind="DISDUKCAPIL")
    owner = follow_up.owner
    successor = b.agency("DINSOS")

    with pytest.raises(ValidationError) as caught:
        agency_deactivate(agency=owner, by=None)
    assert "1 tindak lanjut rapat" in " ".join(caught.value.messages)
    owner.refresh_from_db()
    assert owner.is_active

    agency_deactivate(agency=owner, reassign_to=successor, by=None)
    follow_up.refresh_from_db()
    owner.refresh_from_db()
    assert follow_up.owner == successor
    assert not owner.is_active
    moved = AuditEvent.objects.get(action="kla.taskforce.follow_up.reassigned")
    assert moved.before == {"owner": owner.pk, "follow_ups": [follow_up.pk]}
    assert moved.after == {"owner": successor.pk}


def test_done_follow_ups_do_not_block_and_stay_with_their_owner() -> None:
    follow_up = b.follow_up(kind="DISPORA")  # an agency with no indicator assigned
    FollowUp.objects.filter(pk=follow_up.pk).update(status=FollowUp.Status.DONE)

    agency_deactivate(agency=follow_up.owner, by=None)
    follow_up.refresh_from_db()
    assert follow_up.owner.kind == "DISPORA"
    assert not AuditEvent.objects.filter(action="kla.taskforce.follow_up.reassigned").exists()
