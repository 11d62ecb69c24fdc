"""Which review is open in which workflow state, the step that closes it, who reviews it and the score it produces."""

from __future__ import annotations

from kla.accounts.roles import Role
from kla.evaluations.seal import ScoreStage
from kla.evaluations.workflow import State, Step, WorkflowConfig, transition
from kla.verification.models import Verdict

# The review stage open in each workflow state, the step that closes it, and the score it produces.
REVIEW_STAGE: dict[State, Verdict.Stage] = {
    State.PROVINCE_REVIEW: Verdict.Stage.PROVINCE,
    State.MINISTRY_REVIEW: Verdict.Stage.MINISTRY,
    State.FIELD_VERIFICATION: Verdict.Stage.FIELD,
}
CLOSING_STEP: dict[Verdict.Stage, Step] = {
    Verdict.Stage.PROVINCE: Step.PROPOSE,
    Verdict.Stage.MINISTRY: Step.SKIP_FIELD,
    Verdict.Stage.FIELD: Step.FINISH_FIELD,
}
SCORE_OF: dict[Verdict.Stage, ScoreStage] = {
    Verdict.Stage.PROVINCE: ScoreStage.PROVINCE_VA,
    Verdict.Stage.MINISTRY: ScoreStage.MINISTRY_VA,
    Verdict.Stage.FIELD: ScoreStage.VL,
}


def reviewer_role(config: WorkflowConfig, stage: Verdict.Stage) -> Role:
    """The role that decides a stage's verdicts: the actor of the step that closes it in the cycle's workflow."""
    found = transition(config, CLOSING_STEP[stage])
    return found.actor if found is not None else Role.MINISTRY_VERIFIER
