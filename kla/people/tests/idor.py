"""The people pages' part of the IDOR replay (tests/test_idor.py): deactivating Palembang's operator. Each entry:
(Replay's positional arguments, keyword arguments)."""

from __future__ import annotations

from typing import Any

Entry = tuple[tuple[Any, ...], dict[str, Any]]


def _opd_user(a: Any) -> dict[str, Any]:
    return {"pk": a.opd_user.pk}


def _leaving(a: Any) -> dict[str, Any]:
    return {"reason": "Pindah tugas.", "successor": "", "memberships": []}


REPLAYS: list[Entry] = [
    (("people:deactivate", "GET", _opd_user, "secretariat", 200), {}),
    (("people:deactivate", "POST", _opd_user, "secretariat", 302), {"data": _leaving, "writes": True}),
]
