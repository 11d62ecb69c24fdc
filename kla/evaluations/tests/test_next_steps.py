"""The next step of each persona (kla/evaluations/next_steps.py, pure): which step, how many, by when, and where."""

from __future__ import annotations

import datetime as dt

import pytest

from kla.accounts.roles import Role
from kla.evaluations.next_steps import (
    Facts,
    Kind,
    NextStep,
    OperatorWork,
    for_operator,
    for_reviewer,
    for_roles,
    for_secretariat,
)
from kla.evaluations.workflow import FieldRule, State, WorkflowConfig

DEADLINE = dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)


def facts(state: State, **kw: object) -> Facts:
    return Facts(evaluation_id=7, state=state, cycle_code="kla-2026", province_code="16", **kw)  # type: ignore[arg-type]


# --- the operator ---------------------------------------------------------------------------------------------


def test_operator_fills_the_unanswered_assigned_indicators() -> None:
    step = for_operator(OperatorWork(unanswered=3, first_unanswered_entry=41))
    assert step == NextStep(Kind.FILL, "evaluations:entry_detail", (41,), count=3)


def test_operator_corrects_returned_indicators_first_with_the_fix_deadline() -> None:
    work = OperatorWork(unanswered=3, first_unanswered_entry=41, returned=2, fix_deadline=DEADLINE,
                        first_returned_entry=43)  # fmt: skip
    step = for_operator(work)
    assert (step.kind, step.count, step.deadline, step.args) == (Kind.FIX_RETURNED, 2, DEADLINE, (43,))


def test_operator_with_everything_filled_waits() -> None:
    step = for_operator(OperatorWork())
    assert step.kind == Kind.WAIT and step.state is None


# --- the secretariat ------------------------------------------------------------------------------------------


def test_secretariat_assigns_then_completes_then_submits() -> None:
    assert for_secretariat(facts(State.DRAFT, unassigned=5, incomplete=9)).kind == Kind.ASSIGN
    step = for_secretariat(facts(State.DRAFT, incomplete=9))
    assert (step.kind, step.count, step.url_name, step.anchor) == (
        Kind.COMPLETE, 9, "evaluations:evaluation_detail", "indikator")  # fmt: skip
    step = for_secretariat(facts(State.DRAFT))
    assert (step.kind, step.args, step.anchor) == (Kind.SUBMIT, (7,), "kirim")


def test_secretariat_with_returned_indicators_fixes_them_before_the_fix_deadline() -> None:
    step = for_secretariat(facts(State.PROVINCE_REVIEW, returned=2, fix_deadline=DEADLINE, first_returned_entry=5))
    assert (step.kind, step.count, step.deadline) == (Kind.FIX_RETURNED, 2, DEADLINE)
    assert (step.url_name, step.args, step.anchor) == ("evaluations:evaluation_detail", (7,), "dikembalikan")
    one = for_secretariat(facts(State.PROVINCE_REVIEW, returned=1, first_returned_entry=5))
    assert (one.url_name, one.args) == ("evaluations:entry_detail", (5,))  # one indicator: straight to it


def test_secretariat_after_submission_waits_on_the_state() -> None:
    step = for_secretariat(facts(State.SUBMITTED))
    assert (step.kind, step.state) == (Kind.WAIT, State.SUBMITTED)


# --- the reviewers --------------------------------------------------------------------------------------------


def test_province_starts_the_review_of_a_submission() -> None:
    step = for_reviewer(facts(State.SUBMITTED), Role.PROVINCE_REVIEWER)
    assert (step.kind, step.url_name, step.args) == (Kind.START_REVIEW, "verification:evaluation", (7,))


def test_province_closes_a_submission_below_the_gate() -> None:
    assert for_reviewer(facts(State.SUBMITTED, below_gate=True), Role.PROVINCE_REVIEWER).kind == Kind.CLOSE_AT_GATE


def test_province_reviews_then_waits_for_fixes_then_proposes() -> None:
    reviewing = facts(State.PROVINCE_REVIEW, questions_to_review=120, questions_decided=100)
    step = for_reviewer(reviewing, Role.PROVINCE_REVIEWER)
    assert (step.kind, step.count) == (Kind.REVIEW, 20)
    marked = facts(State.PROVINCE_REVIEW, questions_to_review=120, questions_decided=120, questions_returned=2)
    assert for_reviewer(marked, Role.PROVINCE_REVIEWER).kind == Kind.SEND_BACK
    waiting = facts(State.PROVINCE_REVIEW, questions_to_review=120, questions_decided=120, returned=1,
                    fix_deadline=DEADLINE)  # fmt: skip
    step = for_reviewer(waiting, Role.PROVINCE_REVIEWER)
    assert (step.kind, step.count, step.deadline) == (Kind.AWAIT_FIXES, 1, DEADLINE)
    done = facts(State.PROVINCE_REVIEW, questions_to_review=120, questions_decided=120)
    step = for_reviewer(done, Role.PROVINCE_REVIEWER)
    assert (step.kind, step.url_name, step.args) == (Kind.PROPOSE, "verification:province", ("kla-2026", "16"))


def test_the_ministry_waits_while_the_province_reviews() -> None:
    step = for_reviewer(facts(State.PROVINCE_REVIEW), Role.MINISTRY_VERIFIER)
    assert (step.kind, step.state) == (Kind.WAIT, State.PROVINCE_REVIEW)


def test_ministry_verifier_starts_reviews_and_finishes() -> None:
    assert for_reviewer(facts(State.PROPOSED), Role.MINISTRY_VERIFIER).kind == Kind.START_REVIEW
    busy = facts(State.MINISTRY_REVIEW, questions_to_review=120, questions_decided=1)
    assert for_reviewer(busy, Role.MINISTRY_VERIFIER).kind == Kind.REVIEW
    done = facts(State.MINISTRY_REVIEW, questions_to_review=120, questions_decided=120)
    assert for_reviewer(done, Role.MINISTRY_VERIFIER).kind == Kind.FINISH_REVIEW


def test_without_province_review_the_ministry_applies_the_gate() -> None:
    config = WorkflowConfig(province_review=False, field_rule=FieldRule.NONE)
    step = for_reviewer(facts(State.SUBMITTED, config=config), Role.MINISTRY_VERIFIER)
    assert step.kind == Kind.START_REVIEW
    assert for_reviewer(facts(State.SUBMITTED, config=config), Role.PROVINCE_REVIEWER).kind == Kind.WAIT


def test_field_verifier_goes_to_the_field_plan() -> None:
    step = for_reviewer(facts(State.FIELD_VERIFICATION), Role.FIELD_VERIFIER)
    assert (step.kind, step.url_name, step.args) == (Kind.FIELD, "fieldvisits:plan", (7,))


def test_ministry_administrator_determines_then_publishes() -> None:
    assert for_reviewer(facts(State.FINAL_VERIFICATION), Role.MINISTRY_ADMIN).kind == Kind.DETERMINE
    step = for_reviewer(facts(State.DETERMINED), Role.MINISTRY_ADMIN)
    assert (step.kind, step.url_name, step.args) == (Kind.PUBLISH, "results:publication", ("kla-2026",))
    assert for_reviewer(facts(State.PUBLISHED), Role.MINISTRY_ADMIN).kind == Kind.WAIT


@pytest.mark.parametrize(
    ("roles", "kind"),
    [
        ({Role.MINISTRY_VERIFIER, Role.FIELD_VERIFIER}, Kind.FIELD),  # the acting role speaks
        ({Role.SECRETARIAT}, Kind.WAIT),
        (set(), None),
    ],
)
def test_for_roles_prefers_a_role_that_acts(roles: set[Role], kind: Kind | None) -> None:
    step = for_roles(facts(State.FIELD_VERIFICATION), roles)
    assert (step.kind if step else None) == kind


# --- the ministry administrator's cycles page ---------------------------------------------------------------------


def test_ministry_administrator_determines_then_announces_then_opens_a_prepared_cycle() -> None:
    from kla.evaluations.next_steps import CycleWork, for_ministry_admin

    draft = CycleWork("kla-2027", "draft")
    determined = CycleWork("kla-2026", "open", determined=12)
    final = CycleWork("kla-2025", "open", final_verification=3)
    step = for_ministry_admin([draft, determined, final])
    assert (step and step.kind, step and step.count, step and step.url_name) == (
        Kind.DETERMINE, 3, "verification:queue")  # fmt: skip
    step = for_ministry_admin([draft, determined])
    assert step == NextStep(Kind.PUBLISH, "results:publication", ("kla-2026",), count=12)
    assert for_ministry_admin([draft]) == NextStep(Kind.OPEN_CYCLE, "evaluations:cycle_detail", ("kla-2027",),
                                                   anchor="buka")  # fmt: skip
    assert for_ministry_admin([CycleWork("kla-2024", "closed")]) is None
