from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kla.accounts import access
from kla.accounts.roles import Action


def access_flags(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "can_manage_users": False,
            "can_manage_cycles": False,
            "has_role": False,
            "is_operator": False,
            "is_reviewer": False,
        }
    return {
        "can_manage_cycles": access.can(user, Action.CYCLE_MANAGE, None),
        "can_manage_users": access.can_manage_users(user),
        "has_role": bool(access.memberships(user)),
        "is_operator": bool(access.agency_ids(user)),
        "is_reviewer": access.is_reviewer(user),
    }
