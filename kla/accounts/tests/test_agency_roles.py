"""Who may read and manage a region's agencies, from the role table alone (pure: no database)."""

from __future__ import annotations

import pytest

from kla.accounts.roles import Action, Grant, Role, allows

SECRETARIAT = Grant(Role.SECRETARIAT, "16.71")
OPERATOR = Grant(Role.OPD_OPERATOR, "16.71", "16.71")
PROVINCE = Grant(Role.PROVINCE_REVIEWER, "16")
ADMIN = Grant(Role.MINISTRY_ADMIN, None)
VERIFIER = Grant(Role.MINISTRY_VERIFIER, None)


@pytest.mark.parametrize(
    ("holder", "region", "view", "manage"),
    [
        (SECRETARIAT, "16.71", True, True),  # its own kab/kota
        (SECRETARIAT, "16.73", False, False),  # another kab/kota of the province
        (SECRETARIAT, "16", False, False),  # not the province's own bodies
        (OPERATOR, "16.71", True, False),
        (PROVINCE, "16", True, True),  # the province's own bodies
        (PROVINCE, "16.71", True, True),  # its kab/kota
        (PROVINCE, "15.71", False, False),  # another province's kab/kota
        (ADMIN, "15.71", True, True),
        (ADMIN, "16", True, True),
        (VERIFIER, "16.71", True, False),  # the ministry's verifiers read only
        (Grant(Role.FIELD_VERIFIER, None), "16.71", True, False),
    ],
)
def test_agency_view_and_manage(holder: Grant, region: str, view: bool, manage: bool) -> None:
    assert allows([holder], Action.AGENCY_VIEW, region) is view
    assert allows([holder], Action.AGENCY_MANAGE, region) is manage


def test_nobody_without_a_membership() -> None:
    assert not allows([], Action.AGENCY_VIEW, "16.71")
    assert not allows([], Action.AGENCY_MANAGE, "16.71")
