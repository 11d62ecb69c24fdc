"""The bell's unread count on every page, read from the signed-in user's row (`User.unread_notifications`, kept by
`kla.notifications.counter`): the session already loaded it, so the header costs no query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": getattr(user, "unread_notifications", 0)}
