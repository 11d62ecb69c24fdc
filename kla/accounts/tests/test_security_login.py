"""Throttling of failed sign-ins: per username and per client address, a temporary lock, everything audited."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kla.accounts.models import LoginFailure
from kla.core.models import AuditEvent
from kla.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"  # a documentation address: not a local proxy, so it is counted
OTHER_IP = "198.51.100.20"
LOGIN = "/akun/masuk/"


def attempt(client: Client, username: str, password: str, ip: str = IP):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def wrong_codes(username: str, n: int) -> list[str]:
    """`n` codes the user's app does not show around now (deterministic: the right ones are skipped)."""
    import time

    from kla.accounts import totp
    from kla.accounts.models import TotpDevice

    secret = TotpDevice.objects.get(user__username=username).secret
    right = {totp.code_at(secret, time.time() + d * 30) for d in (-2, -1, 0, 1, 2)}
    return [c for c in (f"{k:06d}" for k in range(n + len(right))) if c not in right][:n]


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def later(minutes: float):  # type: ignore[no-untyped-def]
    """Move the clock forward (Django's timezone.now, used by the throttling and the audit)."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + dt.timedelta(minutes=minutes))


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_password_until_the_window_passes() -> None:
    client = Client()
    for n in range(1, 11):
        response = attempt(client, "gt-palembang", f"salah-{n}")
        assert response.status_code == 200 and not signed_in(client)
    body = response.content.decode()
    assert "kata sandi salah" in body and "coba lagi dalam 15 menit" in body  # the 10th failure starts the lock
    with mock.patch("django.contrib.auth.forms.authenticate") as authenticate:
        response = attempt(client, "gt-palembang", DEMO_PASSWORD)
    authenticate.assert_not_called()  # refused without checking the password
    assert response.status_code == 200 and not signed_in(client)
    body = response.content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal" in body and "coba lagi dalam 15 menit" in body
    assert "kata sandi salah" not in body
    # the refused attempt was not counted: the lock lifts 15 minutes after the failures, not after the last try
    assert LoginFailure.objects.filter(username="gt-palembang").count() == 10
    with later(5):
        assert "coba lagi dalam 10 menit" in attempt(client, "gt-palembang", DEMO_PASSWORD).content.decode()
        assert not signed_in(client)
    with later(15.1):
        response = attempt(client, "gt-palembang", DEMO_PASSWORD)
        assert response.status_code == 302 and signed_in(client)
    assert not LoginFailure.objects.filter(username="gt-palembang").exists()  # success clears the username


def test_failures_and_the_start_of_the_lock_are_audited_without_the_password(settings) -> None:
    settings.KLA_LOGIN_FAILURE_LIMIT = 4  # fewer slow password hashes; the default 10 is tested above
    client = Client()
    for n in range(6):
        attempt(client, "GT-Palembang", f"rahasia-yang-salah-{n}")
    failed = AuditEvent.objects.filter(action="kla.login.failed")
    assert failed.count() == 4  # the 5th and 6th were refused before any check
    event = failed.order_by("-pk").first()
    assert event.object_label == "gt-palembang" and event.ip == IP and event.actor is None
    assert event.object_type == "accounts.user" and event.object_id  # the account's page lists it
    assert event.after["failures_username"] == 4 and event.after["limit"] == 4
    locked = AuditEvent.objects.filter(action="kla.login.locked")
    assert locked.count() == 1  # once, when the lock starts
    assert locked.get().after["locked"] == ["username", "ip"] and locked.get().ip == IP
    for e in AuditEvent.objects.all():
        assert "rahasia-yang-salah" not in str(e.after) + str(e.before) + e.reason + e.object_label


def test_one_wrong_password_on_each_of_twelve_accounts_from_one_address_throttles_the_address() -> None:
    client = Client()
    names = ["opd-palembang", "gt-palembang", "gt-lubuklinggau", "prov-sumsel", "kemen-admin", "tanpa-peran"]
    names += [f"akun-tebakan-{n}" for n in range(6)]  # unknown names count like real ones
    responses = [attempt(client, name, "tebakan-umum-123") for name in names]
    assert all("kata sandi salah" in r.content.decode() for r in responses[:9])
    assert "coba lagi dalam 15 menit" in responses[9].content.decode()
    for r in responses[10:]:
        body = r.content.decode()
        assert "Terlalu banyak percobaan" in body and "kata sandi salah" not in body
    # from that address even a right password is refused; the same account from elsewhere signs in
    assert not signed_in_after(attempt(client, "opd-palembang", DEMO_PASSWORD), client)
    other = Client()
    assert attempt(other, "opd-palembang", DEMO_PASSWORD, ip=OTHER_IP).status_code == 302 and signed_in(other)
    locked = AuditEvent.objects.get(action="kla.login.locked")
    assert locked.after["locked"] == ["ip"] and locked.ip == IP
    with later(16):
        assert attempt(Client(), "gt-lubuklinggau", DEMO_PASSWORD).status_code == 302


def signed_in_after(response, client: Client) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and signed_in(client)


def test_the_same_message_for_known_and_unknown_usernames(settings) -> None:
    settings.KLA_LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for n in range(3):
        attempt(client, "tidak-ada-orangnya", f"x{n}", ip=f"192.0.2.{n}")
        attempt(client, "gt-palembang", f"x{n}", ip=f"192.0.2.{n + 100}")
    unknown = attempt(client, "tidak-ada-orangnya", "x", ip=OTHER_IP).content.decode()
    known = attempt(client, "gt-palembang", "x", ip=OTHER_IP).content.decode()
    assert "coba lagi dalam 15 menit" in unknown and "coba lagi dalam 15 menit" in known
    assert errors(unknown) == errors(known)


def errors(body: str) -> str:
    start = body.index('<ul class="errorlist nonfield"')
    return body[start : body.index("</ul>", start)]


def test_a_local_reverse_proxy_address_is_never_locked_as_a_source(settings) -> None:
    """Behind nginx on the same host every request comes from 127.0.0.1: locking it would lock everybody out."""
    settings.KLA_LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for n in range(5):
        attempt(client, f"akun-{n}", "salah", ip="127.0.0.1")
    assert attempt(client, "gt-palembang", DEMO_PASSWORD, ip="127.0.0.1").status_code == 302
    assert not AuditEvent.objects.filter(action="kla.login.locked").exists()


def test_a_successful_sign_in_clears_the_username_failures_only() -> None:
    client = Client()
    for n in range(3):
        attempt(client, "gt-palembang", f"salah-{n}")
    attempt(client, "opd-palembang", "salah")
    assert attempt(client, "gt-palembang", DEMO_PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="gt-palembang").exists()
    assert LoginFailure.objects.filter(username="opd-palembang").count() == 1


def test_old_failures_are_pruned_when_a_new_one_is_written() -> None:
    old = LoginFailure.objects.create(username="lama", ip=IP, at=timezone.now() - dt.timedelta(minutes=16))
    recent = LoginFailure.objects.create(username="baru", ip=IP, at=timezone.now() - dt.timedelta(minutes=14))
    attempt(Client(), "gt-palembang", "salah")
    assert not LoginFailure.objects.filter(pk=old.pk).exists()
    assert LoginFailure.objects.filter(pk=recent.pk).exists()


def test_back_dated_failures_no_longer_lock() -> None:
    at = timezone.now() - dt.timedelta(minutes=15, seconds=5)
    LoginFailure.objects.bulk_create(LoginFailure(username="gt-palembang", ip=IP, at=at) for _ in range(10))
    assert attempt(Client(), "gt-palembang", DEMO_PASSWORD).status_code == 302


def test_limit_and_window_come_from_settings(settings) -> None:
    settings.KLA_LOGIN_FAILURE_LIMIT = 3
    settings.KLA_LOGIN_FAILURE_WINDOW_MINUTES = 5
    client = Client()
    for n in range(3):
        attempt(client, "gt-palembang", f"salah-{n}")
    assert "coba lagi dalam 5 menit" in attempt(client, "gt-palembang", DEMO_PASSWORD).content.decode()
    with later(5.1):
        assert attempt(client, "gt-palembang", DEMO_PASSWORD).status_code == 302


def test_the_login_page_names_the_remaining_minutes_after_a_lock_during_the_code_step() -> None:
    """The lock started at the code step shows on the login page (the half-signed-in session ends)."""
    client = Client()
    response = attempt(client, "prov-sumsel", DEMO_PASSWORD)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login_code"))
    for code in wrong_codes("prov-sumsel", 10):
        response = client.post(reverse("accounts:login_code"), {"code": code}, REMOTE_ADDR=IP)
        if response.status_code == 302:
            break
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert not signed_in(client)
    body = client.get(response.url).content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal" in body and "coba lagi dalam 15 menit" in body
