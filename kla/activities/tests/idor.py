"""The activities' part of the IDOR replay (tests/test_idor.py): Palembang's objects, the body that makes the owner's
request succeed, and whether it writes. Each entry: (Replay's positional arguments, keyword arguments)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from kla.activities.tests import builders as b
from kla.evidence.tests import files

Entry = tuple[tuple[Any, ...], dict[str, Any]]


def _region(a: object) -> dict[str, Any]:
    return {"code": b.PALEMBANG}


def _built(a: object, build: Any) -> Any:
    """Region A's object, built once per test (the replay asks for its URL more than once)."""
    cache: dict[Any, Any] = a.__dict__.setdefault("_activities", {})
    if build not in cache:
        cache[build] = build()
    return cache[build]


def _pk(build: Any, key: str = "pk") -> Any:
    return lambda a: {key: _built(a, build).pk}


def _pick(a: Any) -> dict[str, Any]:
    return {"entry_pk": a.entry.pk, "question_pk": a.question.pk}


def _body(a: object) -> dict[str, Any]:
    return {
        "title": "Posyandu ramah anak",
        "start_date": "2026-04-02",
        "end_date": "2026-04-02",
        "agency": b.agency().pk,
        "girls_0_5": "5",
        "budget_used": "2.500.000",
    }


def _api_body(a: object) -> dict[str, Any]:
    return {
        "title": "Posyandu ramah anak",
        "start_date": "2026-04-02",
        "end_date": "2026-04-02",
        "agency_id": b.agency().pk,
        "counts": {"girls_0_5": 5},
        "budget_used": "2.500.000",
    }


def _photo(a: object) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("foto.jpg", files.jpeg(), content_type="image/jpeg")}


REPLAYS: list[Entry] = [
    (("activities:region", "GET", _region, "opd", 200), {}),
    (("activities:create", "GET", _region, "secretariat", 200), {}),
    (("activities:create", "POST", _region, "secretariat", 302), {"data": _body, "writes": True}),
    (("activities:detail", "GET", _pk(b.activity), "opd", 200), {}),
    (("activities:edit", "GET", _pk(b.activity), "opd", 200), {}),
    (("activities:edit", "POST", _pk(b.activity), "opd", 302), {"data": _body, "writes": True}),
    (
        ("activities:file_upload", "POST", _pk(b.activity), "opd", 302),
        {"data": _photo, "writes": True, "multipart": True},
    ),
    (("activities:file_download", "GET", _pk(b.photo), "opd", 200), {"writes": True}),  # the download is audited
    (("activities:file_remove", "POST", _pk(b.photo), "opd", 302), {"writes": True}),
    (("activities:pick", "GET", _pick, "opd", 200), {}),
    (("api:activities_list", "GET", _region, "opd", 200), {}),
    (("api:activity_create", "POST", _region, "secretariat", 201), {"data": _api_body, "writes": True}),
    (
        ("api:activity_file_post", "POST", _pk(b.activity, "activity_id"), "opd", 201),
        {"data": _photo, "writes": True, "multipart": True},
    ),
]
