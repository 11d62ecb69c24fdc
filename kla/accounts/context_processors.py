from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kla.accounts import access


def access_flags(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"can_manage_users": access.can_manage_users(user) if user is not None else False}
