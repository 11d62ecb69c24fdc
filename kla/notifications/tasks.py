"""Background work of notifications: sending queued emails (a refused email stays queued for `send_reminders`)."""

from __future__ import annotations

from django.tasks import task


@task()
def send_emails(email_ids: list[int]) -> int:
    from kla.notifications import emails

    return emails.send(email_ids)
