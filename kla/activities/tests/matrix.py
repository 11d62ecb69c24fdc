"""The expected answer of every activity URL for every persona (used by tests/test_persona_matrix.py), with
Palembang's objects built through the real services. The opd persona operates Disdukcapil, the agency of the
activity built here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kla.activities.tests import builders as b

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
    """Palembang's activities: its users, its province and the ministry read them; others 404; anonymous: login."""
    return {**everyone(status), "anonymous": 302, "no_role": 404, "other_secretariat": 404}


def write(ok: int = 302) -> dict[str, int]:
    """Recorded by Palembang's secretariat and the operators of the activity's agency; readers 403; others 404."""
    return {**read(403), "secretariat": ok, "opd": ok}


def _region() -> dict[str, Any]:
    return {"code": b.PALEMBANG}


def _activity() -> dict[str, Any]:
    return {"pk": b.activity().pk}


def _file() -> dict[str, Any]:
    return {"pk": b.photo().pk}


def _pick() -> dict[str, Any]:
    from kla.evaluations.models import Entry

    entry = Entry.objects.get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.71", indicator__number=4
    )
    return {"entry_pk": entry.pk, "question_pk": entry.indicator.questions.order_by("position").first().pk}


INDEX_GET = {
    **everyone(302),
    "no_role": 404,
    **dict.fromkeys(("province", "ministry_verifier", "field_verifier", "ministry_admin"), 200),
}
# the entry's answerers (the secretariat, the assigned agency's operator); other readers 403; others 404
PICK_GET = {**read(403), "secretariat": 200, "opd": 200}

RULES: dict[str, tuple[dict[str, dict[str, int]], Callable[[], dict[str, Any]], dict[str, Any]]] = {
    "activities:index": ({"GET": INDEX_GET, "POST": everyone(405)}, dict, {}),
    "activities:region": ({"GET": read(), "POST": everyone(405)}, _region, {}),
    # an empty form comes back with its errors (422) to those who record
    "activities:create": ({"GET": write(200), "POST": write(422)}, _region, {}),
    "activities:detail": ({"GET": read(), "POST": everyone(405)}, _activity, {}),
    "activities:edit": ({"GET": write(200), "POST": write(422)}, _activity, {}),
    # no file: refused with a message and back to the page (the gate is what is tested)
    "activities:file_upload": ({"GET": everyone(405), "POST": write()}, _activity, {}),
    "activities:file_download": ({"GET": read(), "POST": everyone(405)}, _file, {}),
    "activities:file_remove": ({"GET": everyone(405), "POST": write()}, _file, {}),
    "activities:pick": ({"GET": PICK_GET, "POST": everyone(405)}, _pick, {}),
}


def _api_region() -> dict[str, Any]:
    return {"code": b.PALEMBANG}


def _api_activity() -> dict[str, Any]:
    return {"activity_id": b.activity().pk}


def api_read() -> dict[str, int]:
    return {**read(), "anonymous": 401}


# /api/v1: reads with the browser session; writes need a token (a session is refused with 401 for everyone).
API_RULES: dict[str, tuple[dict[str, dict[str, int]], Callable[[], dict[str, Any]], dict[str, Any]]] = {
    "api:activities_list": ({"GET": api_read(), "POST": everyone(401)}, _api_region, {}),
    "api:activity_create": ({"GET": api_read(), "POST": everyone(401)}, _api_region, {}),
    "api:activity_file_post": ({"GET": everyone(405), "POST": everyone(401)}, _api_activity, {}),
}
RULES.update(API_RULES)
