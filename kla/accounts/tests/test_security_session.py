"""Session timeouts by role (idle and absolute), and the deployment checklist with the new settings."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from kla.accounts import security
from kla.accounts.models import User
from kla.accounts.services import token_create
from kla.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
ME = "/akun/"


def backdate(client: Client, **seconds_ago: int) -> None:
    """Move the session's clocks into the past: login=…, seen=… seconds ago."""
    session = client.session
    now = int(time.time())
    if "login" in seconds_ago:
        session[security.SESSION_LOGIN_AT] = now - seconds_ago["login"]
    if "seen" in seconds_ago:
        session[security.SESSION_SEEN_AT] = now - seconds_ago["seen"]
    session.save()


def expired_to_login(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


MINUTE = 60
HOUR = 3600


def test_sign_in_starts_both_clocks(client_for) -> None:
    session = client_for("opd").session
    now = time.time()
    assert abs(session[security.SESSION_LOGIN_AT] - now) < 5 and abs(session[security.SESSION_SEEN_AT] - now) < 5


@pytest.mark.parametrize(
    ("persona", "idle_minutes"), [("province", 30), ("ministry_admin", 30), ("opd", 120), ("secretariat", 120)]
)
def test_idle_timeout_by_role(client_for, persona: str, idle_minutes: int) -> None:
    fine = client_for(persona)
    backdate(fine, seen=idle_minutes * MINUTE - 30)
    assert fine.get(ME).status_code == 200
    client = client_for(persona)
    backdate(client, seen=idle_minutes * MINUTE + 30)
    response = client.get(ME)
    assert expired_to_login(response) and response.url.endswith("?next=%2Fakun%2F")
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert f"Sesi Anda berakhir karena tidak aktif selama {idle_minutes} menit; silakan masuk lagi." in page
    event = AuditEvent.objects.filter(action="kla.session.expired").latest("pk")
    assert event.after["reason"] == "idle" and event.after["idle_minutes"] == idle_minutes
    assert event.actor is not None and event.object_id == str(event.actor.pk)


@pytest.mark.parametrize(("persona", "hours"), [("field_verifier", 12), ("ministry_verifier", 12), ("opd", 24)])
def test_absolute_timeout_by_role(client_for, persona: str, hours: int) -> None:
    fine = client_for(persona)
    backdate(fine, login=hours * HOUR - MINUTE, seen=0)
    assert fine.get(ME).status_code == 200
    client = client_for(persona)
    backdate(client, login=hours * HOUR + MINUTE, seen=0)  # active a moment ago, but signed in too long
    response = client.get(ME)
    assert expired_to_login(response)
    page = client.get(response.url).content.decode()
    assert f"Sesi Anda berakhir karena sudah berlangsung {hours} jam; silakan masuk lagi." in page
    event = AuditEvent.objects.filter(action="kla.session.expired").latest("pk")
    assert event.after["reason"] == "absolute" and event.after["absolute_hours"] == hours


def test_limits_come_from_settings(client_for, settings) -> None:
    settings.KLA_SESSION_IDLE_MINUTES = 5
    client = client_for("opd")
    backdate(client, seen=6 * MINUTE)
    assert expired_to_login(client.get(ME))


def test_activity_is_written_at_most_once_a_minute(client_for) -> None:
    client = client_for("opd")
    backdate(client, seen=30)
    before = client.session[security.SESSION_SEEN_AT]
    assert client.get(ME).status_code == 200
    assert client.session[security.SESSION_SEEN_AT] == before
    backdate(client, seen=90)
    assert client.get(ME).status_code == 200
    assert abs(client.session[security.SESSION_SEEN_AT] - time.time()) < 5


def test_activity_keeps_a_session_alive(client_for) -> None:
    client = client_for("province")
    backdate(client, seen=25 * MINUTE)
    assert client.get(ME).status_code == 200  # refreshes the activity
    session = client.session
    session[security.SESSION_SEEN_AT] -= 10 * MINUTE  # 10 more minutes pass: 35 since the first request
    session.save()
    assert client.get(ME).status_code == 200


def test_an_expired_htmx_request_gets_hx_redirect(client_for) -> None:
    client = client_for("province")
    backdate(client, seen=31 * MINUTE)
    response = client.get("/wilayah/?q=lubuk", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_an_expired_api_session_gets_401_json(client_for) -> None:
    client = client_for("ministry_verifier")
    backdate(client, seen=31 * MINUTE)
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and "tidak aktif selama 30 menit" in response.json()["detail"]
    assert "_auth_user_id" not in client.session


def test_a_bearer_token_has_no_session_to_expire(client_for) -> None:
    _token, plain = token_create(user=User.objects.get(username="kemen-admin"), name="integrasi", by=None)
    client = client_for("ministry_admin")
    backdate(client, seen=31 * MINUTE)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200 and response.json()["username"] == "kemen-admin"


def test_a_session_without_clocks_starts_counting_now(client_for) -> None:
    """Sessions opened before this rule existed are not thrown out at deployment; they get clocks."""
    client = client_for("opd")
    session = client.session
    del session[security.SESSION_LOGIN_AT]
    del session[security.SESSION_SEEN_AT]
    session.save()
    assert client.get(ME).status_code == 200
    assert security.SESSION_LOGIN_AT in client.session


def test_anonymous_visitors_are_not_affected(client) -> None:
    assert client.get("/").status_code == 200


# --- the deployment checklist -----------------------------------------------------------------------------------

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 60 + "-production-secret-for-the-check-only-8d7f6a5e",
    "ALLOWED_HOSTS": "kla.example.go.id",
    "EMAIL_HOST": "smtp.example.go.id",
    "CLAMD_ADDRESS": "/run/clamav/clamd.ctl",
}


def _check_deploy(**env_overrides: str) -> subprocess.CompletedProcess[str]:
    drop = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_HOST", "CLAMD_ADDRESS"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLA_") and k not in drop}
    env.update(PRODUCTION, **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_security_settings() -> None:
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_the_second_step_is_switched_off() -> None:
    result = _check_deploy(KLA_TOTP_REQUIRED="0")
    assert result.returncode != 0 and "kla.W101" in result.stdout + result.stderr
