"""The RAD KLA actions of the role table (kla.accounts.roles): who reads, who draws up, who records realisation."""

from __future__ import annotations

from kla.accounts.roles import ALLOWED, Action, Grant, Role, allows

PALEMBANG, LUBUKLINGGAU, SUMSEL = "16.71", "16.73", "16"


def test_everyone_with_a_role_reads_the_plans_of_their_scope() -> None:
    assert allows([Grant(Role.OPD_OPERATOR, PALEMBANG, PALEMBANG)], Action.RAD_VIEW, PALEMBANG)
    assert allows([Grant(Role.SECRETARIAT, PALEMBANG)], Action.RAD_VIEW, PALEMBANG)
    assert allows([Grant(Role.PROVINCE_REVIEWER, SUMSEL)], Action.RAD_VIEW, PALEMBANG)
    assert allows([Grant(Role.MINISTRY_VERIFIER, None)], Action.RAD_VIEW, PALEMBANG)
    assert allows([Grant(Role.MINISTRY_ADMIN, None)], Action.RAD_VIEW, PALEMBANG)
    assert not allows([Grant(Role.SECRETARIAT, LUBUKLINGGAU)], Action.RAD_VIEW, PALEMBANG)
    assert not allows([Grant(Role.PROVINCE_REVIEWER, "17")], Action.RAD_VIEW, PALEMBANG)


def test_the_secretariat_and_the_province_draw_up_plans() -> None:
    assert ALLOWED[Action.RAD_MANAGE] == {Role.SECRETARIAT, Role.PROVINCE_REVIEWER}
    assert not allows([Grant(Role.OPD_OPERATOR, PALEMBANG, PALEMBANG)], Action.RAD_MANAGE, PALEMBANG)
    assert not allows([Grant(Role.MINISTRY_ADMIN, None)], Action.RAD_MANAGE, PALEMBANG)


def test_operators_and_managers_record_realisation_the_ministry_does_not() -> None:
    assert ALLOWED[Action.RAD_REALISE] == {Role.OPD_OPERATOR, Role.SECRETARIAT, Role.PROVINCE_REVIEWER}
    assert allows([Grant(Role.OPD_OPERATOR, PALEMBANG, PALEMBANG)], Action.RAD_REALISE, PALEMBANG)
    assert not allows([Grant(Role.OPD_OPERATOR, LUBUKLINGGAU, LUBUKLINGGAU)], Action.RAD_REALISE, PALEMBANG)
    assert not allows([Grant(Role.MINISTRY_VERIFIER, None)], Action.RAD_REALISE, PALEMBANG)
    assert not allows([Grant(Role.FIELD_VERIFIER, None)], Action.RAD_REALISE, PALEMBANG)
