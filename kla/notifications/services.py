"""Writing notifications: one row per person told (inside the transaction of what caused it), its email queued for
those who take the kind immediately; reading them; each person's choices per kind."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kla.accounts.models import User
from kla.core import audit
from kla.notifications import emails
from kla.notifications.counter import recount
from kla.notifications.models import MANDATORY, Delivery, Kind, Notification, Preference
from kla.notifications.selectors import deliveries
from kla.notifications.wording import language_of


@dataclass(frozen=True, slots=True)
class Message:
    """What one occasion tells: never a score (the seal canary reads every notification and email)."""

    kind: Kind
    title: str
    body: str
    key: str  # the occasion: a person is told of it once (unique per user)
    url: str = ""
    object_type: str = ""
    object_id: str = ""
    merge: bool = False  # an unread notification of the same key takes this body as one more line
    email: bool = True  # False: in the app only (another email of the platform already tells them)
    emailed_elsewhere: frozenset[int] = frozenset()  # users another email of the platform already tells


Build = Callable[[], Message]


def deliver(users: Iterable[User], message: Message | Build, *, now: dt.datetime | None = None) -> int:
    """Tell each active user once (per key), as they chose for the kind, in their own language: `message` is a
    function that builds the message in the active language, called once per language of the recipients under
    `translation.override` (a ready `Message` is told as it is, to all). Each notification row keeps the text its
    reader was told, and its email says the same. Returns the number of notifications written or extended."""
    if isinstance(message, Message):
        return _deliver(users, message, now=now)
    groups: dict[str, list[User]] = defaultdict(list)
    for user in users:
        if user.is_active:
            groups[language_of(user)].append(user)
    told = 0
    for language, group in groups.items():
        with translation.override(language):
            told += _deliver(group, message(), now=now)
    return told


@transaction.atomic(savepoint=False)  # inside the caller's transaction; its own when called outside one (a task)
def _deliver(users: Iterable[User], message: Message, *, now: dt.datetime | None = None) -> int:
    """Runs in the caller's transaction; emails leave after the commit."""
    now = now or timezone.now()
    people = {u.pk: u for u in users if u.is_active}
    if not people:
        return 0
    chosen = {pk: d for pk, d in deliveries(people, message.kind).items() if d != Delivery.OFF}
    existing = {
        n.user_id: n
        for n in Notification.objects.filter(user_id__in=list(chosen), dedup_key=message.key[:200]).select_for_update()
    }
    if message.merge:
        for notification in existing.values():
            if notification.read_at is None and message.body not in notification.body.split("\n"):
                _extend(notification, message.body, people[notification.user_id])
    rows = [
        Notification(
            user_id=pk,
            kind=message.kind,
            title=message.title[:255],
            body=message.body,
            url=message.url[:500],
            object_type=message.object_type,
            object_id=message.object_id[:64],
            created_at=now,
            digest_due=delivery == Delivery.DIGEST,
            dedup_key=message.key[:200],
        )
        for pk, delivery in chosen.items()
        if pk not in existing
    ]
    Notification.objects.bulk_create(rows)
    recount([n.user_id for n in rows])
    if message.email:
        emails.queue([n for n in rows if not n.digest_due and n.user_id not in message.emailed_elsewhere], people, now)
    return len(rows) + (len(existing) if message.merge else 0)


def _extend(notification: Notification, line: str, user: User) -> None:
    notification.body = f"{notification.body}\n{line}"
    notification.save(update_fields=["body"])
    emails.refresh_queued(notification, user)


@transaction.atomic
def mark_read(*, notification: Notification, by: User, now: dt.datetime | None = None) -> Notification:
    """Mark the caller's own notification read (an inbox state, not recorded in the audit log)."""
    if notification.user_id != by.pk:
        raise ValidationError(_("Notifikasi ini bukan milik Anda."))
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
        recount([by.pk])
    return notification


@transaction.atomic
def mark_all_read(*, by: User, now: dt.datetime | None = None) -> int:
    marked = Notification.objects.filter(user=by, read_at__isnull=True).update(read_at=now or timezone.now())
    recount([by.pk])
    return marked


@transaction.atomic
def preferences_set(*, choices: Mapping[Kind, Delivery], by: User) -> int:
    """Store the caller's delivery per kind; a mandatory kind cannot be turned off. Returns the number changed."""
    refused = [kind for kind, delivery in choices.items() if kind in MANDATORY and delivery == Delivery.OFF]
    if refused:
        names = ", ".join(f'"{Kind(k).label}"' for k in refused)
        raise ValidationError(
            _(
                "Notifikasi %(names)s wajib diterima karena menyangkut pekerjaan Anda; pilih segera atau "
                "ringkasan harian."
            )
            % {"names": names}
        )
    before = dict(Preference.objects.filter(user=by).values_list("kind", "delivery"))
    changed = {k.value: d.value for k, d in choices.items() if before.get(k.value, Delivery.IMMEDIATE.value) != d}
    for kind, delivery in changed.items():
        Preference.objects.update_or_create(user=by, kind=kind, defaults={"delivery": delivery})
    if changed:
        audit.record(
            action="kla.notification.preferences_set",
            by=by,
            obj=by,
            before={k: before.get(k, Delivery.IMMEDIATE.value) for k in changed},
            after=changed,
        )
    return len(changed)
