"""Writes of the self-assessment, one module per subject; each write is atomic and audited.

- `cycles`: creating a cycle and opening it (`cycle_create`, `cycle_open`).
- `writability`: whether an entry's answers and evidence may change now, and by whom (`require_can_change_entry`,
  `lock_entry_for_change`, `EvaluationClosed`), the one rule answers and evidence both check.
- `assignments`: which agencies answer which entry (`assignment_set`, `assignments_auto`).
- `answers`: saving one answer (`answer_save`, `AnswerConflict`).
- `submission`: submitting the self-assessment (`evaluation_submit`), what blocks it whatever is acknowledged
  (`submission_blockers`: unexplained warnings and the blockers apps above register) and the checks they register.
- `reminders`: reminding an agency's operators (`reminder_send`).

The names below are the ones callers use (`from kla.evaluations.services import answer_save`).
"""

from __future__ import annotations

from kla.evaluations.services.answers import AnswerConflict, SaveResult, answer_save
from kla.evaluations.services.assignments import assignment_set, assignments_auto
from kla.evaluations.services.cycles import cycle_create, cycle_open
from kla.evaluations.services.reminders import reminder_send
from kla.evaluations.services.submission import (
    evaluation_submit,
    register_blocker,
    register_missing_items,
    submission_blockers,
    unexplained_warnings,
)
from kla.evaluations.services.writability import (
    EvaluationClosed,
    check_self_assessment_open,
    deadline_of,
    entry_closed,
    lock_entry_for_change,
    require_can_change_entry,
    self_assessment_closed,
)

__all__ = [
    "AnswerConflict",
    "EvaluationClosed",
    "SaveResult",
    "answer_save",
    "assignment_set",
    "assignments_auto",
    "check_self_assessment_open",
    "cycle_create",
    "cycle_open",
    "deadline_of",
    "entry_closed",
    "evaluation_submit",
    "lock_entry_for_change",
    "register_blocker",
    "register_missing_items",
    "reminder_send",
    "require_can_change_entry",
    "self_assessment_closed",
    "submission_blockers",
    "unexplained_warnings",
]
