"""Pages for people who come and go: importing users from a spreadsheet, and handing a leaving user's work to a
successor before deactivating them. Linked from the user management pages (`kla.accounts`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kla.accounts import access as accounts_access
from kla.accounts.models import User
from kla.core.http import AuthedRequest
from kla.people import access, handover, importing, reactivation, spreadsheet, work
from kla.people.forms import HandoverForm, ImportForm
from kla.rad.spreadsheet import XLSX


def _managers_only(request: AuthedRequest) -> None:
    if not accounts_access.can_manage_users(request.user):
        raise PermissionDenied(_("Anda tidak berwenang mengelola pengguna."))


def _welcome(request: HttpRequest, users: list[User]) -> None:
    """The welcome email of a new account with its set-password link (the same one as a user created by hand)."""
    for user in users:
        form = PasswordResetForm({"email": user.email})
        if form.is_valid():
            form.save(
                request=request,
                use_https=request.is_secure(),
                subject_template_name="accounts/email/account_created_subject.txt",
                email_template_name="accounts/email/account_created_email.txt",
            )


@require_http_methods(["GET", "POST"])
@login_required
def users_import(request: AuthedRequest) -> HttpResponse:
    _managers_only(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            users = importing.import_users(upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            _welcome(request, users)
            messages.success(
                request,
                ngettext(
                    "%(count)d pengguna diimpor; masing-masing menerima email berisi tautan untuk membuat kata sandi.",
                    "%(count)d pengguna diimpor; masing-masing menerima email berisi tautan untuk membuat kata sandi.",
                    len(users),
                )
                % {"count": len(users)},
            )
            return redirect("accounts:users")
    status = 422 if problems or form.errors else 200
    return render(request, "people/import.html", {"form": form, "problems": problems}, status=status)


@require_GET
@login_required
def import_template(request: AuthedRequest) -> HttpResponse:
    _managers_only(request)
    response = HttpResponse(spreadsheet.template(request.user), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-pengguna.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    leaver = access.get_leaver(request.user, pk)
    found = work.open_work(leaver)
    refusal = access.refusal(request.user, leaver, found.memberships)
    form = HandoverForm(
        request.POST if request.method == "POST" else None,
        successors=work.successors_for(request.user, leaver),
        memberships=found.memberships,
    )
    if request.method == "POST":
        if refusal:
            raise PermissionDenied(refusal)
        if form.is_valid():
            data = form.cleaned_data
            try:
                handover.hand_over_and_deactivate(
                    leaver=leaver,
                    successor=data["successor"],
                    moving=data["memberships"],
                    reason=data["reason"],
                    by=request.user,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("%(name)s dinonaktifkan.") % {"name": leaver})
                return redirect("accounts:users")
    context = {"leaver": leaver, "work": found, "form": form, "refusal": refusal}
    return render(request, "people/deactivate.html", context, status=422 if form.errors else 200)


@require_GET
@login_required
def inactive(request: AuthedRequest) -> HttpResponse:
    _managers_only(request)
    rows = reactivation.reactivatable(request.user)
    return render(request, "people/inactive.html", {"rows": rows})


@require_POST
@login_required
def reactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    _managers_only(request)
    user, event = reactivation.get_reactivatable(request.user, pk)
    try:
        given = reactivation.reactivate(user=user, deactivation=event, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people:inactive")
    messages.success(
        request,
        _("%(name)s aktif kembali dengan %(count)d peran; ia masuk dengan kata sandinya yang lama atau mengatur ulang.")
        % {"name": user, "count": given},
    )
    return redirect("accounts:user_detail", pk=user.pk) if given else redirect("people:inactive")
