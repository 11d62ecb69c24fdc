"""Open work that other apps hold for an agency, and how it is handed to another agency.

Agencies sit below the apps that give them work (evaluations assigns indicators to them), so those apps register
here, in their ``AppConfig.ready()``, a `Keeper`: how much open work an agency has, and how to move it to another
agency of the same region. Deactivation asks every keeper (`kla.agencies.services.agency_deactivate`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kla.core.formatting import format_count

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

    from kla.agencies.models import Agency


@dataclass(frozen=True, slots=True)
class Keeper:
    """One sort of open work: its Indonesian label ("penugasan indikator"), a counter and a mover."""

    label: str
    count: Callable[[Agency], int]
    move: Callable[[Agency, Agency, _User | None], int]


_KEEPERS: dict[str, Keeper] = {}


def register(keeper: Keeper) -> None:
    """Register (or replace, by label) a keeper of open work."""
    _KEEPERS[keeper.label] = keeper


def open_work(agency: Agency) -> dict[str, int]:
    """{label: count} of the open work the agency still holds (only the non-zero ones)."""
    counts = {label: keeper.count(agency) for label, keeper in _KEEPERS.items()}
    return {label: n for label, n in counts.items() if n}


def hand_over(agency: Agency, to: Agency, by: _User | None) -> dict[str, int]:
    """Move every open work of `agency` to `to`; {label: moved count}. Runs inside the caller's transaction."""
    return {label: keeper.move(agency, to, by) for label, keeper in _KEEPERS.items()}


def describe(counts: dict[str, int]) -> str:
    """ "12 penugasan indikator" for a refusal message."""
    return ", ".join(f"{format_count(n)} {label}" for label, n in counts.items())
