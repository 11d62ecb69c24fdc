"""Reminder occasions: which threshold before a deadline is due now, and which occasions were handled already (their
`ReminderSent` keys), so that `send_reminders` never tells the same thing twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kla.notifications.models import ReminderSent

DAYS_BEFORE = (1, 3, 7)  # the nearest threshold already reached is the one sent


def threshold(ends_at: dt.datetime, now: dt.datetime, days_before: Sequence[int] = DAYS_BEFORE) -> int | None:
    """The reminder due for a deadline now: one of `days_before` (ascending), or None (past, or further away)."""
    if now >= ends_at:
        return None
    return next((days for days in days_before if ends_at - now <= dt.timedelta(days=days)), None)


class Occasions:
    """The reminder occasions already handled, read once per run: a run every few minutes skips them without
    computing their recipients again."""

    def __init__(self, prefix: str) -> None:
        self.done = set(ReminderSent.objects.filter(key__startswith=prefix).values_list("key", flat=True))

    def seen(self, key: str) -> bool:
        return key in self.done

    def mark(self, key: str, now: dt.datetime) -> None:
        ReminderSent.objects.get_or_create(key=key, defaults={"sent_at": now})
        self.done.add(key)
