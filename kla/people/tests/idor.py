"""The people pages' part of the IDOR replay (tests/test_idor.py): deactivating Palembang's operator. Each entry:
(Replay's positional arguments, keyword arguments)."""

from __future__ import annotations

from typing import Any

Entry = tuple[tuple[Any, ...], dict[str, Any]]


def _opd_user(a: Any) -> dict[str, Any]:
    return {"pk": a.opd_user.pk}


def _leaving(a: Any) -> dict[str, Any]:
    return {"reason": "Pindah tugas.", "successor": "", "memberships": []}


def _left(a: Any) -> dict[str, Any]:
    from kla.people.tests.matrix import left

    cache: dict[str, Any] = a.__dict__.setdefault("_people", {})
    if "left" not in cache:
        cache["left"] = left()
    return {"pk": cache["left"].pk}


REPLAYS: list[Entry] = [
    (("people:reactivate", "POST", _left, "secretariat", 302), {"writes": True}),
    (("people:deactivate", "GET", _opd_user, "secretariat", 200), {}),
    (("people:deactivate", "POST", _opd_user, "secretariat", 302), {"data": _leaving, "writes": True}),
]
