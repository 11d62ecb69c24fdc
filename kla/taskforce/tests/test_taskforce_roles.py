"""The task-force actions of the role table (kla.accounts.roles): who reads, who manages."""

from __future__ import annotations

from kla.accounts.roles import ALLOWED, Action, Grant, Role, allows

PALEMBANG, SUMSEL = "16.71", "16"


def test_everyone_with_a_role_reads_the_task_force_of_their_scope() -> None:
    assert allows([Grant(Role.OPD_OPERATOR, PALEMBANG, PALEMBANG)], Action.TASKFORCE_VIEW, PALEMBANG)
    assert allows([Grant(Role.PROVINCE_REVIEWER, SUMSEL)], Action.TASKFORCE_VIEW, PALEMBANG)
    assert allows([Grant(Role.MINISTRY_VERIFIER, None)], Action.TASKFORCE_VIEW, PALEMBANG)
    assert not allows([Grant(Role.SECRETARIAT, "16.73")], Action.TASKFORCE_VIEW, PALEMBANG)


def test_only_the_secretariat_and_the_province_manage() -> None:
    assert ALLOWED[Action.TASKFORCE_MANAGE] == {Role.SECRETARIAT, Role.PROVINCE_REVIEWER}
    assert not allows([Grant(Role.OPD_OPERATOR, PALEMBANG, PALEMBANG)], Action.TASKFORCE_MANAGE, PALEMBANG)
    assert not allows([Grant(Role.MINISTRY_ADMIN, None)], Action.TASKFORCE_MANAGE, PALEMBANG)
