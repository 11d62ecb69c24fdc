"""The national data set: all 38 provinces and 514 kab/kota, two cycles, every persona, evidence at load-model scale.

A benchmark and test tool, not part of the product: `python -m bench.seed_national` loads it (`make bench-national`,
`make bench-capacity`, `make loadtest` and `make drill` do), tests call `seed_national()`.

`seed_national()` writes directly with bulk inserts (no per-row services, one password hash for every account, one
summary audit event per run), so Indonesia as a whole loads in about a minute. What it writes is still what the
services would have written: answers are scored by `scoring_adapter.score_answer`, EM snapshots have the shape of
`evaluation_progress(...).snapshot()`, stage scores come from `kla.verification.tally` with the breakdowns of
`kla.verification.services`, bands from the framework, and every evidence row points to one of a few small real
files that passed the upload inspection and are stored once (as carried-forward evidence shares one stored object).

Idempotent per (cycle, kab/kota): a region that already has its evaluation is left alone, so a second run adds
nothing and a run for more provinces adds only the new ones. Deterministic: each region draws from its own
`random.Random` seeded with (seed, cycle, region code), so a region's data does not depend on which provinces were
selected. When the platform gains a model or a capability, it is added here too, so that the national scale keeps
covering everything the platform holds (the tests compare the row counts of every model).

Where things are: `constants.py` (sizes, the spread of workflow states), `names.py` (usernames), `people.py`
(accounts, agencies, memberships), `instrument.py` (the framework read once), `files.py` (the stored sample files),
`cycles.py`, `plan.py` (one evaluation decided in memory: answers, verdicts, stage scores), `evaluations.py` (bulk
insert of a chunk of planned evaluations) with `answers.py`, `verdicts.py`, `evidence.py` and `fieldvisits.py`,
`letters.py` (proposal letters, targets), `taskforce.py` with `taskforce_plan.py` (every kab/kota's Gugus Tugas KLA:
its agencies from the catalogue, decree, members, meetings with attendance and follow-ups), `rad.py` with
`rad_plan.py` (every kab/kota's RAD KLA: adopted plan, tree, outputs, targets, budget lines, realisation of the ended
quarters, the APBD per year), `activities.py` (every kab/kota's activities carried out, realising its RAD KLA, with
their files), `seed.py` (the whole run), `measure.py` (rows per model, database size).
"""

from bench.national_data.constants import (
    AGENCY_KINDS,
    CURRENT_STATES,
    EVIDENCE_PER_INDICATOR,
    FIELD_VERIFIERS,
    MINISTRY_ADMINS,
    MINISTRY_VERIFIERS,
    NATIONAL_PASSWORD,
    PREFIX,
)
from bench.national_data.measure import database_size, table_counts
from bench.national_data.names import (
    cycle_codes,
    national_usernames,
    operator_username,
    province_username,
    secretariat_username,
)
from bench.national_data.report import NationalReport
from bench.national_data.seed import refresh_planner_statistics, seed_national

__all__ = [
    "AGENCY_KINDS",
    "CURRENT_STATES",
    "EVIDENCE_PER_INDICATOR",
    "FIELD_VERIFIERS",
    "MINISTRY_ADMINS",
    "MINISTRY_VERIFIERS",
    "NATIONAL_PASSWORD",
    "PREFIX",
    "NationalReport",
    "cycle_codes",
    "database_size",
    "national_usernames",
    "operator_username",
    "province_username",
    "refresh_planner_statistics",
    "secretariat_username",
    "seed_national",
    "table_counts",
]
