"""The bell's unread count on every page: one COUNT on the (user, read_at) index, only for a signed-in user, and
only when a template reads it (the template calls the function; `{% with %}` keeps the value for the partial)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from kla.notifications.selectors import unread_count

        return unread_count(user)

    counter: Callable[[], int] = count
    return {"notifications_unread": counter}
