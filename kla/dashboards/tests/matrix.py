"""The expected answer of every dashboard URL for every persona (used by tests/test_persona_matrix.py).

A kab/kota's dashboard: its secretariat, its province's reviewer and the ministry (its operators 403, another
kab/kota and users without a role 404); a province's: its reviewer and the ministry (every kab/kota user 404); the
national one: the ministry's roles (every other role 403)."""

from __future__ import annotations

from collections.abc import Callable
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
MINISTRY = ("ministry_verifier", "field_verifier", "ministry_admin")


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ALL, status)


def _palembang() -> dict[str, Any]:
    return {"code": "16.71"}


def _sumsel() -> dict[str, Any]:
    return {"code": "16"}


def _api_palembang() -> dict[str, Any]:
    return {"level": "kabkota", "code": "16.71"}


KABKOTA = {
    "anonymous": 302,
    "no_role": 404,
    "opd": 403,
    "secretariat": 200,
    "other_secretariat": 404,
    "province": 200,
    **dict.fromkeys(MINISTRY, 200),
}
PROVINCE = {**everyone(404), "anonymous": 302, "province": 200, **dict.fromkeys(MINISTRY, 200)}
NATIONAL = {**everyone(403), "anonymous": 302, **dict.fromkeys(MINISTRY, 200)}
# the sandbox: the kab/kota's secretariat alone (its province and the ministry 403; another kab/kota 404)
WHATIF = {**KABKOTA, "province": 403, **dict.fromkeys(MINISTRY, 403)}
INDEX = {**everyone(302), "no_role": 403, "opd": 403}

RULES: dict[str, tuple[dict[str, dict[str, int]], Callable[[], dict[str, Any]], dict[str, Any]]] = {
    "dashboards:index": ({"GET": INDEX, "POST": everyone(405)}, dict, {}),
    "dashboards:kabkota": ({"GET": KABKOTA, "POST": everyone(405)}, _palembang, {}),
    "dashboards:province": ({"GET": PROVINCE, "POST": everyone(405)}, _sumsel, {}),
    "dashboards:whatif": ({"GET": WHATIF, "POST": {**WHATIF, "secretariat": 302}}, _palembang, {"reset": "1"}),
    "dashboards:national": ({"GET": NATIONAL, "POST": everyone(405)}, dict, {}),
    "dashboards:province_map": ({"GET": PROVINCE, "POST": everyone(405)}, _sumsel, {}),
    "dashboards:national_map": ({"GET": NATIONAL, "POST": everyone(405)}, dict, {}),
    "api:dashboard": ({"GET": {**KABKOTA, "anonymous": 401}, "POST": everyone(405)}, _api_palembang, {}),
}
