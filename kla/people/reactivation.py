"""Bringing a deactivated user back: a ministry administrator, or the manager who deactivated them, reactivates the
account and gives back the roles revoked at deactivation (through `accounts.services.membership_grant`, so only
within the reactivating manager's scope). Sessions and API tokens are not restored: the person signs in again."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from kla.accounts import access as accounts_access
from kla.accounts import services as accounts
from kla.accounts.models import Membership, User
from kla.accounts.roles import Role
from kla.core import audit
from kla.core.models import AuditEvent

DEACTIVATED = "kla.user.deactivated"


def _latest_deactivations() -> dict[str, AuditEvent]:
    """The latest deactivation event of each inactive user (one query)."""
    inactive = [str(pk) for pk in User.objects.filter(is_active=False).values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(action=DEACTIVATED, object_type="accounts.user", object_id__in=inactive)
    latest: dict[str, AuditEvent] = {}
    for event in events.order_by("at", "pk"):
        latest[event.object_id] = event
    return latest


def reactivatable(by: User) -> list[tuple[User, AuditEvent]]:
    """Deactivated users `by` may bring back, with their deactivation: all for a ministry administrator, otherwise
    those `by` deactivated (3 queries)."""
    national = accounts_access.has_role(by, Role.MINISTRY_ADMIN)
    events = {k: e for k, e in _latest_deactivations().items() if national or e.actor_id == by.pk}
    users = User.objects.filter(pk__in=[int(k) for k in events]).order_by("username")
    return [(u, events[str(u.pk)]) for u in users]


def get_reactivatable(by: User, pk: int) -> tuple[User, AuditEvent]:
    for user, event in reactivatable(by):
        if user.pk == pk:
            return user, event
    raise Http404(_("Pengguna nonaktif tidak ditemukan di antara yang dapat Anda aktifkan kembali."))


@transaction.atomic
def reactivate(*, user: User, deactivation: AuditEvent, by: User) -> int:
    """Reactivate `user` and give back the roles revoked at `deactivation`; returns the number given back."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError(_("Pengguna ini sudah aktif."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    revoked = (deactivation.after or {}).get("memberships") or []
    given = 0
    for m in Membership.objects.filter(pk__in=revoked).select_related("region", "agency"):
        accounts.membership_grant(user=user, role=Role(m.role), region=m.region, agency=m.agency, by=by)
        given += 1
    audit.record(
        action="kla.user.reactivated",
        by=by,
        obj=user,
        before={"is_active": False},
        after={"is_active": True, "memberships": given},
    )
    return given
