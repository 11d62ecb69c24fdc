from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from kla.accounts.models import Membership, User
from kla.agencies.models import Agency
from kla.demo.data import DEMO_USERS, PALEMBANG_AGENCIES
from kla.demo.services import demo_seed

pytestmark = pytest.mark.django_db


def test_demo_data_has_palembang_task_force_and_one_user_per_persona() -> None:
    kinds = set(Agency.objects.filter(region_id="16.71").values_list("kind", flat=True))
    assert kinds == set(PALEMBANG_AGENCIES)
    assert {"KEJAKSAAN", "BAPAS", "PN", "PA"} <= kinds
    assert "KEMENKUMHAM" not in kinds  # a provincial body: the task force seed registers it at the province
    roles = set(Membership.objects.active().values_list("role", flat=True))
    assert roles == {
        "opd_operator",
        "secretariat",
        "province_reviewer",
        "ministry_verifier",
        "field_verifier",
        "ministry_admin",
    }
    assert User.objects.filter(username__in=[u.username for u in DEMO_USERS]).count() == len(DEMO_USERS)


def test_seeding_twice_changes_nothing() -> None:
    counts = (User.objects.count(), Membership.objects.count(), Agency.objects.count())
    report = demo_seed()
    assert report.created_users == [] and report.created_agencies == 0
    assert (User.objects.count(), Membership.objects.count(), Agency.objects.count()) == counts


def test_command_prints_the_logins(settings, tmp_path) -> None:
    settings.DEBUG, settings.MEDIA_ROOT = True, tmp_path
    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())  # the task force, not in the shared data
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "sudah ada" in text and "sandi-demo-2026" in text
    for user in DEMO_USERS:
        assert user.username in text


def test_command_refuses_production_without_force(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="hanya untuk pengembangan"):
        call_command("seed_demo")


def test_create_api_token_command_prints_a_working_token(client) -> None:
    out = io.StringIO()
    call_command("create_api_token", "prov-sumsel", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("kla_")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["username"] == "prov-sumsel"
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("create_api_token", "siapa-ini")


def test_grant_role_command_bootstraps_the_first_administrator() -> None:
    user = User.objects.create_user(username="admin-pertama", password="Burung-Merak-Terbang-17")
    out = io.StringIO()
    call_command("grant_role", "admin-pertama", "ministry_admin", stdout=out)
    assert "Administrator Kementerian" in out.getvalue()
    assert user.memberships.get().role == "ministry_admin"
    with pytest.raises(CommandError, match="nasional"):
        call_command("grant_role", "admin-pertama", "ministry_verifier", "--region", "16")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("grant_role", "admin-pertama", "secretariat", "--region", "99.99")
