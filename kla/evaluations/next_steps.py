"""The next step of a persona on an evaluation ("Langkah berikutnya"). Pure module: no Django import.

Every page of the evaluation chain shows what its reader does next, computed here from plain facts (the
evaluation's workflow state, how far its self-assessment and its review are, the returned indicators with their fix
deadline) and the reader's role, with the page where that step is taken (a URL name and its arguments; the page
reverses it). The wording lives with the template tag that shows a step (`evaluations/templatetags/next_steps.py`),
so that it is translated.

Who acts is read from the cycle's workflow (`workflow.available`): a reviewer gets a step only when the transition
out of the current state is theirs. A role with nothing to do gets `Kind.WAIT` with the state it waits on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from kla.accounts.roles import Role
from kla.evaluations.workflow import State, Step, WorkflowConfig, available


class Kind(StrEnum):
    ASSIGN = "assign"  # secretariat: N indicators have no agency yet
    FILL = "fill"  # operator: fill N assigned indicators
    COMPLETE = "complete"  # secretariat: complete N indicators before sending
    SUBMIT = "submit"  # secretariat: everything is complete, send the self-assessment
    FIX_RETURNED = "fix_returned"  # kab/kota: correct N returned indicators before the fix deadline
    START_REVIEW = "start_review"  # reviewer: start the administrative verification of a submission
    CLOSE_AT_GATE = "close_at_gate"  # reviewer: a submission below the EM gate is closed, not verified
    REVIEW = "review"  # reviewer: decide N questions still open
    SEND_BACK = "send_back"  # reviewer: N questions were marked returned, return their indicators with a deadline
    AWAIT_FIXES = "await_fixes"  # reviewer: N returned indicators are being corrected until the fix deadline
    PROPOSE = "propose"  # province: every indicator accepted, propose to the ministry
    FINISH_REVIEW = "finish_review"  # ministry verifier: every question decided, close the administrative step
    FIELD = "field"  # field verifier: verify in the field and give the VL points
    DETERMINE = "determine"  # ministry administrator: determine final scores and predicates
    PUBLISH = "publish"  # ministry administrator: announce the results
    OPEN_CYCLE = "open_cycle"  # ministry administrator: a prepared cycle waits to be opened
    WAIT = "wait"  # nothing for this role now; `state` says what the evaluation waits on


@dataclass(frozen=True, slots=True)
class NextStep:
    kind: Kind
    url_name: str
    args: tuple[object, ...] = ()
    count: int = 0
    deadline: dt.datetime | None = None
    state: State | None = None
    anchor: str = ""  # the part of the page where it is done ("kirim", "dikembalikan")


@dataclass(frozen=True, slots=True)
class Facts:
    """What a page knows about one evaluation. Counts are of indicators (entries) unless named questions."""

    evaluation_id: int
    state: State
    cycle_code: str = ""
    province_code: str | None = None
    config: WorkflowConfig = field(default_factory=WorkflowConfig)
    unassigned: int = 0
    incomplete: int = 0
    first_incomplete_entry: int | None = None
    returned: int = 0
    fix_deadline: dt.datetime | None = None  # the earliest fix deadline of the returned indicators
    first_returned_entry: int | None = None
    questions_to_review: int = 0  # questions of the open review stage
    questions_decided: int = 0
    questions_returned: int = 0  # decided "returned" whose indicator has not been returned yet
    below_gate: bool = False


def _returned(facts: Facts) -> NextStep:
    if facts.first_returned_entry is not None and facts.returned == 1:
        target: tuple[str, tuple[object, ...]] = ("evaluations:entry_detail", (facts.first_returned_entry,))
    else:
        target = ("evaluations:evaluation_detail", (facts.evaluation_id,))
    return NextStep(
        Kind.FIX_RETURNED,
        target[0],
        target[1],
        count=facts.returned,
        deadline=facts.fix_deadline,
        anchor="dikembalikan",
    )


def for_secretariat(facts: Facts) -> NextStep:
    """The Gugus Tugas secretariat on its kab/kota's evaluation."""
    dashboard = ("evaluations:evaluation_detail", (facts.evaluation_id,))
    if facts.returned:
        return _returned(facts)
    if facts.state != State.DRAFT:
        return NextStep(Kind.WAIT, *dashboard, state=facts.state)
    if facts.unassigned:
        return NextStep(Kind.ASSIGN, *dashboard, count=facts.unassigned, anchor="indikator")
    if facts.incomplete:
        return NextStep(Kind.COMPLETE, *dashboard, count=facts.incomplete, anchor="indikator")
    return NextStep(Kind.SUBMIT, *dashboard, anchor="kirim")


@dataclass(frozen=True, slots=True)
class OperatorWork:
    """An operator's assigned indicators in open cycles (across evaluations)."""

    unanswered: int = 0
    first_unanswered_entry: int | None = None
    returned: int = 0
    fix_deadline: dt.datetime | None = None
    first_returned_entry: int | None = None


def for_operator(work: OperatorWork) -> NextStep:
    """An agency operator on *Tugas saya*: correct what was returned first, then fill what is still open."""
    if work.returned:
        return NextStep(
            Kind.FIX_RETURNED, *_entry_or_my_work(work.first_returned_entry), count=work.returned,
            deadline=work.fix_deadline,
        )  # fmt: skip
    if work.unanswered:
        return NextStep(Kind.FILL, *_entry_or_my_work(work.first_unanswered_entry), count=work.unanswered)
    return NextStep(Kind.WAIT, "evaluations:my_work")


def _entry_or_my_work(entry: int | None) -> tuple[str, tuple[object, ...]]:
    return ("evaluations:entry_detail", (entry,)) if entry is not None else ("evaluations:my_work", ())


def _review(facts: Facts, role: Role) -> NextStep:
    """An open administrative review: questions to decide, then the returned indicators, then the closing step."""
    page = ("verification:evaluation", (facts.evaluation_id,))
    pending = facts.questions_to_review - facts.questions_decided
    if pending > 0:
        return NextStep(Kind.REVIEW, *page, count=pending)
    if facts.returned:
        return NextStep(Kind.AWAIT_FIXES, *page, count=facts.returned, deadline=facts.fix_deadline)
    if facts.questions_returned:
        return NextStep(Kind.SEND_BACK, *page, count=facts.questions_returned, anchor="kembalikan")
    if role == Role.PROVINCE_REVIEWER and facts.province_code:
        return NextStep(Kind.PROPOSE, "verification:province", (facts.cycle_code, facts.province_code))
    return NextStep(Kind.FINISH_REVIEW, *page)


_REVIEWED_IN: dict[State, Step] = {
    State.PROVINCE_REVIEW: Step.PROPOSE,
    State.MINISTRY_REVIEW: Step.SKIP_FIELD,
}


def for_reviewer(facts: Facts, role: Role) -> NextStep:
    """A province reviewer, a ministry verifier, a field verifier or the ministry administrator."""
    page = ("verification:evaluation", (facts.evaluation_id,))
    mine = {t.step for t in available(facts.config, facts.state) if t.actor == role}
    if not mine:
        return NextStep(Kind.WAIT, *page, state=facts.state)
    if _REVIEWED_IN.get(facts.state) in mine:
        return _review(facts, role)
    if Step.STOP_AT_GATE in mine and facts.below_gate:
        return NextStep(Kind.CLOSE_AT_GATE, *page)
    if mine & {Step.START_PROVINCE_REVIEW, Step.START_MINISTRY_REVIEW}:
        return NextStep(Kind.START_REVIEW, *page)
    if Step.FINISH_FIELD in mine:
        return NextStep(Kind.FIELD, "fieldvisits:plan", (facts.evaluation_id,))
    if Step.DETERMINE in mine:
        return NextStep(Kind.DETERMINE, *page)
    if Step.PUBLISH in mine:
        return NextStep(Kind.PUBLISH, "results:publication", (facts.cycle_code,))
    return NextStep(Kind.WAIT, *page, state=facts.state)


REVIEWER_ROLES = (Role.MINISTRY_ADMIN, Role.FIELD_VERIFIER, Role.MINISTRY_VERIFIER, Role.PROVINCE_REVIEWER)


def for_roles(facts: Facts, roles: set[Role]) -> NextStep | None:
    """The step of whichever of `roles` acts now (a reviewer's step before a waiting one); None without a role."""
    steps = [for_reviewer(facts, r) for r in REVIEWER_ROLES if r in roles]
    if Role.SECRETARIAT in roles:
        steps.append(for_secretariat(facts))
    acting = [s for s in steps if s.kind != Kind.WAIT]
    return next(iter(acting or steps), None)


@dataclass(frozen=True, slots=True)
class CycleWork:
    """A cycle as the ministry administrator's cycles page knows it: its status and how many of its evaluations wait
    for the final determination or for the announcement."""

    code: str
    status: str  # Cycle.Status: "draft", "open", "closed"
    final_verification: int = 0
    determined: int = 0


def for_ministry_admin(cycles: list[CycleWork]) -> NextStep | None:
    """On the cycles page: determine what waits for it, then announce, then open a prepared cycle; None otherwise."""
    waiting = next((c for c in cycles if c.final_verification), None)
    if waiting is not None:
        return NextStep(Kind.DETERMINE, "verification:queue", count=waiting.final_verification)
    ready = next((c for c in cycles if c.determined), None)
    if ready is not None:
        return NextStep(Kind.PUBLISH, "results:publication", (ready.code,), count=ready.determined)
    draft = next((c for c in cycles if c.status == "draft"), None)
    if draft is not None:
        return NextStep(Kind.OPEN_CYCLE, "evaluations:cycle_detail", (draft.code,), anchor="buka")
    return None
