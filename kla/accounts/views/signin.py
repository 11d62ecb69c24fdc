"""Signing in: the password, then (privileged roles) a code from an authenticator app or a one-time recovery code;
enrolling the app (QR code or typed key, then ten recovery codes shown once) and making a new set of recovery codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kla.accounts import recovery, recovery_codes, security, totp
from kla.accounts.forms import CodeForm, LoginForm, SignInCodeForm
from kla.accounts.models import TotpDevice
from kla.accounts.views import landing
from kla.accounts.views.language import apply_saved_language
from kla.core.formatting import format_count
from kla.core.http import AuthedRequest


def _safe_next(request: HttpRequest) -> str:
    """Where to go after signing in: `next` if it stays on this site, else the page of the user's work
    (`landing.landing_url`)."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return landing.landing_url(request.user)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    """The password step. Throttled by `LoginForm`; privileged roles continue to the code step, still locked out
    of every other page until they pass it (`kla.accounts.middleware.SecondStepMiddleware`)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def get_default_redirect_url(self) -> str:
        """Without a safe `next`: the page of the user's work, by role."""
        return landing.landing_url(self.request.user)

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        next_url = self.get_success_url()
        if security.needs_second_step(user):
            # failures are cleared only after the code: a known password must not reset the count of wrong codes
            code_step = _with_next(reverse("accounts:login_code"), next_url)
            return apply_saved_language(self.request, HttpResponseRedirect(code_step), user)
        security.clear_failures(user.get_username())
        return apply_saved_language(self.request, HttpResponseRedirect(next_url), user)


def _locked_out(request: HttpRequest, lock: security.Lock) -> HttpResponse:
    """Too many failures: the half-signed-in session ends; the login page says how long to wait."""
    logout(request)
    messages.error(request, lock.message)
    return redirect("accounts:login")


def _second_step_done_or_not_needed(request: AuthedRequest) -> bool:
    return security.second_step_passed(request.session) or not security.needs_second_step(request.user)


@dataclass(frozen=True, slots=True)
class _Attempt:
    """What came of a second-step form: the form to show again, how the step was passed (if it was), the recovery
    codes left after one was spent, and the lock-out page when too many codes were wrong."""

    form: CodeForm
    method: Literal["totp", "recovery"] | None = None
    remaining: int | None = None
    locked_out: HttpResponse | None = None


def _code_attempt(
    request: AuthedRequest, device: TotpDevice, ip: str | None, *, wrong: str, recovery_allowed: bool
) -> _Attempt:
    """The code form of a second-step page, checked when posted. At sign-in (`recovery_allowed`) a recovery code is
    accepted in place of the app's code. A wrong code counts towards the lock-out and, until then, shows `wrong`."""
    form_class = SignInCodeForm if recovery_allowed else CodeForm
    form = form_class(request.POST if request.method == "POST" else None)
    if not (form.is_bound and form.is_valid()):
        return _Attempt(form)
    typed = form.cleaned_data["code"]
    if recovery_allowed and recovery.is_recovery_code(typed):
        remaining = recovery_codes.use(user=request.user, typed=typed, ip=ip)
        if remaining is not None:
            return _Attempt(form, method="recovery", remaining=remaining)
    elif security.check_code(device, typed):
        return _Attempt(form, method="totp")
    lock = security.record_failure(username=request.user.get_username(), ip=ip, step="code", user=request.user)
    if lock is not None:
        return _Attempt(form, locked_out=_locked_out(request, lock))
    form.add_error("code", wrong)
    return _Attempt(form)


NONE_LEFT = gettext_noop(
    "Anda tidak memiliki kode pemulihan yang tersisa. Buat kode pemulihan baru di Akun saya sekarang, agar tetap dapat "
    "masuk bila ponsel Anda hilang."
)


def _recovery_left_message(request: AuthedRequest, attempt: _Attempt) -> None:
    """After signing in with a recovery code: how many are left. With none left (either way in): make a new set."""
    if attempt.method == "recovery":
        left = attempt.remaining or 0
        used = gettext("Kode pemulihan diterima dan tidak dapat dipakai lagi.")
        if left == 0:
            messages.warning(request, f"{used} {gettext(NONE_LEFT)}")
            return
        remain = ngettext("Tersisa %(count)s kode pemulihan.", "Tersisa %(count)s kode pemulihan.", left) % {
            "count": format_count(left)
        }
        messages.warning(request, f"{used} {remain}")
        return
    left, total = recovery_codes.counts(request.user)
    if total > 0 and left == 0:
        messages.warning(request, gettext(NONE_LEFT))


@require_http_methods(["GET", "POST"])
@login_required
def login_code(request: AuthedRequest) -> HttpResponse:
    """The second step: 6 digits from the authenticator app, or a recovery code (enrolment first if no app yet)."""
    next_url = _safe_next(request)
    if _second_step_done_or_not_needed(request):
        return redirect(next_url)
    device = security.confirmed_device(request.user)
    if device is None:
        return redirect(_with_next(reverse("accounts:totp_enrol"), next_url))
    ip = security.client_ip(request)
    lock = security.lock_for(request.user.get_username(), ip)
    if lock is not None:
        return _locked_out(request, lock)
    attempt = _code_attempt(
        request,
        device,
        ip,
        wrong=gettext(
            "Kode salah atau sudah dipakai. Masukkan kode yang sedang tampil di aplikasi autentikator (bila baru saja "
            "dipakai, tunggu kode berikutnya), atau salah satu kode pemulihan Anda yang belum dipakai."
        ),
        recovery_allowed=True,
    )
    if attempt.locked_out is not None:
        return attempt.locked_out
    if attempt.method is not None:
        security.second_step_passed_by(request, method=attempt.method)
        _recovery_left_message(request, attempt)
        return redirect(next_url)
    recovery_left, recovery_total = recovery_codes.counts(request.user)
    return render(
        request,
        "accounts/login_code.html",
        {"form": attempt.form, "next": next_url, "recovery_left": recovery_left, "recovery_total": recovery_total},
    )


def _show_recovery_codes(request: AuthedRequest, codes: list[str], next_url: str, *, first: bool) -> HttpResponse:
    """The page that shows a new set of recovery codes, once: never cached, never stored anywhere in clear."""
    response = render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url, "first": first})
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
@login_required
def totp_enrol(request: AuthedRequest) -> HttpResponse:
    """First sign-in of a privileged role: add the platform to an authenticator app (QR code or typed key), confirm
    with a code, then note the recovery codes shown once."""
    next_url = _safe_next(request)
    if _second_step_done_or_not_needed(request):
        return redirect(next_url)
    if security.confirmed_device(request.user) is not None:
        return redirect(_with_next(reverse("accounts:login_code"), next_url))
    ip = security.client_ip(request)
    lock = security.lock_for(request.user.get_username(), ip)
    if lock is not None:
        return _locked_out(request, lock)
    device = security.device_for_enrolment(request.user)
    attempt = _code_attempt(
        request,
        device,
        ip,
        wrong=gettext(
            "Kode verifikasi salah. Periksa bahwa kunci penyiapan dipindai atau diketik dengan benar dan jam ponsel "
            "Anda tepat, lalu masukkan kode yang sedang tampil."
        ),
        recovery_allowed=False,
    )
    if attempt.locked_out is not None:
        return attempt.locked_out
    if attempt.method is not None:
        security.device_confirm(device, ip=ip)
        security.second_step_passed_by(request)
        codes = recovery_codes.create_set(user=request.user, ip=ip)
        messages.success(
            request,
            gettext(
                "Aplikasi autentikator terdaftar. Setiap kali masuk, setelah kata sandi, masukkan kode dari aplikasi "
                "ini."
            ),
        )
        return _show_recovery_codes(request, codes, next_url, first=True)
    uri = security.provisioning_uri(device)
    # the markup is segno's, from our own URI (the title is escaped by segno): safe to put in the page as it is
    qr = mark_safe(totp.qr_svg(uri, title=gettext("Kode QR untuk aplikasi autentikator")))  # noqa: S308
    response = render(
        request,
        "accounts/totp_enrol.html",
        {"form": attempt.form, "next": next_url, "secret_grouped": totp.grouped(device.secret), "uri": uri, "qr": qr},
    )
    add_never_cache_headers(response)  # the page carries the key
    return response


@require_POST
@login_required
def recovery_codes_create(request: AuthedRequest) -> HttpResponse:
    """*Akun saya*: a new set of recovery codes, shown once; the old codes stop working. Only for a user who signed
    in with the app's code (or a recovery code) in this session."""
    if security.confirmed_device(request.user) is None:
        messages.error(
            request,
            gettext(
                "Kode pemulihan hanya dipakai oleh akun yang masuk dengan aplikasi autentikator (peran provinsi dan "
                "Kementerian). Akun Anda tidak memerlukannya."
            ),
        )
        return redirect("accounts:me")
    if not security.second_step_passed(request.session):
        messages.error(
            request,
            gettext(
                "Kode pemulihan baru hanya dapat dibuat setelah Anda masuk dengan kode dari aplikasi autentikator. "
                "Keluar, lalu masuk lagi dengan kode tersebut."
            ),
        )
        return redirect("accounts:me")
    codes = recovery_codes.create_set(user=request.user, ip=security.client_ip(request))
    messages.success(request, gettext("Kode pemulihan baru dibuat. Kode pemulihan yang lama tidak berlaku lagi."))
    return _show_recovery_codes(request, codes, reverse("accounts:me"), first=False)
