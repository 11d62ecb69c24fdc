"""Sign-in security: throttling of failed attempts, the second step (TOTP) for privileged roles, session timeouts.

Throttling. Every wrong password and every wrong verification code is a `LoginFailure` (username lowercased, client
address, time). When a username, or a client address, has `KLA_LOGIN_FAILURE_LIMIT` failures within the last
`KLA_LOGIN_FAILURE_WINDOW_MINUTES`, further attempts for it are refused without checking the password. Refused
attempts are not counted, so the lock lifts by itself once the oldest of those failures leaves the window: there is
no permanent lockout an attacker could use to shut real users out. A successful sign-in clears the username's
failures. Unknown usernames are counted like real ones, so the lock reveals nothing about which accounts exist.

Second step. A user holding a role in `PRIVILEGED_ROLES` (province reviewer, ministry roles) must, after the
password, type a code from an authenticator app (`kla.accounts.totp`); the first time, they enrol the app. Only
then does the session carry `SESSION_SECOND_STEP`; `kla.accounts.middleware.SecondStepMiddleware` keeps every other
page closed until it does. API calls with a personal token (`Authorization: Bearer …`) are a separate credential
and are not asked for a code; an API call riding on a privileged browser session without the mark gets 401.

Session timeouts. The session carries the sign-in time and the last activity (refreshed at most once a minute);
`kla.accounts.middleware.SessionTimeoutMiddleware` ends sessions idle or open for too long, with shorter limits
for privileged roles.

Recovery codes (`kla.accounts.recovery`, `kla.accounts.recovery_codes`): ten one-time codes shown once at
enrolment, each typed in place of the app's code when the phone is out of reach; a reset clears them too.

Every security event is audited: `kla.login.failed`, `kla.mfa.failed`, `kla.login.locked`, `kla.mfa.enrolled`,
`kla.mfa.verified`, `kla.mfa.reset`, `kla.mfa.recovery_created`, `kla.mfa.recovery_used`, `kla.session.expired`.
Passwords and codes are never recorded.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts import access, recovery_codes, totp
from kla.accounts.models import LoginFailure, TotpDevice, User
from kla.accounts.roles import PRIVILEGED_ROLES
from kla.core import audit
from kla.core.http import AuthedRequest

SESSION_LOGIN_AT = "kla_login_at"  # Unix time of the password sign-in
SESSION_SEEN_AT = "kla_seen_at"  # Unix time of the last request (refreshed at most once a minute)
SESSION_SECOND_STEP = "kla_mfa_at"  # Unix time the second step was passed; absent = not passed
SEEN_RESOLUTION_SECONDS = 60
TOTP_ISSUER = "Platform KLA"


# --- settings ---------------------------------------------------------------------------------------------------


def failure_limit() -> int:
    return int(getattr(settings, "KLA_LOGIN_FAILURE_LIMIT", 10))


def failure_window() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "KLA_LOGIN_FAILURE_WINDOW_MINUTES", 15)))


def totp_required() -> bool:
    return bool(getattr(settings, "KLA_TOTP_REQUIRED", True))


def _ip_exempt(ip: str | None) -> bool:
    """Addresses never locked as a source: a reverse proxy on the same machine is every client at once."""
    if not ip:
        return True
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return True
    for network in getattr(settings, "KLA_LOGIN_IP_EXEMPT", ["127.0.0.0/8", "::1"]):
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


# --- who is privileged ------------------------------------------------------------------------------------------


def is_privileged(user: access.Visitor) -> bool:
    """Holds a province or ministry role (the roles that need a second step and get the shorter timeouts)."""
    return access.has_role(user, *PRIVILEGED_ROLES)


def needs_second_step(user: access.Visitor) -> bool:
    return totp_required() and is_privileged(user)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address exactly as the audit log records it (`kla.core.audit.client_ip`)."""
    return audit.client_ip(request)


# --- throttling -------------------------------------------------------------------------------------------------


def normalise_username(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


@dataclass(frozen=True, slots=True)
class Lock:
    """A temporary refusal: by username or by client address, and how many minutes remain."""

    by: Literal["username", "ip"]
    minutes_left: int

    @property
    def message(self) -> str:
        return gettext(
            "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, percobaan masuk ditahan "
            "sementara: coba lagi dalam %(minutes_left)s menit."
        ) % {"minutes_left": self.minutes_left}


def _recent(field: str, value: str, since: dt.datetime, limit: int) -> list[dt.datetime]:
    qs = LoginFailure.objects.filter(**{field: value}, at__gte=since).order_by("-at")
    return list(qs.values_list("at", flat=True)[:limit])


def lock_for(username: str | None, ip: str | None) -> Lock | None:
    """The lock holding back attempts for this username or from this address, or None if they may try."""
    now = timezone.now()
    window = failure_window()
    limit = failure_limit()
    checks: list[tuple[Literal["username", "ip"], str]] = []
    name = normalise_username(username)
    if name:
        checks.append(("username", name))
    if ip and not _ip_exempt(ip):
        checks.append(("ip", ip))
    locks: list[Lock] = []
    for field, value in checks:
        times = _recent(field, value, now - window, limit)
        if len(times) >= limit:
            # the lock lifts when the limit-th most recent failure leaves the window
            remaining = (times[limit - 1] + window - now).total_seconds()
            locks.append(Lock(by=field, minutes_left=max(1, math.ceil(remaining / 60))))
    return max(locks, key=lambda lock: lock.minutes_left) if locks else None


def record_failure(
    *, username: str | None, ip: str | None, step: Literal["password", "code"], user: User | None = None
) -> Lock | None:
    """Count one failed attempt, audit it (and the start of a lock), prune old rows; returns the lock now in force."""
    now = timezone.now()
    since = now - failure_window()
    limit = failure_limit()
    name = normalise_username(username)
    counted_ip = ip if ip and not _ip_exempt(ip) else None
    with transaction.atomic():
        LoginFailure.objects.filter(at__lt=since).delete()
        LoginFailure.objects.create(username=name, ip=ip, at=now)
        by_name = LoginFailure.objects.filter(username=name, at__gte=since).count()
        by_ip = LoginFailure.objects.filter(ip=counted_ip, at__gte=since).count() if counted_ip else 0
        # the account tried, if it exists, so its page shows the failures (the response never tells)
        known = (
            user.pk
            if user is not None
            else User.objects.filter(username__iexact=name).values_list("pk", flat=True).first()
        )
        object_id = str(known) if known is not None else ""
        audit.record(
            action="kla.login.failed" if step == "password" else "kla.mfa.failed",
            by=user,
            ip=ip,
            after={"username": name, "failures_username": by_name, "failures_ip": by_ip, "limit": limit},
            object_type="accounts.user",
            object_id=object_id,
            object_label=name,
        )
        started = [field for field, count in (("username", by_name), ("ip", by_ip)) if count == limit]
        if started:
            audit.record(
                action="kla.login.locked",
                by=user,
                ip=ip,
                after={
                    "username": name,
                    "locked": started,
                    "limit": limit,
                    "window_minutes": int(failure_window().total_seconds() // 60),
                },
                object_type="accounts.user",
                object_id=object_id,
                object_label=name,
            )
    return lock_for(name, ip)


def clear_failures(username: str) -> None:
    """A successful sign-in forgets the username's failures (those of the address stay until they expire)."""
    LoginFailure.objects.filter(username=normalise_username(username)).delete()


# --- the second step: devices and codes -------------------------------------------------------------------------


def confirmed_device(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def device_for_enrolment(user: User) -> TotpDevice:
    """The user's unconfirmed device, created with a fresh secret the first time (kept until it is confirmed)."""
    device, _created = TotpDevice.objects.get_or_create(user=user, defaults={"secret": totp.new_secret()})
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return totp.provisioning_uri(device.secret, device.user.get_username(), issuer=TOTP_ISSUER)


def check_code(device: TotpDevice, code: str) -> bool:
    """True if `code` is right now and its time step was never used on this device; the step is then spent.

    The conditional update makes two requests racing with the same code unable to both succeed.
    """
    step = totp.verify(device.secret, code, timezone.now().timestamp(), last_step=device.last_step)
    if step is None:
        return False
    unused = Q(last_step__isnull=True) | Q(last_step__lt=step)
    if not TotpDevice.objects.filter(unused, pk=device.pk).update(last_step=step):
        return False
    device.last_step = step
    return True


@transaction.atomic
def device_confirm(device: TotpDevice, *, ip: str | None) -> TotpDevice:
    """Enrolment done: the first correct code confirmed the device."""
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    audit.record(action="kla.mfa.enrolled", by=device.user, obj=device.user, ip=ip)
    return device


@transaction.atomic
def device_set(*, user: User, secret: str, by: User | None, reason: str = "") -> TotpDevice:
    """Give `user` a confirmed device with a known secret (demo data only: real users enrol themselves)."""
    device, _created = TotpDevice.objects.update_or_create(
        user=user, defaults={"secret": totp.normalise_secret(secret), "confirmed_at": timezone.now(), "last_step": None}
    )
    audit.record(action="kla.mfa.enrolled", by=by, obj=user, reason=reason)
    return device


@transaction.atomic
def device_reset(*, user: User, by: User, ip: str | None = None) -> bool:
    """Delete the user's device (lost phone) and recovery codes: they enrol a new app, and get new codes, at their
    next sign-in. False if there was no device."""
    unused_codes = recovery_codes.clear(user)
    deleted, _rows = TotpDevice.objects.filter(user=user).delete()
    if not deleted:
        return False
    audit.record(
        action="kla.mfa.reset",
        by=by,
        obj=user,
        ip=ip,
        before={"username": user.get_username(), "recovery_codes_unused": unused_codes},
    )
    return True


# --- the session ------------------------------------------------------------------------------------------------


def _now() -> int:
    return int(timezone.now().timestamp())


def session_started(session: SessionBase) -> None:
    """At every sign-in: stamp the start and the activity; the second step is to be passed again."""
    now = _now()
    session[SESSION_LOGIN_AT] = now
    session[SESSION_SEEN_AT] = now
    session.pop(SESSION_SECOND_STEP, None)


def mark_second_step(session: SessionBase) -> None:
    session[SESSION_SECOND_STEP] = _now()


def second_step_passed(session: SessionBase) -> bool:
    return bool(session.get(SESSION_SECOND_STEP))


def second_step_passed_by(request: AuthedRequest, *, method: Literal["totp", "recovery"] = "totp") -> None:
    """A correct code (from the app, or a recovery code): a new session key (the session gained privileges), the
    mark, no more counted failures."""
    request.session.cycle_key()
    mark_second_step(request.session)
    clear_failures(request.user.get_username())
    audit.record(
        action="kla.mfa.verified", by=request.user, obj=request.user, ip=client_ip(request), after={"method": method}
    )


@dataclass(frozen=True, slots=True)
class Expiry:
    reason: Literal["idle", "absolute"]
    idle_minutes: int
    absolute_hours: int

    @property
    def message(self) -> str:
        if self.reason == "idle":
            return gettext(
                "Sesi Anda berakhir karena tidak aktif selama %(idle_minutes)s menit; silakan masuk lagi."
            ) % {"idle_minutes": self.idle_minutes}
        return gettext("Sesi Anda berakhir karena sudah berlangsung %(absolute_hours)s jam; silakan masuk lagi.") % {
            "absolute_hours": self.absolute_hours
        }


def limits_for(user: access.Visitor) -> tuple[int, int]:
    """(idle minutes, absolute hours) for the user's roles."""
    if is_privileged(user):
        return (
            int(getattr(settings, "KLA_SESSION_IDLE_MINUTES_PRIVILEGED", 30)),
            int(getattr(settings, "KLA_SESSION_ABSOLUTE_HOURS_PRIVILEGED", 12)),
        )
    return int(getattr(settings, "KLA_SESSION_IDLE_MINUTES", 120)), int(
        getattr(settings, "KLA_SESSION_ABSOLUTE_HOURS", 24)
    )


def session_check(session: SessionBase, user: access.Visitor) -> Expiry | None:
    """The reason the session has expired, or None (then the activity stamp is refreshed, once a minute at most).

    A session without stamps (made before this rule existed) starts counting now.
    """
    now = _now()
    idle_minutes, absolute_hours = limits_for(user)
    login_at = session.get(SESSION_LOGIN_AT)
    seen_at = session.get(SESSION_SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        session[SESSION_LOGIN_AT] = login_at if isinstance(login_at, int) else now
        session[SESSION_SEEN_AT] = now
        return None
    if now - seen_at > idle_minutes * 60:
        return Expiry("idle", idle_minutes, absolute_hours)
    if now - login_at > absolute_hours * 3600:
        return Expiry("absolute", idle_minutes, absolute_hours)
    if now - seen_at >= SEEN_RESOLUTION_SECONDS:
        session[SESSION_SEEN_AT] = now
    return None


def record_expiry(request: HttpRequest, user: User, expiry: Expiry) -> None:
    audit.record(
        action="kla.session.expired",
        by=user,
        obj=user,
        ip=client_ip(request),
        after={
            "reason": expiry.reason,
            "idle_minutes": expiry.idle_minutes,
            "absolute_hours": expiry.absolute_hours,
        },
    )


@register(Tags.security, deploy=True)
def second_step_enforced(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """`check --deploy` warns when privileged roles may sign in with a password alone."""
    if totp_required():
        return []
    return [
        CheckWarning(
            gettext("KLA_TOTP_REQUIRED=0: peran provinsi dan Kementerian masuk tanpa kode verifikasi (MFA)."),
            hint=gettext("Hapus KLA_TOTP_REQUIRED atau isi 1 di server produksi."),
            id="kla.W101",
        )
    ]
