"""Outgoing emails of notifications: written as rows (status, attempts, next attempt), sent by a task after the
commit, retried by `send_reminders` when the mail server refused. Plain text and HTML, in the recipient's language
(`User.language`), dates already formatted in the region's zone and that language by the message that made them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kla.accounts.models import User
from kla.notifications.counter import recount
from kla.notifications.models import Notification, OutgoingEmail
from kla.notifications.wording import language_of

MAX_ATTEMPTS = 8
FIRST_RETRY = dt.timedelta(minutes=5)
LONGEST_RETRY = dt.timedelta(hours=6)


def site_url() -> str:
    return str(getattr(settings, "KLA_SITE_URL", "") or "").rstrip("/")


def _render(template: str, context: dict[str, object], user: User) -> tuple[str, str]:
    with translation.override(language_of(user)):
        context = {**context, "site_url": site_url(), "user": user}
        return (
            render_to_string(f"notifications/{template}.txt", context).strip() + "\n",
            render_to_string(f"notifications/{template}.html", context),
        )


def _email_of(notification: Notification, user: User, now: dt.datetime) -> OutgoingEmail:
    text, html = _render("email", {"n": notification}, user)
    return OutgoingEmail(
        user=user,
        to=user.email,
        subject=notification.title[:255],
        text=text,
        html=html,
        notification=notification,
        created_at=now,
        next_attempt_at=now,
    )


def queue(notifications: Iterable[Notification], people: Mapping[int, User], now: dt.datetime) -> list[int]:
    """Write the email of each notification whose user has an address; sent by a task once the caller commits."""
    rows = [_email_of(n, people[n.user_id], now) for n in notifications if people[n.user_id].email]
    if not rows:
        return []
    OutgoingEmail.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: enqueue(ids))
    return ids


def enqueue(ids: list[int]) -> None:
    from kla.notifications.tasks import send_emails

    send_emails.enqueue(ids)


def refresh_queued(notification: Notification, user: User) -> None:
    """A notification that took another line: its email, when not yet sent, says the same."""
    for email in OutgoingEmail.objects.filter(notification=notification, status=OutgoingEmail.Status.QUEUED):
        email.text, email.html = _render("email", {"n": notification}, user)
        email.save(update_fields=["text", "html"])


def _object_gone(notification: Notification | None) -> bool:
    if notification is None or not notification.object_type or not notification.object_id:
        return False
    try:
        model = apps.get_model(notification.object_type)
    except (LookupError, ValueError):
        return False
    return not model._default_manager.filter(pk=notification.object_id).exists()


def send(ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """Send the queued emails among `ids`; a refusal of the mail server leaves each queued for a later attempt (and
    never reaches the caller). An email whose notification's object was deleted meanwhile is dropped. Returns the
    number sent."""
    now = now or timezone.now()
    sent = 0
    due = OutgoingEmail.objects.filter(pk__in=list(ids), status=OutgoingEmail.Status.QUEUED).select_related(
        "notification"
    )
    for email in due:
        if _object_gone(email.notification):
            email.status = OutgoingEmail.Status.DROPPED
            email.save(update_fields=["status"])
            if email.notification_id is not None:
                Notification.objects.filter(pk=email.notification_id).delete()
                recount([email.user_id] if email.user_id is not None else [])
            continue
        sent += _send_one(email, now)
    return sent


def _send_one(email: OutgoingEmail, now: dt.datetime) -> int:
    message = EmailMultiAlternatives(email.subject, email.text, settings.DEFAULT_FROM_EMAIL, [email.to])
    if email.html:
        message.attach_alternative(email.html, "text/html")
    email.attempts += 1
    try:
        message.send()
    except Exception as exc:  # any refusal or timeout of the mail server: keep it and try later
        email.last_error = f"{type(exc).__name__}: {exc}"[:500]
        email.next_attempt_at = now + min(FIRST_RETRY * 2 ** (email.attempts - 1), LONGEST_RETRY)
        if email.attempts >= MAX_ATTEMPTS:
            email.status = OutgoingEmail.Status.FAILED
        email.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
        return 0
    email.status, email.sent_at, email.last_error = OutgoingEmail.Status.SENT, now, ""
    email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return 1


def retry_due(now: dt.datetime) -> int:
    """Send again every queued email whose next attempt is due (what `send_reminders` runs first)."""
    due = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now)
    return send(list(due.values_list("pk", flat=True)), now)


def queue_digest(user: User, notifications: list[Notification], day: dt.date, now: dt.datetime) -> OutgoingEmail:
    """One email listing the day's notifications of a user who takes them as a digest."""
    from kla.core.formatting import format_date

    language = language_of(user)
    shown = format_date(day, lang=language)
    text, html = _render("digest", {"items": notifications, "day": shown}, user)
    with translation.override(language):
        subject = translation.gettext("Ringkasan notifikasi Platform KLA · %(day)s") % {"day": shown}
    email = OutgoingEmail.objects.create(
        user=user,
        to=user.email,
        subject=subject,
        text=text,
        html=html,
        created_at=now,
        next_attempt_at=now,
    )
    return email
