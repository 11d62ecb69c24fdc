"""Where a user lands after signing in: the page of their work, chosen by role.

Precedence when a user holds several memberships: the role that is widest in scope and latest in the workflow wins,
i.e. `LANDING_PRECEDENCE` below (ministry administrator, field verifier, ministry verifier, province reviewer,
secretariat, operator: the reverse of the order in which `Role` is declared). The first membership of the highest
role decides; a user without any membership lands on *Akun saya*. A safe `?next=` always comes first
(`kla.accounts.views.signin._safe_next`).
"""

from __future__ import annotations

from django.urls import reverse

from kla.accounts import access
from kla.accounts.roles import Role
from kla.evaluations import selectors as evaluation_selectors

LANDING_PRECEDENCE: tuple[Role, ...] = (
    Role.MINISTRY_ADMIN,
    Role.FIELD_VERIFIER,
    Role.MINISTRY_VERIFIER,
    Role.PROVINCE_REVIEWER,
    Role.SECRETARIAT,
    Role.OPD_OPERATOR,
)
ROLE_HOME: dict[Role, str] = {
    Role.MINISTRY_ADMIN: "evaluations:cycles",
    Role.FIELD_VERIFIER: "fieldvisits:index",
    Role.MINISTRY_VERIFIER: "verification:queue",
    Role.PROVINCE_REVIEWER: "verification:queue",
    Role.OPD_OPERATOR: "evaluations:my_work",
}


def landing_url(user: access.Visitor) -> str:
    """The page a signed-in user starts on (see the module's docstring for the precedence rule)."""
    held = {Role(m.role): m for m in reversed(access.memberships(user))}  # the first membership of a role wins
    role = next((r for r in LANDING_PRECEDENCE if r in held), None)
    if role is None:
        return reverse("accounts:me")
    if role == Role.SECRETARIAT:
        region = held[role].region_id
        pk = evaluation_selectors.current_evaluation_id(region) if region else None
        return reverse("evaluations:evaluation_detail", args=[pk]) if pk else reverse("evaluations:evaluations")
    return reverse(ROLE_HOME[role])
