"""The enrolment page's QR code (inline SVG the CSP allows) and the one-time recovery codes, through real HTTP.

Plain clients sign in with the password and the code like a person does; the persona fixture's clients
(`client_for`) already carry the second-step mark.
"""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from kla.accounts import recovery, recovery_codes, totp
from kla.accounts.models import LoginFailure, RecoveryCode, TotpDevice, User
from kla.accounts.roles import Role
from kla.accounts.services import user_create
from kla.core.models import AuditEvent
from kla.demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET
from kla.regions.models import Region

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
NEW_PASSWORD = "Jembatan-Ampera-Kokoh-41"
CODE_RE = re.compile(r"<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>")


def login(client: Client, username: str, password: str = DEMO_PASSWORD, next_url: str = ""):  # type: ignore[no-untyped-def]
    data = {"username": username, "password": password, **({"next": next_url} if next_url else {})}
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=IP)


def code_step(client: Client, code: str, next_url: str = "/verifikasi/"):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login_code"), {"code": code, "next": next_url}, REMOTE_ADDR=IP)


def signed_in_with_app(username: str = "prov-sumsel") -> Client:
    client = Client()
    login(client, username)
    assert code_step(client, totp.code_at(DEMO_TOTP_SECRET, time.time())).status_code == 302
    return client


def csp(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response.headers["Content-Security-Policy"]
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def messages_of(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"])


# --- enrolment: the QR code --------------------------------------------------------------------------------------


def test_the_enrolment_page_shows_the_qr_code_inline_and_its_csp_allows_it(django_assert_max_num_queries) -> None:
    user = user_create(
        username="reviewer-qr",
        full_name="Reviewer QR",
        email="reviewer.qr@example.go.id",
        password=NEW_PASSWORD,
        role=Role.PROVINCE_REVIEWER,
        region=Region.objects.get(code="16"),
        by=None,
    )
    client = Client()
    login(client, "reviewer-qr", NEW_PASSWORD)
    client.get(reverse("accounts:totp_enrol"))  # the device is created on the first visit
    with django_assert_max_num_queries(7):
        response = client.get(reverse("accounts:totp_enrol"))
    assert response.status_code == 200
    body = response.content.decode()
    device = TotpDevice.objects.get(user=user)
    # the QR code is <svg> markup in the page, drawn from the same URI as the link, with the typed key beside it
    svg = re.search(r'<figure id="totp-qr"><svg role="img" .*?</svg></figure>', body, re.S)
    assert svg is not None and "<title>Kode QR untuk aplikasi autentikator</title>" in svg.group(0)
    uri = totp.provisioning_uri(device.secret, "reviewer-qr", issuer="Platform KLA")
    assert svg.group(0).removeprefix('<figure id="totp-qr">').removesuffix("</figure>") == totp.qr_svg(
        uri, title="Kode QR untuk aplikasi autentikator"
    )
    assert totp.grouped(device.secret) in body and re.fullmatch(
        r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", totp.grouped(device.secret)
    )
    # what the CSP says, and that the page needs nothing more: no style attribute or element (style-src has no
    # 'unsafe-inline'), no inline script, and every image source allowed by img-src
    policy = csp(response)
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-inline'" not in policy["script-src"]
    assert " style=" not in body and "<style" not in body
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", body)
    for source in re.findall(r'<img[^>]+src="([^"]+)"', body):
        allowed = policy.get("img-src", policy["default-src"])
        assert ("data:" in allowed) if source.startswith("data:") else ("'self'" in allowed and source.startswith("/"))
    # the key is on the page: never stored by a cache
    assert "no-store" in response.headers["Cache-Control"]


def test_the_qr_code_leaves_once_enrolment_is_done() -> None:
    client = signed_in_with_app()
    response = client.get(reverse("accounts:totp_enrol"))
    assert response.status_code == 302 and "<svg" not in response.content.decode()


# --- enrolment: the codes shown once ------------------------------------------------------------------------------


def test_enrolment_ends_with_ten_codes_shown_once_and_stored_hashed() -> None:
    user = user_create(
        username="reviewer-kode",
        full_name="Reviewer Kode",
        email="reviewer.kode@example.go.id",
        password=NEW_PASSWORD,
        role=Role.PROVINCE_REVIEWER,
        region=Region.objects.get(code="16"),
        by=None,
    )
    client = Client()
    login(client, "reviewer-kode", NEW_PASSWORD, next_url="/verifikasi/")
    client.get(reverse("accounts:totp_enrol"))
    device = TotpDevice.objects.get(user=user)
    response = client.post(
        reverse("accounts:totp_enrol"),
        {"code": totp.code_at(device.secret, time.time()), "next": "/verifikasi/"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 200
    body = response.content.decode()
    codes = CODE_RE.findall(body)
    assert len(codes) == 10 == len(set(codes))
    assert "Aplikasi autentikator terdaftar" in body and "hanya ditampilkan sekali" in body
    assert 'href="/verifikasi/"' in body
    assert "no-store" in response.headers["Cache-Control"]
    # stored: keyed hashes only, never the codes
    stored = list(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    assert len(stored) == 10
    dumped = " ".join(stored)
    assert not any(recovery.normalise(c) in dumped.upper() or c in dumped for c in codes)
    event = AuditEvent.objects.get(action="kla.mfa.recovery_created", object_id=str(user.pk))
    assert event.after == {"count": 10, "replaced_unused": 0}
    assert not any(recovery.normalise(c) in str(event.after) for c in codes)
    # the next page shows them no more
    assert not CODE_RE.search(client.get(reverse("accounts:me")).content.decode())


# --- signing in with a recovery code -----------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once_and_says_how_many_remain(django_assert_max_num_queries) -> None:
    user = User.objects.get(username="prov-sumsel")
    codes = recovery_codes.create_set(user=user, ip=None)
    client = Client()
    response = login(client, "prov-sumsel", next_url="/verifikasi/")
    with django_assert_max_num_queries(6):
        page = client.get(response.url)
    assert "kode verifikasi atau kode pemulihan" in page.content.decode().lower()
    assert "masih memiliki 10 kode pemulihan" in page.content.decode()
    # typed as a person might: lower case, spaces instead of dashes
    typed = codes[3].lower().replace("-", " ")
    response = code_step(client, typed)
    assert response.status_code == 302 and response.url == "/verifikasi/"
    page = client.get("/verifikasi/")
    assert page.status_code == 200
    assert "Tersisa 9 kode pemulihan" in messages_of(page)
    assert recovery_codes.unused_count(user) == 9
    used = AuditEvent.objects.get(action="kla.mfa.recovery_used", object_id=str(user.pk))
    assert used.after == {"remaining": 9} and used.actor == user and used.ip == IP
    verified = AuditEvent.objects.filter(action="kla.mfa.verified", object_id=str(user.pk)).latest("pk")
    assert verified.after == {"method": "recovery"}
    # the same code again, in another session: refused, counted, audited as a failed code
    other = Client()
    login(other, "prov-sumsel")
    response = code_step(other, codes[3])
    assert response.status_code == 200 and "sudah dipakai" in response.content.decode()
    assert LoginFailure.objects.filter(username="prov-sumsel").count() == 1
    assert AuditEvent.objects.filter(action="kla.mfa.failed", object_label="prov-sumsel").count() == 1
    assert other.get(reverse("accounts:me")).status_code == 302  # still not through
    assert recovery_codes.unused_count(user) == 9
    # another unused code works
    assert code_step(other, codes[4]).status_code == 302


def test_a_made_up_code_of_the_right_shape_is_refused_and_counted() -> None:
    recovery_codes.create_set(user=User.objects.get(username="kemen-admin"), ip=None)
    client = Client()
    login(client, "kemen-admin")
    response = code_step(client, "2222-3333-4444")
    assert response.status_code == 200 and "Kode salah" in response.content.decode()
    assert LoginFailure.objects.filter(username="kemen-admin").count() == 1


def test_another_users_code_does_not_work() -> None:
    theirs = recovery_codes.create_set(user=User.objects.get(username="kemen-verifikator"), ip=None)
    recovery_codes.create_set(user=User.objects.get(username="kemen-admin"), ip=None)
    client = Client()
    login(client, "kemen-admin")
    assert code_step(client, theirs[0]).status_code == 200
    assert recovery_codes.unused_count(User.objects.get(username="kemen-verifikator")) == 10


def test_the_last_code_says_to_make_new_ones_and_so_does_the_code_page() -> None:
    user = User.objects.get(username="kemen-lapangan")
    codes = recovery_codes.create_set(user=user, ip=None)
    RecoveryCode.objects.filter(user=user).exclude(
        digest=recovery.digest(codes[0], secret_key=recovery_codes._secret_keys()[0], user_id=user.pk)
    ).update(used_at="2026-01-01T00:00:00Z")
    client = Client()
    login(client, "kemen-lapangan")
    assert "masih memiliki 1 kode pemulihan" in client.get(reverse("accounts:login_code")).content.decode()
    code_step(client, codes[0])
    page = client.get(reverse("accounts:me"))
    assert "Kode pemulihan diterima dan tidak dapat dipakai lagi. Anda tidak memiliki kode pemulihan yang tersisa" in (
        messages_of(page)
    )
    assert "Buat kode pemulihan baru sekarang" in page.content.decode()
    # at the next sign-in the code page says none are left, and signing in with the app says so again
    other = Client()
    login(other, "kemen-lapangan")
    assert "tidak memiliki kode pemulihan yang tersisa" in other.get(reverse("accounts:login_code")).content.decode()
    assert code_step(other, codes[0]).status_code == 200  # spent
    code_step(other, totp.code_at(DEMO_TOTP_SECRET, time.time()))
    assert "tidak memiliki kode pemulihan yang tersisa" in messages_of(other.get(reverse("accounts:me")))


def test_a_user_who_never_had_codes_is_told_to_make_them_but_not_warned_at_each_sign_in() -> None:
    user = User.objects.get(username="kemen-verifikator")  # enrolled (demo data) before codes existed
    assert recovery_codes.counts(user) == (0, 0)
    client = Client()
    login(client, "kemen-verifikator")
    assert "Anda belum memiliki kode pemulihan." in client.get(reverse("accounts:login_code")).content.decode()
    code_step(client, totp.code_at(DEMO_TOTP_SECRET, time.time()))
    page = client.get(reverse("accounts:me"))
    assert "kode pemulihan" not in messages_of(page)
    assert "Anda belum memiliki kode pemulihan. Buat sekarang" in page.content.decode()


def test_codes_survive_a_secret_key_rotation_listed_in_the_fallbacks(settings) -> None:
    user = User.objects.get(username="prov-sumsel")
    codes = recovery_codes.create_set(user=user, ip=None)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "kunci-baru-setelah-rotasi-0123456789abcdefghij"
    assert recovery_codes.use(user=user, typed=codes[0], ip=None) is None  # the old key forgotten: not recognised
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert recovery_codes.use(user=user, typed=codes[0], ip=None) == 9


# --- a new set from Akun saya ------------------------------------------------------------------------------------


def test_a_new_set_from_my_account_voids_the_old_codes(django_assert_max_num_queries) -> None:
    user = User.objects.get(username="prov-sumsel")
    old = recovery_codes.create_set(user=user, ip=None)
    recovery_codes.create_set(user=User.objects.get(username="kemen-admin"), ip=None)
    client = signed_in_with_app()
    with django_assert_max_num_queries(7):
        page = client.get(reverse("accounts:me"))
    body = page.content.decode()
    assert "Tersisa 10 kode pemulihan yang belum dipakai." in body
    assert reverse("accounts:recovery_codes_create") in body
    with django_assert_max_num_queries(11):
        response = client.post(reverse("accounts:recovery_codes_create"), REMOTE_ADDR=IP)
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    new = CODE_RE.findall(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert "Kode pemulihan yang lama tidak berlaku lagi." in response.content.decode()
    event = AuditEvent.objects.filter(action="kla.mfa.recovery_created", object_id=str(user.pk)).latest("pk")
    assert event.after == {"count": 10, "replaced_unused": 10} and event.actor == user and event.ip == IP
    assert RecoveryCode.objects.filter(user=user).count() == 10
    assert recovery_codes.counts(user) == (10, 10)
    assert recovery_codes.counts(User.objects.get(username="kemen-admin")) == (10, 10)  # another user's: untouched
    # the old codes are refused at sign-in, the new ones work
    other = Client()
    login(other, "prov-sumsel")
    assert code_step(other, old[0]).status_code == 200
    assert code_step(other, new[0]).status_code == 302


def test_users_without_an_app_cannot_make_codes(client_for) -> None:
    response = client_for("opd").post(reverse("accounts:recovery_codes_create"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:me")
    assert "tidak memerlukannya" in messages_of(response)
    assert not RecoveryCode.objects.exists()
    assert not AuditEvent.objects.filter(action="kla.mfa.recovery_created").exists()


def test_a_session_that_did_not_pass_the_code_step_cannot_make_codes(settings) -> None:
    settings.KLA_TOTP_REQUIRED = False  # a privileged user with an app, signed in with the password alone
    client = Client()
    login(client, "prov-sumsel")
    response = client.post(reverse("accounts:recovery_codes_create"), follow=True)
    assert "setelah Anda masuk dengan kode dari aplikasi autentikator" in messages_of(response)
    assert not RecoveryCode.objects.exists()


def test_making_codes_asks_for_a_post() -> None:
    client = signed_in_with_app()
    assert client.get(reverse("accounts:recovery_codes_create")).status_code == 405


# --- a ministry administrator's reset -----------------------------------------------------------------------------


def test_resetting_the_app_also_clears_the_recovery_codes(client_for) -> None:
    target = User.objects.get(username="prov-sumsel")
    codes = recovery_codes.create_set(user=target, ip=None)
    recovery_codes.use(user=target, typed=codes[0], ip=None)
    response = client_for("ministry_admin").post(reverse("accounts:totp_reset", kwargs={"pk": target.pk}), follow=True)
    assert "kode pemulihannya dihapus" in response.content.decode()
    assert not RecoveryCode.objects.filter(user=target).exists()
    event = AuditEvent.objects.get(action="kla.mfa.reset", object_id=str(target.pk))
    assert event.before == {"username": "prov-sumsel", "recovery_codes_unused": 9}
    # an old code no longer opens the account: the user enrols a new app
    client = Client()
    login(client, "prov-sumsel")
    assert client.get(reverse("accounts:login_code")).url.startswith(reverse("accounts:totp_enrol"))
    assert recovery_codes.use(user=target, typed=codes[1], ip=None) is None
