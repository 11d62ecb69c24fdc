"""The bell's counter: `User.unread_notifications`, kept so that the header of every page reads it from the user row
the session already loaded (no query of its own)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from kla.accounts.models import User
from kla.notifications.models import Notification


def recount(user_ids: Iterable[int]) -> None:
    """Set the bell's counter (`User.unread_notifications`) of these users from their unread notifications, in one
    UPDATE; called after every write that changes what is unread, inside its transaction."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(pk__in=ids).update(unread_notifications=Coalesce(Subquery(unread), 0))
