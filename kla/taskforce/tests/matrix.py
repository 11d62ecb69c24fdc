"""The expected answer of every task-force URL for every persona (used by tests/test_persona_matrix.py), with the
objects of Palembang's task force it needs, built through the real services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from kla.evidence.tests import files
from kla.taskforce import services
from kla.taskforce.tests import builders as b

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


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ALL, status)


def read(status: int = 200) -> dict[str, int]:
    """Palembang's task force: its users, its province and the ministry read it; others 404; anonymous: login."""
    return {**everyone(status), "anonymous": 302, "no_role": 404, "other_secretariat": 404}


def write(ok: int = 302, *, opd: int = 403) -> dict[str, int]:
    """Only Palembang's secretariat manages it; readers without the right 403; others 404."""
    return {**read(403), "secretariat": ok, "opd": opd}


def _region() -> dict[str, Any]:
    return {"code": b.PALEMBANG}


def _member() -> dict[str, Any]:
    return {"pk": b.member().pk}


def _planned() -> dict[str, Any]:
    return {"pk": b.planned_meeting().pk}


def _held() -> dict[str, Any]:
    return {"pk": b.held_meeting().pk}


def _follow_up() -> dict[str, Any]:
    return {"pk": b.follow_up().pk}  # owned by Disdukcapil, the agency of the opd persona


def _minutes() -> dict[str, Any]:
    upload = SimpleUploadedFile("notulen.pdf", files.pdf())
    return {"pk": services.minutes_add(meeting=b.held_meeting(), upload=upload, by=None).pk}


RULES: dict[str, tuple[dict[str, dict[str, int]], Callable[[], dict[str, Any]], dict[str, Any]]] = {
    "taskforce:index": (
        {
            "GET": {**everyone(302), "no_role": 404, "province": 200, "ministry_verifier": 200}
            | {"field_verifier": 200, "ministry_admin": 200},
            "POST": everyone(405),
        },
        dict,
        {},
    ),
    "taskforce:region": ({"GET": read(), "POST": everyone(405)}, _region, {}),
    "taskforce:decree_add": ({"GET": everyone(405), "POST": write()}, _region, {"number": "1"}),
    "taskforce:member_add": ({"GET": everyone(405), "POST": write()}, _region, {}),
    "taskforce:member_end": ({"GET": everyone(405), "POST": write()}, _member, {"end": "2025-12-31"}),
    "taskforce:meetings": ({"GET": read(), "POST": everyone(405)}, _region, {}),
    "taskforce:meeting_plan": ({"GET": everyone(405), "POST": write()}, _region, {}),
    "taskforce:meeting": ({"GET": read(), "POST": everyone(405)}, _held, {}),
    "taskforce:meeting_hold": ({"GET": everyone(405), "POST": write()}, _planned, {}),
    "taskforce:minutes_upload": ({"GET": everyone(405), "POST": write()}, _held, {}),
    "taskforce:follow_up_add": ({"GET": everyone(405), "POST": write()}, _held, {}),
    "taskforce:follow_ups": ({"GET": read(), "POST": everyone(405)}, _region, {}),
    "taskforce:follow_up_complete": (
        {"GET": everyone(405), "POST": write(opd=302)},
        _follow_up,
        {"note": "Sudah dikerjakan."},
    ),
    "taskforce:document": ({"GET": read(), "POST": everyone(405)}, _minutes, {}),
}


def _api_region() -> dict[str, Any]:
    return {"code": b.PALEMBANG}


def _api_meeting() -> dict[str, Any]:
    return {"meeting_id": b.held_meeting().pk}


def _api_follow_up() -> dict[str, Any]:
    return {"follow_up_id": b.follow_up().pk}


def api_read() -> dict[str, int]:
    return {**read(), "anonymous": 401}


# /api/v1: reads with the browser session; writes need a token (a session is refused with 401 for everyone).
# Two operations on one path (GET and POST .../meetings) share the URL, so both names expect both methods.
API_RULES: dict[str, tuple[dict[str, dict[str, int]], Callable[[], dict[str, Any]], dict[str, Any]]] = {
    "api:taskforce_detail": ({"GET": api_read(), "POST": everyone(405)}, _api_region, {}),
    "api:meetings_list": ({"GET": api_read(), "POST": everyone(401)}, _api_region, {}),
    "api:meeting_create": ({"GET": api_read(), "POST": everyone(401)}, _api_region, {}),
    "api:meeting_detail": ({"GET": api_read(), "POST": everyone(405)}, _api_meeting, {}),
    "api:follow_ups_list": ({"GET": api_read(), "POST": everyone(405)}, _api_region, {}),
    "api:member_create": ({"GET": everyone(405), "POST": everyone(401)}, _api_region, {}),
    "api:follow_up_create": ({"GET": everyone(405), "POST": everyone(401)}, _api_meeting, {}),
    "api:follow_up_done": ({"GET": everyone(405), "POST": everyone(401)}, _api_follow_up, {}),
}
RULES.update(API_RULES)
