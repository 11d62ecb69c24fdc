"""Handing a leaving user's work to a successor and deactivating them, in one transaction.

What moves (when a successor is named): the memberships chosen (granted to the successor through
`accounts.services.membership_grant`, so only within the manager's scope), the indicators the leaver returned and
will review on resubmission (`returned_by`), and their seats on open field-verification teams. Then the leaver's
memberships are revoked, their API tokens revoked, their sessions ended and the account deactivated: sign-in is
refused, history stays (audit events keep their actor's name). The last active secretariat of a kabupaten/kota is
not left without a successor who takes that role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kla.accounts import access as accounts_access
from kla.accounts import services as accounts
from kla.accounts.models import Membership, User
from kla.accounts.roles import Role
from kla.core import audit
from kla.evaluations.models import Entry
from kla.notifications.models import Kind
from kla.notifications.services import Message, deliver
from kla.people import access, work


@dataclass(frozen=True, slots=True)
class Handover:
    memberships: int
    entries: int
    field_plans: int
    tokens: int
    sessions: int


def _same(a: Membership, b: Membership) -> bool:
    return (a.role, a.region_id, a.agency_id) == (b.role, b.region_id, b.agency_id)


def _check_last_secretariat(leaver: User, memberships: list[Membership], moving: list[Membership]) -> None:
    for m in memberships:
        if m.role != Role.SECRETARIAT or any(_same(m, t) for t in moving):
            continue
        others = (
            Membership.objects.active()
            .filter(role=Role.SECRETARIAT, region_id=m.region_id, user__is_active=True)
            .exclude(user=leaver)
        )
        if not others.exists():
            region = m.region.name if m.region else ""
            raise ValidationError(
                _(
                    "%(name)s adalah Sekretariat Gugus Tugas KLA terakhir yang aktif di %(region)s. Pilih pengganti "
                    "dan serahkan peran Sekretariat kepadanya, atau berikan peran itu kepada pengguna lain terlebih "
                    "dahulu."
                )
                % {"name": leaver, "region": region}
            )


def _move(leaver: User, successor: User, moving: list[Membership], by: User) -> tuple[int, int, int]:
    held = list(Membership.objects.active().filter(user=successor))
    granted = 0
    for m in moving:
        if not any(_same(m, h) for h in held):
            accounts.membership_grant(user=successor, role=Role(m.role), region=m.region, agency=m.agency, by=by)
            granted += 1
    entries = Entry.objects.filter(status=Entry.Status.RETURNED, returned_by=leaver).update(returned_by=successor)
    plans = work.field_plans(leaver)
    for plan in plans:
        plan.team.add(successor)
    return granted, entries, len(plans)


def _end_sessions(leaver: User) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(leaver.pk):
            session.delete()
            ended += 1
    return ended


def _notify(successor: User, leaver: User, done: Handover) -> None:
    """Tell the successor what they took over, in their own language (`deliver` builds each message in it)."""
    if done.entries:
        deliver([successor], partial(_entries_message, leaver, done.entries))
    if done.field_plans:
        deliver([successor], partial(_field_message, leaver))


def _entries_message(leaver: User, entries: int) -> Message:
    body = ngettext(
        "%(count)d indikator yang dikembalikan %(name)s kini menunggu tinjauan Anda setelah diperbaiki.",
        "%(count)d indikator yang dikembalikan %(name)s kini menunggu tinjauan Anda setelah diperbaiki.",
        entries,
    ) % {"count": entries, "name": leaver}
    title = _("Anda menggantikan %(name)s") % {"name": leaver}
    return Message(Kind.RETURNED, title, body, key=f"handover:{leaver.pk}:entries")


def _field_message(leaver: User) -> Message:
    body = _("Anda ditambahkan ke tim verifikasi lapangan menggantikan %(name)s.") % {"name": leaver}
    title = _("Anda menggantikan %(name)s") % {"name": leaver}
    return Message(Kind.FIELD_VISIT, title, body, key=f"handover:{leaver.pk}:field", url=reverse("accounts:me"))


@transaction.atomic
def hand_over_and_deactivate(
    *, leaver: User, successor: User | None, moving: Sequence[Membership], reason: str, by: User
) -> Handover:
    """Hand what can be handed over to `successor` (if any), then deactivate `leaver`. All or nothing."""
    leaver = User.objects.select_for_update().get(pk=leaver.pk)
    if not leaver.is_active:
        raise ValidationError(_("Pengguna ini sudah nonaktif."))
    memberships = list(Membership.objects.active().filter(user=leaver).select_related("region", "agency"))
    access.check_may_deactivate(by, leaver, memberships)
    if successor is not None and (successor.pk == leaver.pk or not successor.is_active):
        raise ValidationError(_("Pilih pengganti lain: pengganti harus pengguna aktif selain yang dinonaktifkan."))
    chosen = {m.pk for m in moving}
    moving = [m for m in memberships if m.pk in chosen] if successor is not None else []
    _check_last_secretariat(leaver, memberships, moving)
    granted, entries, plans = _move(leaver, successor, moving, by) if successor is not None else (0, 0, 0)
    for plan in work.field_plans(leaver):
        plan.team.remove(leaver)
    for m in memberships:
        accounts.membership_revoke(membership=m, by=by, reason=reason)
    tokens = list(leaver.api_tokens.active())
    for token in tokens:
        accounts.token_revoke(token=token, by=by)
    done = Handover(granted, entries, plans, len(tokens), _end_sessions(leaver))
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    accounts_access.forget(leaver)
    if successor is not None:
        audit.record(
            action="kla.people.handed_over",
            by=by,
            obj=leaver,
            after={
                "successor": successor.username,
                "memberships": done.memberships,
                "entries": done.entries,
                "field_plans": done.field_plans,
            },
            reason=reason,
        )
        _notify(successor, leaver, done)
    audit.record(
        action="kla.user.deactivated",
        by=by,
        obj=leaver,
        before={"is_active": True},
        after={
            "is_active": False,
            "tokens": done.tokens,
            "sessions": done.sessions,
            "memberships": [m.pk for m in memberships],
        },
        reason=reason,
    )
    return done
