"""The expected answer of every people URL for every persona (used by tests/test_persona_matrix.py).

Importing users and the template: user managers (the secretariats, the province reviewer, the ministry
administrator); other signed-in users 403. Deactivating Palembang's operator: its managers; Lubuk Linggau's
secretariat 404 (not in its subtree); users who manage nobody 403. An empty POST is refused with the form (422).
"""

from __future__ import annotations

from typing import Any

ALL = [
    "anonymous",
    "no_role",
    "opd",
    "secretariat",
    "other_secretariat",
    "province",
    "ministry_verifier",
    "field_verifier",
    "ministry_admin",
]
MANAGERS = ("secretariat", "other_secretariat", "province", "ministry_admin")


def managers(status: int, others: int = 403) -> dict[str, int]:
    return {**dict.fromkeys(ALL, others), "anonymous": 302, **dict.fromkeys(MANAGERS, status)}


def _opd_user() -> dict[str, Any]:
    from kla.accounts.models import User

    return {"pk": User.objects.get(username="opd-palembang").pk}


def left() -> Any:
    """A Palembang operator who left, deactivated by its secretariat (built fresh for each test)."""
    from kla.accounts.models import User
    from kla.accounts.roles import Role
    from kla.accounts.services import user_create
    from kla.agencies.models import Agency
    from kla.people.handover import hand_over_and_deactivate
    from kla.regions.models import Region

    leaver = user_create(
        username=f"opd-pergi-{User.objects.count()}", full_name="Pergi", email="pergi@contoh.go.id", password=None,
        role=Role.OPD_OPERATOR, region=Region.objects.get(pk="16.71"),
        agency=Agency.objects.get(region_id="16.71", kind="DINKES"), by=None,
    )  # fmt: skip
    secretariat = User.objects.get(username="gt-palembang")
    hand_over_and_deactivate(leaver=leaver, successor=None, moving=[], reason="Pindah tugas.", by=secretariat)
    return leaver


def _left() -> dict[str, Any]:
    return {"pk": left().pk}


def _nothing() -> dict[str, Any]:
    return {}


RULES: dict[str, tuple[dict[str, dict[str, int]], Any, dict[str, Any]]] = {
    "people:import": ({"GET": managers(200), "POST": managers(422)}, _nothing, {}),
    "people:import_template": ({"GET": managers(200), "POST": dict.fromkeys(ALL, 405)}, _nothing, {}),
    "people:inactive": ({"GET": managers(200), "POST": dict.fromkeys(ALL, 405)}, _nothing, {}),
    # bringing back a user the secretariat deactivated: that secretariat or a ministry administrator
    "people:reactivate": (
        {
            "GET": dict.fromkeys(ALL, 405),
            "POST": {**managers(404), "secretariat": 302, "ministry_admin": 302},
        },
        _left,
        {},
    ),
    "people:deactivate": (
        {
            "GET": {**managers(200), "other_secretariat": 404},
            "POST": {**managers(422), "other_secretariat": 404},
        },
        _opd_user,
        {},
    ),
}
