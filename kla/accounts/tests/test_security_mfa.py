"""The second sign-in step: province and ministry roles enrol an authenticator app, then type its code each time.

These tests use plain clients: the persona fixture's clients (`client_for`) carry the second-step mark, these do not.
"""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from kla.accounts import security, totp
from kla.accounts.models import LoginFailure, TotpDevice, User
from kla.accounts.roles import PRIVILEGED_ROLES, Role
from kla.accounts.services import token_create, user_create
from kla.accounts.views.landing import landing_url
from kla.core.models import AuditEvent
from kla.demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET
from kla.regions.models import Region

pytestmark = pytest.mark.django_db

IP = "203.0.113.9"
NEW_PASSWORD = "Jembatan-Ampera-Kokoh-41"


def login(client: Client, username: str, password: str = DEMO_PASSWORD, next_url: str = ""):  # type: ignore[no-untyped-def]
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=IP)


def current_code(secret: str, *, offset_steps: int = 0) -> str:
    return totp.code_at(secret, time.time() + offset_steps * totp.STEP_SECONDS)


def wrong_code(secret: str) -> str:
    right = {current_code(secret, offset_steps=d) for d in (-2, -1, 0, 1, 2)}
    return next(c for c in (f"{k:06d}" for k in range(10)) if c not in right)


def new_province_reviewer() -> User:
    return user_create(
        username="reviewer-baru",
        full_name="Reviewer Baru",
        email="reviewer.baru@example.go.id",
        password=NEW_PASSWORD,
        role=Role.PROVINCE_REVIEWER,
        region=Region.objects.get(code="16"),
        by=None,
    )


def test_the_privileged_roles_are_the_province_and_ministry_roles() -> None:
    assert {
        Role.PROVINCE_REVIEWER,
        Role.MINISTRY_VERIFIER,
        Role.FIELD_VERIFIER,
        Role.MINISTRY_ADMIN,
    } == PRIVILEGED_ROLES


def test_a_new_privileged_user_must_enrol_then_verify() -> None:
    user = new_province_reviewer()
    client = Client()
    response = login(client, "reviewer-baru", NEW_PASSWORD, next_url="/verifikasi/")
    assert response.status_code == 302
    assert response.url == reverse("accounts:login_code") + "?next=%2Fverifikasi%2F"
    # signed in with the password, but every page leads to the second step
    assert client.get(reverse("accounts:me")).url.startswith(reverse("accounts:login_code"))
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == reverse("accounts:totp_enrol") + "?next=%2Fverifikasi%2F"
    page = client.get(response.url)
    body = page.content.decode()
    device = TotpDevice.objects.get(user=user)
    assert device.confirmed_at is None
    assert totp.grouped(device.secret) in body and "otpauth://totp/Platform%20KLA%3Areviewer-baru" in body
    assert client.get(response.url).context["secret_grouped"] == totp.grouped(device.secret)  # stable on reload
    # a wrong code: refused, counted, audited
    response = client.post(reverse("accounts:totp_enrol"), {"code": wrong_code(device.secret)}, REMOTE_ADDR=IP)
    assert response.status_code == 200 and "Kode verifikasi salah" in response.content.decode()
    assert LoginFailure.objects.filter(username="reviewer-baru").count() == 1
    assert AuditEvent.objects.filter(action="kla.mfa.failed", object_label="reviewer-baru", actor=user).exists()
    # the right code: enrolled, the session marked, failures forgotten; the recovery codes are shown once, with the
    # way on to the page asked for
    response = client.post(
        reverse("accounts:totp_enrol"), {"code": current_code(device.secret), "next": "/verifikasi/"}, REMOTE_ADDR=IP
    )
    assert response.status_code == 200 and len(response.context["codes"]) == 10
    assert 'href="/verifikasi/"' in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed_at is not None and device.last_step is not None
    assert security.second_step_passed(client.session)
    assert not LoginFailure.objects.filter(username="reviewer-baru").exists()
    assert client.get(reverse("accounts:me")).status_code == 200
    actions = set(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert {"kla.auth.login", "kla.mfa.enrolled", "kla.mfa.verified"} <= actions
    # once confirmed, the secret is never shown again
    assert client.get(reverse("accounts:totp_enrol")).status_code == 302
    other = Client()
    login(other, "reviewer-baru", NEW_PASSWORD)
    response = other.get(reverse("accounts:totp_enrol"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login_code"))


def test_a_demo_privileged_user_types_the_code_and_a_code_works_only_once() -> None:
    client = Client()
    response = login(client, "prov-sumsel", next_url="/verifikasi/")
    assert response.url == reverse("accounts:login_code") + "?next=%2Fverifikasi%2F"
    page = client.get(response.url)
    assert page.status_code == 200 and "Kode verifikasi" in page.content.decode()
    code = current_code(DEMO_TOTP_SECRET)
    response = client.post(reverse("accounts:login_code"), {"code": code, "next": "/verifikasi/"}, REMOTE_ADDR=IP)
    assert response.status_code == 302 and response.url == "/verifikasi/"
    assert client.get("/verifikasi/").status_code == 200
    # the same code in another session (an eavesdropper replaying it) is refused and counted
    thief = Client()
    login(thief, "prov-sumsel")
    response = thief.post(reverse("accounts:login_code"), {"code": code}, REMOTE_ADDR=IP)
    assert response.status_code == 200 and "sudah dipakai" in response.content.decode()
    assert not security.second_step_passed(thief.session)
    assert thief.get(reverse("accounts:me")).status_code == 302
    assert AuditEvent.objects.filter(action="kla.mfa.failed", object_label="prov-sumsel").count() == 1
    # the next step's code still works (apps and servers drift by a step)
    response = thief.post(reverse("accounts:login_code"), {"code": current_code(DEMO_TOTP_SECRET, offset_steps=1)})
    assert response.status_code == 302


def test_the_session_key_changes_when_the_second_step_is_passed() -> None:
    client = Client()
    login(client, "kemen-admin")
    before = client.session.session_key
    client.post(reverse("accounts:login_code"), {"code": current_code(DEMO_TOTP_SECRET)})
    assert client.session.session_key != before and security.second_step_passed(client.session)


def test_the_next_page_stays_on_this_site() -> None:
    client = Client()
    login(client, "kemen-admin", next_url="https://evil.example/")
    response = client.post(
        reverse("accounts:login_code"), {"code": current_code(DEMO_TOTP_SECRET), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == reverse("evaluations:cycles")  # the admin's landing page


@pytest.mark.parametrize("username", ["opd-palembang", "gt-palembang", "tanpa-peran"])
def test_operators_and_secretariats_are_not_asked_for_a_code(username: str) -> None:
    client = Client()
    response = login(client, username)
    landing = landing_url(User.objects.get(username=username))  # their work (kla/accounts/tests/test_landing.py)
    assert response.status_code == 302 and response.url == landing
    assert client.get(reverse("accounts:me")).status_code == 200
    # the code pages send them on
    assert client.get(reverse("accounts:login_code")).url == landing
    assert client.get(reverse("accounts:totp_enrol")).url == landing
    assert not TotpDevice.objects.filter(user__username=username).exists()


def test_the_second_step_can_be_switched_off(settings) -> None:
    settings.KLA_TOTP_REQUIRED = False
    client = Client()
    assert login(client, "kemen-verifikator").url == reverse("verification:queue")
    assert client.get(reverse("accounts:me")).status_code == 200


# --- without the mark, nothing but the second step --------------------------------------------------------------


@pytest.fixture
def half_signed_in() -> Client:
    """A province reviewer past the password (force_login), WITHOUT the second-step mark."""
    client = Client()
    client.force_login(User.objects.get(username="prov-sumsel"))
    assert not security.second_step_passed(client.session)
    return client


@pytest.mark.parametrize(
    "path",
    ["/akun/", "/verifikasi/", "/evaluasi/", "/pengguna/", "/akun/sandi/", "/wilayah/", "/", "/akun/masuk/"],
)
def test_without_the_mark_every_page_redirects_to_the_second_step(half_signed_in: Client, path: str) -> None:
    response = half_signed_in.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login_code") + "?next=")


def test_without_the_mark_a_post_is_not_carried_out(half_signed_in: Client) -> None:
    response = half_signed_in.post(reverse("accounts:token_create"), {"name": "curian"})
    assert response.status_code == 302 and response.url == reverse("accounts:login_code")
    assert not User.objects.get(username="prov-sumsel").api_tokens.exists()


def test_without_the_mark_htmx_gets_hx_redirect(half_signed_in: Client) -> None:
    response = half_signed_in.get(
        "/wilayah/?q=lubuk", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/wilayah/"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("accounts:login_code") + "?next=%2Fwilayah%2F"


def test_without_the_mark_the_api_session_gets_401_json(half_signed_in: Client) -> None:
    for path in ("/api/v1/me", "/api/v1/evaluations/", "/api/v1/regions/"):
        response = half_signed_in.get(path)
        assert response.status_code == 401, path
        assert response["Content-Type"].startswith("application/json")
        assert "verifikasi dua langkah" in response.json()["detail"]


def test_a_bearer_token_is_a_separate_credential(half_signed_in: Client) -> None:
    _token, plain = token_create(user=User.objects.get(username="prov-sumsel"), name="integrasi", by=None)
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200 and response.json()["username"] == "prov-sumsel"
    response = half_signed_in.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200


def test_without_the_mark_signing_out_health_and_language_stay_open(half_signed_in: Client) -> None:
    assert half_signed_in.get(reverse("site:healthz")).status_code == 200
    assert half_signed_in.get(reverse("site:readyz")).status_code == 200
    assert half_signed_in.get(reverse("accounts:login_code")).status_code == 200
    response = half_signed_in.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert half_signed_in.get("/static/css/kla.css").status_code != 302
    assert half_signed_in.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in half_signed_in.session


def test_the_persona_fixture_marks_privileged_sessions(client_for) -> None:
    assert security.second_step_passed(client_for("ministry_admin").session)
    assert client_for("province").get(reverse("accounts:me")).status_code == 200
    assert not security.second_step_passed(client_for("opd").session)  # not needed, not set


def test_a_new_password_sign_in_needs_the_code_again() -> None:
    client = Client()
    login(client, "kemen-lapangan")
    client.post(reverse("accounts:login_code"), {"code": current_code(DEMO_TOTP_SECRET)})
    assert security.second_step_passed(client.session)
    client.post(reverse("accounts:logout"))
    login(client, "kemen-lapangan")
    assert not security.second_step_passed(client.session)
    assert client.get(reverse("accounts:me")).status_code == 302


def test_a_role_granted_during_a_session_asks_for_the_second_step_at_once(client_for) -> None:
    from kla.accounts.services import membership_grant

    client = client_for("secretariat")
    assert client.get(reverse("accounts:me")).status_code == 200
    membership_grant(
        user=User.objects.get(username="gt-palembang"),
        role=Role.PROVINCE_REVIEWER,
        region=Region.objects.get(code="16"),
        by=None,
    )
    response = client.get(reverse("accounts:me"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login_code"))
    response = client.get(response.url)
    assert response.url.startswith(reverse("accounts:totp_enrol"))  # no app yet: enrol


# --- wrong codes are failures like wrong passwords --------------------------------------------------------------


def test_wrong_codes_lock_the_account_and_a_known_password_does_not_reset_the_count() -> None:
    client = Client()
    login(client, "kemen-verifikator")
    bad = wrong_code(DEMO_TOTP_SECRET)
    for _ in range(5):
        response = client.post(reverse("accounts:login_code"), {"code": bad}, REMOTE_ADDR=IP)
        assert response.status_code == 200
    # signing in again with the (known) password does not clear the count of wrong codes
    client.post(reverse("accounts:logout"))
    assert login(client, "kemen-verifikator").status_code == 302
    for _ in range(4):
        assert client.post(reverse("accounts:login_code"), {"code": bad}, REMOTE_ADDR=IP).status_code == 200
    response = client.post(reverse("accounts:login_code"), {"code": bad}, REMOTE_ADDR=IP)  # the 10th
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="kla.mfa.failed", object_label="kemen-verifikator").count() == 10
    assert AuditEvent.objects.filter(action="kla.login.locked", object_label="kemen-verifikator").count() == 1
    # now even the right password and the right code are refused without being checked
    with mock.patch("django.contrib.auth.forms.authenticate") as authenticate:
        response = login(Client(), "kemen-verifikator")
    authenticate.assert_not_called()
    assert "Terlalu banyak percobaan" in response.content.decode()


def test_a_lock_that_starts_elsewhere_also_stops_the_code_step() -> None:
    client = Client()
    login(client, "kemen-admin")
    for n in range(10):
        login(Client(), "kemen-admin", f"salah-{n}")  # someone else hammers the account meanwhile
    response = client.post(reverse("accounts:login_code"), {"code": current_code(DEMO_TOTP_SECRET)}, REMOTE_ADDR=IP)
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert TotpDevice.objects.get(user__username="kemen-admin").last_step is None  # the code was not even checked


# --- recovery: a ministry administrator resets the app ----------------------------------------------------------


def test_a_ministry_admin_resets_a_lost_app_and_the_user_enrols_again(client_for) -> None:
    target = User.objects.get(username="prov-sumsel")
    admin = client_for("ministry_admin")
    page = admin.get(reverse("accounts:user_detail", kwargs={"pk": target.pk})).content.decode()
    assert "Aplikasi autentikator terdaftar sejak" in page and "Atur ulang aplikasi autentikator" in page
    response = admin.post(reverse("accounts:totp_reset", kwargs={"pk": target.pk}), follow=True)
    assert "diatur ulang" in response.content.decode()
    assert not TotpDevice.objects.filter(user=target).exists()
    event = AuditEvent.objects.get(action="kla.mfa.reset")
    assert event.actor.username == "kemen-admin" and event.object_id == str(target.pk)
    client = Client()
    login(client, "prov-sumsel")
    assert client.get(reverse("accounts:login_code")).url.startswith(reverse("accounts:totp_enrol"))
    # nothing left to reset
    response = admin.post(reverse("accounts:totp_reset", kwargs={"pk": target.pk}), follow=True)
    assert "belum mendaftarkan" in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("province", 403), ("secretariat", 403), ("other_secretariat", 404)])
def test_only_a_ministry_admin_may_reset(client_for, persona: str, status: int) -> None:
    target = User.objects.get(username="opd-palembang")
    TotpDevice.objects.create(user=target, secret=totp.new_secret())
    response = client_for(persona).post(reverse("accounts:totp_reset", kwargs={"pk": target.pk}))
    assert response.status_code == status
    assert TotpDevice.objects.filter(user=target).exists()


def test_an_admin_cannot_reset_their_own_app(client_for) -> None:
    me = User.objects.get(username="kemen-admin")
    response = client_for("ministry_admin").post(reverse("accounts:totp_reset", kwargs={"pk": me.pk}))
    assert response.status_code == 403 and TotpDevice.objects.filter(user=me).exists()


def test_demo_privileged_users_have_a_confirmed_demo_device() -> None:
    devices = TotpDevice.objects.filter(confirmed_at__isnull=False).select_related("user")
    assert {d.user.username for d in devices} >= {
        "prov-sumsel",
        "kemen-verifikator",
        "kemen-lapangan",
        "kemen-admin",
        "kemen-admin2",
    }
    assert all(d.secret == DEMO_TOTP_SECRET for d in devices)
    assert not TotpDevice.objects.filter(user__username__in=["opd-palembang", "gt-palembang"]).exists()
