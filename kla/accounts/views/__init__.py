"""Account pages: my account, API tokens, passwords, and user management within the manager's scope. Signing in
(the password, then a code for privileged roles) is `kla.accounts.views.signin`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kla.accounts import access, recovery_codes, security, services
from kla.accounts.forms import GrantForm, RevokeForm, TokenCreateForm, UserCreateForm
from kla.accounts.models import Language, TotpDevice, User
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
    recovery_left, recovery_total = recovery_codes.counts(user)
    return render(
        request,
        "accounts/me.html",
        {
            "memberships": access.memberships(user),
            "tokens": user.api_tokens.all(),
            "totp_device": security.confirmed_device(user),
            "recovery_left": recovery_left,
            "recovery_total": recovery_total,
            "token_form": TokenCreateForm(),
            "events": AuditEvent.objects.filter(actor=user).select_related("actor")[:20],
            "language_choices": Language.choices,
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
        messages.success(
            request,
            gettext("Token '%(name)s' dicabut; aplikasi yang memakainya tidak dapat masuk lagi.")
            % {"name": token.name},
        )
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
                request,
                gettext("Pengguna %(username)s dibuat. Tautan untuk membuat kata sandi dikirim ke %(email)s.")
                % {"username": user.username, "email": user.email},
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
            messages.success(
                request,
                gettext("Peran %(membership)s dicabut dari %(username)s.")
                % {"membership": membership, "username": membership.user.username},
            )
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


def _can_reset_totp(user: User, target: User) -> bool:
    return access.has_role(user, Role.MINISTRY_ADMIN) and user.pk != target.pk


@require_POST
@login_required
def totp_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    """A lost phone: a ministry administrator removes the user's app; they enrol a new one at the next sign-in."""
    target = access.get_user_for_manager(request.user, pk)
    if not _can_reset_totp(request.user, target):
        raise PermissionDenied(
            gettext("Hanya Administrator Kementerian yang dapat mengatur ulang aplikasi autentikator pengguna lain.")
        )
    if security.device_reset(user=target, by=request.user, ip=security.client_ip(request)):
        messages.success(
            request,
            gettext(
                "Aplikasi autentikator %(username)s diatur ulang dan kode pemulihannya dihapus. Saat masuk "
                "berikutnya, ia mendaftarkan aplikasi baru dan menerima kode pemulihan baru."
            )
            % {"username": target.username},
        )
    else:
        messages.info(request, f"{target.username} belum mendaftarkan aplikasi autentikator.")
    return redirect("accounts:user_detail", pk=target.pk)
