"""The task force's part of the IDOR replay (tests/test_idor.py): Palembang's objects, the body that makes the
owner's request succeed, and whether it writes. Each entry: (Replay's positional arguments, keyword arguments)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from kla.evidence.tests import files
from kla.taskforce import services
from kla.taskforce.tests import builders as b

Entry = tuple[tuple[Any, ...], dict[str, Any]]


def _region(a: object) -> dict[str, Any]:
    return {"code": b.PALEMBANG}


def _pk(build: Any) -> Any:
    """Region A's object, built once per test (the replay asks for its URL more than once)."""

    def kwargs(a: object) -> dict[str, Any]:
        cache: dict[Any, Any] = a.__dict__.setdefault("_taskforce", {})
        if build not in cache:
            cache[build] = build()
        return {"pk": cache[build].pk}

    return kwargs


def _minutes() -> Any:
    upload = SimpleUploadedFile("notulen.pdf", files.pdf())
    return services.minutes_add(meeting=b.held_meeting(), upload=upload, by=None)


def _member_body(a: object) -> dict[str, Any]:
    return {
        "agency": b.agency("DPPPA").pk,
        "person_name": "Rina",
        "position": "Kepala Bidang",
        "role": "anggota",
        "start": "2025-01-06",
    }


def _decree_body(a: object) -> dict[str, Any]:
    return {"number": "188/1/2025", "date": "2025-01-06", "signer": "Wali Kota", "valid_from": "2025-01-06"}


def _meeting_body(a: object) -> dict[str, Any]:
    return {"title": "Rakor", "starts_at": "2030-01-06T09:00", "place": "Aula"}


def _hold_body(a: object) -> dict[str, Any]:
    return {"present": [b.agency("DPPPA").pk], "minutes": "Dibuka."}


def _follow_up_body(a: object) -> dict[str, Any]:
    return {"owner": b.agency("DISDUKCAPIL").pk, "description": "Akta.", "due_date": "2030-01-06"}


def _file(a: object) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("notulen.pdf", files.pdf())}


REPLAYS: list[Entry] = [
    (("taskforce:region", "GET", _region, "opd", 200), {}),
    (("taskforce:decree_add", "POST", _region, "secretariat", 302), {"data": _decree_body, "writes": True}),
    (("taskforce:member_add", "POST", _region, "secretariat", 302), {"data": _member_body, "writes": True}),
    (
        ("taskforce:member_end", "POST", _pk(b.member), "secretariat", 302),
        {"data": lambda a: {"end": "2025-12-31"}, "writes": True},
    ),
    (("taskforce:meetings", "GET", _region, "opd", 200), {}),
    (("taskforce:meeting_plan", "POST", _region, "secretariat", 302), {"data": _meeting_body, "writes": True}),
    (("taskforce:meeting", "GET", _pk(b.held_meeting), "opd", 200), {}),
    (
        ("taskforce:meeting_hold", "POST", _pk(b.past_planned_meeting), "secretariat", 302),
        {"data": _hold_body, "writes": True},
    ),
    (
        ("taskforce:minutes_upload", "POST", _pk(b.held_meeting), "secretariat", 302),
        {"data": _file, "writes": True, "multipart": True},
    ),
    (
        ("taskforce:follow_up_add", "POST", _pk(b.held_meeting), "secretariat", 302),
        {"data": _follow_up_body, "writes": True},
    ),
    (("taskforce:follow_ups", "GET", _region, "opd", 200), {}),
    (
        ("taskforce:follow_up_complete", "POST", _pk(b.follow_up), "opd", 302),
        {"data": lambda a: {"note": "Sudah terbit."}, "writes": True},
    ),
    (("taskforce:document", "GET", _pk(_minutes), "opd", 200), {"writes": True}),  # the download is audited
]


def _api(build: Any, key: str) -> Any:
    pk = _pk(build)
    return lambda a: {key: pk(a)["pk"]}


def _api_member(a: object) -> dict[str, Any]:
    return {**_member_body(a), "agency_id": b.agency("DPPPA").pk}


def _api_meeting(a: object) -> dict[str, Any]:
    return {"title": "Rakor", "starts_at": "2030-01-06T09:00:00+07:00", "place": "Aula"}


def _api_follow_up(a: object) -> dict[str, Any]:
    return {"owner_id": b.agency("DISDUKCAPIL").pk, "description": "Akta.", "due_date": "2030-01-06"}


REPLAYS += [
    (("api:taskforce_detail", "GET", _region, "opd", 200), {}),
    (("api:meetings_list", "GET", _region, "opd", 200), {}),
    (("api:meeting_create", "POST", _region, "secretariat", 201), {"data": _api_meeting, "writes": True}),
    (("api:meeting_detail", "GET", _api(b.held_meeting, "meeting_id"), "opd", 200), {}),
    (("api:follow_ups_list", "GET", _region, "opd", 200), {}),
    (("api:member_create", "POST", _region, "secretariat", 201), {"data": _api_member, "writes": True}),
    (
        ("api:follow_up_create", "POST", _api(b.held_meeting, "meeting_id"), "secretariat", 201),
        {"data": _api_follow_up, "writes": True},
    ),
    (
        ("api:follow_up_done", "POST", _api(b.follow_up, "follow_up_id"), "opd", 200),
        {"data": lambda a: {"note": "Sudah terbit."}, "writes": True},
    ),
]
