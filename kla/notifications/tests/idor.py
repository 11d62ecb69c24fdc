"""The stuck-items board's part of the IDOR replay (tests/test_idor.py): the one-click reminder of Palembang's late
returned indicator. Jambi's province reviewer gets 404 (outside its province); a kab/kota's secretariat or operator
gets 403 whatever the id (the board is refused by role before the id is read). Each entry: (Replay's positional
arguments, keyword arguments)."""

from __future__ import annotations

import datetime as dt
from typing import Any

Entry = tuple[tuple[Any, ...], dict[str, Any]]


def _entry(a: Any) -> dict[str, Any]:
    return {"kind": "dikembalikan", "pk": a.entry.pk}


def _late(a: Any) -> None:
    from django.utils import timezone

    from kla.evaluations.models import Entry as EntryModel
    from tests.idor_objects import returned

    returned(a)
    EntryModel.objects.filter(pk=a.entry.pk).update(
        returned_at=timezone.now() - dt.timedelta(days=14), return_deadline=timezone.now() - dt.timedelta(days=7)
    )


REPLAYS: list[Entry] = [
    (("notifications:stuck_remind", "POST", _entry, "province", 302), {"setup": _late, "writes": True}),
]

FORBIDDEN: dict[tuple[str, str], str] = {
    ("notifications:stuck_remind", persona): "the stuck-items board is the province's and the ministry's: refused "
    "by role for any id"
    for persona in ("other_secretariat", "other_opd")
}
