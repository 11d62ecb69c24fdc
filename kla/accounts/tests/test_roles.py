"""Who may grant what: pure rules, no database."""

from __future__ import annotations

import pytest

from kla.accounts.roles import Grant, Role, can_grant, grantable_roles, shape_problem

ADMIN = Grant(Role.MINISTRY_ADMIN, None)
PROVINCE = Grant(Role.PROVINCE_REVIEWER, "16")
SECRETARIAT = Grant(Role.SECRETARIAT, "16.71")
OPERATOR = Grant(Role.OPD_OPERATOR, "16.71", "16.71")
VERIFIER = Grant(Role.MINISTRY_VERIFIER, None)


@pytest.mark.parametrize(
    ("held", "wanted", "allowed"),
    [
        (ADMIN, Grant(Role.MINISTRY_ADMIN, None), True),
        (ADMIN, Grant(Role.PROVINCE_REVIEWER, "31"), True),
        (ADMIN, Grant(Role.OPD_OPERATOR, "16.71", "16.71"), True),
        (PROVINCE, Grant(Role.SECRETARIAT, "16.73"), True),
        (PROVINCE, Grant(Role.OPD_OPERATOR, "16.71", "16.71"), True),
        (PROVINCE, Grant(Role.PROVINCE_REVIEWER, "16"), True),
        (PROVINCE, Grant(Role.SECRETARIAT, "17.71"), False),  # another province
        (PROVINCE, Grant(Role.PROVINCE_REVIEWER, "17"), False),
        (PROVINCE, Grant(Role.MINISTRY_VERIFIER, None), False),  # national role from a province
        (SECRETARIAT, Grant(Role.OPD_OPERATOR, "16.71", "16.71"), True),
        (SECRETARIAT, Grant(Role.SECRETARIAT, "16.71"), True),
        (SECRETARIAT, Grant(Role.OPD_OPERATOR, "16.73", "16.73"), False),  # neighbour city
        (SECRETARIAT, Grant(Role.PROVINCE_REVIEWER, "16"), False),  # more than they hold
        (OPERATOR, Grant(Role.OPD_OPERATOR, "16.71", "16.71"), False),
        (VERIFIER, Grant(Role.FIELD_VERIFIER, None), False),
    ],
)
def test_nobody_grants_more_than_they_hold(held: Grant, wanted: Grant, allowed: bool) -> None:
    assert can_grant([held], wanted) is allowed


@pytest.mark.parametrize(
    ("grant", "problem"),
    [
        (Grant(Role.SECRETARIAT, "16"), "tingkat kabupaten/kota"),
        (Grant(Role.PROVINCE_REVIEWER, "16.71"), "tingkat provinsi"),
        (Grant(Role.MINISTRY_ADMIN, "16"), "nasional"),
        (Grant(Role.OPD_OPERATOR, "16.71"), "harus memilih instansi"),
        (Grant(Role.OPD_OPERATOR, "16.71", "16.73"), "bukan instansi wilayah tersebut"),
        (Grant(Role.SECRETARIAT, "16.71", "16.71"), "tidak terikat pada instansi"),
        (Grant(Role.SECRETARIAT, None), "harus terikat"),
    ],
)
def test_malformed_memberships_are_explained(grant: Grant, problem: str) -> None:
    message = shape_problem(grant)
    assert message is not None and problem in message
    assert not can_grant([ADMIN], grant)


def test_grantable_roles_union_over_memberships() -> None:
    assert grantable_roles([OPERATOR]) == []
    assert grantable_roles([SECRETARIAT, OPERATOR]) == [Role.OPD_OPERATOR, Role.SECRETARIAT]
    assert set(grantable_roles([ADMIN])) == set(Role)
