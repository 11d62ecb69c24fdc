"""Sizes, the spread of workflow states and the small helpers every part of the national generator shares."""

from __future__ import annotations

import random
from decimal import Decimal

from kla.evaluations.workflow import State

NATIONAL_PASSWORD = "sandi-nasional-2026"  # shared by every national account; development data only
PREFIX = "nas-"
BATCH = 2000
CHUNK = 64  # kab/kota planned and inserted together (bounds memory whatever the selection)
AGENCY_KINDS: tuple[str, ...] = ("DPPPA", "BAPPEDA", "DINKES", "DISDIK", "DISDUKCAPIL")
# The task force: every kab/kota also registers these (agencies of the catalogue; the five above have operators),
# and every province its Kantor Wilayah Kemenkumham, which serves on the task force of the province's kota.
TASKFORCE_KINDS: tuple[str, ...] = (
    "DINSOS", "DPUPR", "DISKOMINFO", "DP2KB", "BAG_HUKUM", "KEJAKSAAN", "POLRES", "PN", "PA", "KEMENAG", "BAPAS",
    "BPS", "FORUM_ANAK", "PKK", "MEDIA", "DUNIA_USAHA",
)  # fmt: skip
PROVINCE_TASKFORCE_KINDS: tuple[str, ...] = ("KEMENKUMHAM",)
MEMBERS_PER_TASK_FORCE = (15, 25)  # members on record (the current ones and one former ketua)
MEETINGS_PER_YEAR = (4, 8)  # held in the last twelve months; one more is planned
FOLLOW_UPS_PER_MEETING = (2, 4)
SECRETARIAT_KIND = "DPPPA"  # the secretariat of the Gugus Tugas sits in Dinas PPPA
MINISTRY_VERIFIERS = 4
FIELD_VERIFIERS = 6
MINISTRY_ADMINS = 2
EVIDENCE_PER_INDICATOR = 6
Q2 = Decimal("0.01")
ZERO = Decimal(0)

# The current cycle: where each kab/kota stands, by its position in its province (shifted by the province code so
# that not every province starts with the same state). Any province with 12 or more kab/kota holds every state.
CURRENT_PATTERN: tuple[State, ...] = (
    State.DRAFT,
    State.SUBMITTED,
    State.PROVINCE_REVIEW,
    State.DRAFT,
    State.PROPOSED,
    State.MINISTRY_REVIEW,
    State.SUBMITTED,
    State.FIELD_VERIFICATION,
    State.BELOW_GATE,
    State.FINAL_VERIFICATION,
    State.DETERMINED,
    State.PROVINCE_REVIEW,
)
CURRENT_STATES: frozenset[State] = frozenset(CURRENT_PATTERN)
STATE_ORDER: tuple[State, ...] = tuple(State)


def q2(value: Decimal) -> Decimal:
    """Points as the database stores them (two decimals)."""
    return value.quantize(Q2)


def seeded_rng(seed: int, *parts: str) -> random.Random:
    """A generator of its own for (seed, parts): a region's data does not depend on which provinces were chosen."""
    return random.Random(":".join([str(seed), *parts]))  # noqa: S311 - repeatable synthetic data, not security


def _rank(state: State) -> int:
    # closed below the gate: submitted and never reviewed, so it ranks with a submission
    return STATE_ORDER.index(State.SUBMITTED if state == State.BELOW_GATE else state)


def at_least(state: State, other: State) -> bool:
    """Whether `state` is `other` or later in the workflow (closed below the gate counts as submitted only)."""
    return _rank(state) >= _rank(other)
