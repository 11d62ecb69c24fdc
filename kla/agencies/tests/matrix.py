"""The expected answer of every agency-registry URL for every persona (used by tests/test_persona_matrix.py).

Palembang's agencies are read by its own users, its province and the ministry; they are managed by its secretariat,
the province reviewer and the ministry administrator; everyone else gets 404 (existence not revealed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

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
MANAGERS = ("secretariat", "province", "ministry_admin")


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ALL, status)


def signed_in(status: int, anonymous: int = 302) -> dict[str, int]:
    return {**everyone(status), "anonymous": anonymous}


def read(status: int = 200) -> dict[str, int]:
    """Palembang's agency pages: its users, its province and the ministry; others 404; anonymous: login."""
    return {**signed_in(status), "no_role": 404, "other_secretariat": 404}


def manage(ok: int) -> dict[str, int]:
    """The managers get `ok`; readers without the right 403; others 404."""
    return {**read(403), **dict.fromkeys(MANAGERS, ok)}


def _palembang() -> dict[str, Any]:
    return {"code": "16.71"}


def _disdukcapil() -> dict[str, Any]:
    from kla.agencies.models import Agency

    return {"pk": Agency.objects.get(region_id="16.71", kind="DISDUKCAPIL").pk}


def _idle(active: bool = True) -> dict[str, Any]:
    """A Palembang agency with no assignments (deactivated when `active` is False), through the real services."""
    from kla.agencies.services import agency_create, agency_deactivate
    from kla.regions.models import Region

    agency = agency_create(
        region=Region.objects.get(pk="16.71"), kind="LAINNYA", name=f"Lembaga Matriks {uuid4().hex[:8]}", by=None
    )
    if not active:
        agency_deactivate(agency=agency, by=None)
    return {"pk": agency.pk}


type Expect = dict[str, dict[str, int]]
RULES: dict[str, tuple[Expect, Callable[[], dict[str, Any]], dict[str, Any]]] = {
    # the menu entry: straight to one's own kab/kota (302); the province and the ministry pick a region (200)
    "agencies:index": (
        {"GET": {**signed_in(200), "opd": 302, "secretariat": 302, "other_secretariat": 302}, "POST": everyone(405)},
        dict,
        {},
    ),
    "agencies:import_template": ({"GET": signed_in(200), "POST": everyone(405)}, dict, {}),
    "agencies:kinds": ({"GET": signed_in(200), "POST": everyone(405)}, dict, {}),
    "agencies:region": ({"GET": read(200), "POST": everyone(405)}, _palembang, {}),
    "agencies:add": (
        {"GET": everyone(405), "POST": manage(302)},
        _palembang,
        {"kind": "DINKES", "name": "Dinas Kesehatan Matriks"},
    ),
    # an empty import form: the managers get it back with the error (422)
    "agencies:import": ({"GET": manage(200), "POST": manage(422)}, _palembang, {}),
    "agencies:edit": (
        {"GET": manage(200), "POST": manage(302)},
        _disdukcapil,
        {"kind": "DISDUKCAPIL", "name": "Disdukcapil Matriks", "short_name": "Disdukcapil"},
    ),
    "agencies:deactivate": ({"GET": manage(200), "POST": manage(302)}, _idle, {}),
    "agencies:reactivate": ({"GET": everyone(405), "POST": manage(302)}, lambda: _idle(False), {}),
    # the API: reads with the session; the write needs a token (the session is refused with 401 for everyone)
    "api:region_agencies": ({"GET": read(200) | {"anonymous": 401}}, _palembang, {}),
    "api:region_agency_create": ({"POST": everyone(401)}, _palembang, {}),
}
