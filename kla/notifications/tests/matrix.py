"""The expected answer of every notification URL for every persona (used by tests/test_persona_matrix.py). A
notification is its user's alone: anyone else's id answers 404."""

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


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ALL, status)


def signed_in(status: int, anonymous: int = 302) -> dict[str, int]:
    return {**everyone(status), "anonymous": anonymous}


def _opd_notification() -> dict[str, Any]:
    """A notification of Palembang's agency operator, written by the real service."""
    from kla.accounts.models import User
    from kla.notifications.models import Kind
    from kla.notifications.services import Message, deliver

    user = User.objects.get(username="opd-palembang")
    deliver([user], Message(kind=Kind.DEADLINE, title="Batas waktu", body="Uji matriks.", key="matrix", url="/"))
    return {"pk": user.notifications.get(dedup_key="matrix").pk}


def board(status: int) -> dict[str, int]:
    """The stuck-items board: the province reviewer (its kab/kota) and the ministry (nationwide); others 403."""
    return {**signed_in(403), "province": status, "ministry_verifier": status, "ministry_admin": status}


def _late_returned_entry() -> dict[str, Any]:
    """Palembang's indicator 4, returned two weeks ago with a fix deadline passed a week ago."""
    import datetime as dt

    from django.utils import timezone

    from kla.evaluations.models import Entry, Evaluation

    now = timezone.now()
    entry = Entry.objects.get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.71", indicator__number=4
    )
    Evaluation.objects.filter(pk=entry.evaluation_id).update(status=Evaluation.Status.PROVINCE_REVIEW, submitted_at=now)
    Entry.objects.filter(pk=entry.pk).update(
        status=Entry.Status.RETURNED,
        return_reason="Lampirkan data terbaru.",
        returned_at=now - dt.timedelta(days=14),
        return_deadline=now - dt.timedelta(days=7),
    )
    return {"kind": "dikembalikan", "pk": entry.pk}


def _api_notification() -> dict[str, Any]:
    return {"notification_id": _opd_notification()["pk"]}


PREFERENCES = {
    "assigned": "digest",
    "returned": "immediate",
    "resubmitted": "immediate",
    "submitted": "immediate",
    "stage": "immediate",
    "deadline": "immediate",
    "follow_up": "off",
    "field_visit": "immediate",
    "export": "immediate",
    "publication": "immediate",
    "published": "immediate",
    "escalated": "digest",
    "nudged": "immediate",
}

Rules = dict[str, tuple[dict[str, dict[str, int]], Callable[[], dict[str, Any]], dict[str, Any]]]
RULES: Rules = {
    "notifications:list": ({"GET": signed_in(200), "POST": everyone(405)}, dict, {}),
    "notifications:read": (
        {"GET": everyone(405), "POST": {**signed_in(404), "opd": 302}},
        _opd_notification,
        {},
    ),
    "notifications:read_all": ({"GET": everyone(405), "POST": signed_in(302)}, dict, {}),
    "notifications:preferences": ({"GET": signed_in(200), "POST": signed_in(302)}, dict, PREFERENCES),
    # the stuck-items board (issue 22 item 5) and its one-click reminder
    "notifications:stuck": ({"GET": board(200), "POST": everyone(405)}, dict, {}),
    "notifications:stuck_remind": ({"GET": everyone(405), "POST": board(302)}, _late_returned_entry, {}),
    # the API: a session may read its own list; a write needs a token (session: 401)
    "api:notifications": ({"GET": signed_in(200, anonymous=401), "POST": everyone(405)}, dict, {}),
    "api:notification_read": ({"GET": everyone(405), "POST": everyone(401)}, _api_notification, {}),
}
