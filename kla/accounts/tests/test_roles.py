"""Who may grant what: pure rules, no database."""

from __future__ import annotations

import pytest

from kla.accounts.roles import Action, Grant, Role, allows, can_grant, covers, grantable_roles, shape_problem

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


def test_a_membership_whose_agency_is_of_another_region_is_refused_in_so_many_words() -> None:
    assert shape_problem(Grant(Role.OPD_OPERATOR, "16.71", "16.73")) == (
        "Instansi yang dipilih bukan instansi wilayah tersebut."
    )


def test_scope_covers_the_subtree_and_only_national_holders_cover_the_nation() -> None:
    assert covers(ADMIN, None) and covers(ADMIN, "16.71")
    assert covers(PROVINCE, "16.71.01") and covers(PROVINCE, "16")
    assert not covers(PROVINCE, "17.71")
    assert not covers(PROVINCE, None)  # a province reviewer does not act on national objects


@pytest.mark.parametrize(
    ("held", "action", "region", "allowed"),
    [
        ([OPERATOR], Action.ENTRY_ANSWER, "16.71", True),
        ([OPERATOR], Action.ENTRY_ANSWER, "16.73", False),  # the neighbour city
        ([OPERATOR], Action.EVALUATION_SUBMIT, "16.71", False),  # the secretariat submits
        ([OPERATOR, SECRETARIAT], Action.EVALUATION_SUBMIT, "16.71", True),
        ([SECRETARIAT], Action.EVALUATION_VIEW, None, False),  # nothing national for a kab/kota role
        ([PROVINCE], Action.EVALUATION_VIEW, "16.71", True),
        ([PROVINCE], Action.EVALUATION_ASSIGN, "16.71", False),
        ([VERIFIER], Action.EVALUATION_VIEW, "91.01", True),
        ([VERIFIER], Action.CYCLE_MANAGE, None, False),
        ([ADMIN], Action.CYCLE_MANAGE, None, True),
        ([], Action.EVALUATION_VIEW, "16.71", False),
    ],
)
def test_allows_needs_the_role_and_the_scope_in_one_membership(
    held: list[Grant], action: Action, region: str | None, allowed: bool
) -> None:
    assert allows(held, action, region) is allowed


def test_role_and_scope_must_come_from_the_same_membership() -> None:
    # an operator of 16.71 who is also secretariat of 16.73 may not submit 16.71's evaluation
    held = [OPERATOR, Grant(Role.SECRETARIAT, "16.73")]
    assert not allows(held, Action.EVALUATION_SUBMIT, "16.71")
    assert allows(held, Action.EVALUATION_SUBMIT, "16.73")
