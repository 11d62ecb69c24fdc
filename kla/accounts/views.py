"""Account pages: signing in (password, then a code for privileged roles), my account, API tokens, and user
management within the manager's scope."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kla.accounts import access, security, services, totp
from kla.accounts.forms import CodeForm, GrantForm, LoginForm, RevokeForm, TokenCreateForm, UserCreateForm
from kla.accounts.models import TotpDevice, User
from kla.accounts.roles import Role
from kla.core import audit
from kla.core.http import AuthedRequest, error_text, form_errors_text
from kla.core.models import AuditEvent


def _form_error(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _send_set_password_link(request: HttpRequest, user: User) -> None:
    form = PasswordResetForm({"email": user.email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            subject_template_name="accounts/email/account_created_subject.txt",
            email_template_name="accounts/email/account_created_email.txt",
        )


@require_GET
@login_required
def me(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/me.html",
        {
            "memberships": access.memberships(user),
            "tokens": user.api_tokens.all(),
            "totp_device": security.confirmed_device(user),
            "token_form": TokenCreateForm(),
            "events": AuditEvent.objects.filter(actor=user).select_related("actor")[:20],
        },
    )


@require_POST
@login_required
def token_create(request: AuthedRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, plain = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                by=request.user,
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            return render(request, "accounts/token_created.html", {"token": token, "plain": plain})
    messages.error(request, "Token tidak dibuat: " + form_errors_text(form))
    return redirect("accounts:me")


@require_POST
@login_required
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = access.get_token_for_user(request.user, pk)
    try:
        services.token_revoke(token=token, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Token '{token.name}' dicabut; aplikasi yang memakainya tidak dapat masuk lagi.")
    return redirect("accounts:me")


@require_GET
@login_required
def user_list(request: AuthedRequest) -> HttpResponse:
    users = access.managed_users(request.user).prefetch_related("memberships__region", "memberships__agency")
    q = request.GET.get("q", "").strip()[:60]
    if q:
        users = users.filter(username__icontains=q) | users.filter(full_name__icontains=q)
    return render(request, "accounts/user_list.html", {"users": users[:200], "q": q})


@require_http_methods(["GET", "POST"])
@login_required
def user_create(request: AuthedRequest) -> HttpResponse:
    if not access.can_manage_users(request.user):
        access.managed_users(request.user)  # raises PermissionDenied with the reason
    form = UserCreateForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                position=data["position"],
                password=None,
                role=data["role"],
                region=data["region"],
                agency=data["agency"],
                by=request.user,
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            _send_set_password_link(request, user)
            messages.success(
                request, f"Pengguna {user.username} dibuat. Tautan untuk membuat kata sandi dikirim ke {user.email}."
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


@require_GET
@login_required
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access.get_user_for_manager(request.user, pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "memberships": target.memberships.select_related("region", "agency", "granted_by", "revoked_by"),
            "grant_form": GrantForm(manager=request.user),
            "revoke_form": RevokeForm(),
            "totp_device": TotpDevice.objects.filter(user=target).first(),
            "can_reset_totp": _can_reset_totp(request.user, target),
            "events": AuditEvent.objects.filter(object_type="accounts.user", object_id=str(target.pk)).select_related(
                "actor"
            )[:30],
        },
    )


@require_POST
@login_required
def membership_grant(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access.get_user_for_manager(request.user, pk)
    form = GrantForm(request.POST, manager=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_grant(
                user=target, role=data["role"], region=data["region"], agency=data["agency"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "Peran diberikan.")
    else:
        messages.error(request, "Peran tidak diberikan: " + form_errors_text(form))
    return redirect("accounts:user_detail", pk=target.pk)


@require_POST
@login_required
def membership_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_revoke(request.user, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.membership_revoke(membership=membership, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"Peran {membership} dicabut dari {membership.user.username}.")
    else:
        messages.error(request, "Peran tidak dicabut: tuliskan alasannya.")
    target_visible = access.managed_users(request.user).filter(pk=membership.user_id).exists()
    return redirect("accounts:user_detail", pk=membership.user_id) if target_visible else redirect("accounts:users")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(
            action="kla.auth.password_changed",
            by=form.user,
            obj=form.user,
            ip=audit.client_ip(self.request),
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(action="kla.auth.password_reset", by=None, obj=form.user, ip=audit.client_ip(self.request))
        return response


# --- signing in: the password, then (privileged roles) a code from an authenticator app -------------------------


def _safe_next(request: HttpRequest) -> str:
    """Where to go after signing in: `next` if it stays on this site, else the account page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    """The password step. Throttled by `LoginForm`; privileged roles continue to the code step, still locked out
    of every other page until they pass it (`kla.accounts.middleware.SecondStepMiddleware`)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        next_url = self.get_success_url()
        if security.needs_second_step(user):
            # failures are cleared only after the code: a known password must not reset the count of wrong codes
            return HttpResponseRedirect(_with_next(reverse("accounts:login_code"), next_url))
        security.clear_failures(user.get_username())
        return HttpResponseRedirect(next_url)


def _locked_out(request: HttpRequest, lock: security.Lock) -> HttpResponse:
    """Too many failures: the half-signed-in session ends; the login page says how long to wait."""
    logout(request)
    messages.error(request, lock.message)
    return redirect("accounts:login")


def _second_step_done_or_not_needed(request: AuthedRequest) -> bool:
    return security.second_step_passed(request.session) or not security.needs_second_step(request.user)


def _code_attempt(
    request: AuthedRequest, device: TotpDevice, ip: str | None, *, wrong: str
) -> tuple[CodeForm, bool, HttpResponse | None]:
    """The code form of a second-step page, checked when posted: (form, code accepted, lock-out page or None).
    A wrong code counts towards the lock-out and, until then, shows `wrong` on the form."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    if not (form.is_bound and form.is_valid()):
        return form, False, None
    if security.check_code(device, form.cleaned_data["code"]):
        return form, True, None
    lock = security.record_failure(username=request.user.get_username(), ip=ip, step="code", user=request.user)
    if lock is not None:
        return form, False, _locked_out(request, lock)
    form.add_error("code", wrong)
    return form, False, None


@require_http_methods(["GET", "POST"])
@login_required
def login_code(request: AuthedRequest) -> HttpResponse:
    """The second step: 6 digits from the authenticator app (enrolment first if the user has no app yet)."""
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
    form, passed, locked_out = _code_attempt(
        request,
        device,
        ip,
        wrong="Kode verifikasi salah atau sudah dipakai. Masukkan kode yang sedang tampil di aplikasi autentikator; "
        "bila baru saja dipakai, tunggu kode berikutnya.",
    )
    if locked_out is not None:
        return locked_out
    if passed:
        security.second_step_passed_by(request, device)
        return redirect(next_url)
    return render(request, "accounts/login_code.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
@login_required
def totp_enrol(request: AuthedRequest) -> HttpResponse:
    """First sign-in of a privileged role: add the platform to an authenticator app, then confirm with a code."""
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
    form, passed, locked_out = _code_attempt(
        request,
        device,
        ip,
        wrong="Kode verifikasi salah. Periksa bahwa rahasia diketik dengan benar dan jam ponsel Anda tepat, lalu "
        "masukkan kode yang sedang tampil.",
    )
    if locked_out is not None:
        return locked_out
    if passed:
        security.device_confirm(device, ip=ip)
        security.second_step_passed_by(request, device)
        messages.success(
            request,
            "Aplikasi autentikator terdaftar. Setiap kali masuk, setelah kata sandi, masukkan kode dari aplikasi ini.",
        )
        return redirect(next_url)
    return render(
        request,
        "accounts/totp_enrol.html",
        {
            "form": form,
            "next": next_url,
            "secret_grouped": totp.grouped(device.secret),
            "uri": security.provisioning_uri(device),
        },
    )


def _can_reset_totp(user: User, target: User) -> bool:
    return access.has_role(user, Role.MINISTRY_ADMIN) and user.pk != target.pk


@require_POST
@login_required
def totp_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    """A lost phone: a ministry administrator removes the user's app; they enrol a new one at the next sign-in."""
    target = access.get_user_for_manager(request.user, pk)
    if not _can_reset_totp(request.user, target):
        raise PermissionDenied(
            "Hanya Administrator Kementerian yang dapat mengatur ulang aplikasi autentikator pengguna lain."
        )
    if security.device_reset(user=target, by=request.user, ip=security.client_ip(request)):
        messages.success(
            request,
            f"Aplikasi autentikator {target.username} diatur ulang. Saat masuk berikutnya, ia mendaftarkan aplikasi "
            "baru.",
        )
    else:
        messages.info(request, f"{target.username} belum mendaftarkan aplikasi autentikator.")
    return redirect("accounts:user_detail", pk=target.pk)
