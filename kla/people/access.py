"""Who may deactivate whom: a user manager, for a user of their subtree (`accounts.access.get_user_for_manager`:
another region's user answers 404), never themselves, and only when every role the leaver holds is one the manager
could grant (nobody ends more than they could give)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kla.accounts import access
from kla.accounts.models import Membership, User
from kla.accounts.roles import can_grant


def get_leaver(user: User, pk: int) -> User:
    """The active user `pk` inside `user`'s scope (404 outside it, 403 for someone who manages nobody)."""
    return access.get_user_for_manager(user, pk)


def refusal(by: User, leaver: User, memberships: list[Membership]) -> str:
    """Why `by` may not deactivate `leaver` (empty when they may)."""
    if leaver.pk == by.pk:
        return _("Anda tidak dapat menonaktifkan akun Anda sendiri; mintalah pengelola pengguna lain.")
    held = access.grants(by)
    beyond = [m for m in memberships if not can_grant(held, m.as_grant())]
    if beyond:
        return _(
            "Pengguna ini memegang peran %(role)s yang di luar kewenangan Anda; hanya dapat dinonaktifkan oleh "
            "pengelola yang dapat memberikan peran itu (provinsi atau Kementerian)."
        ) % {"role": beyond[0]}
    return ""


def check_may_deactivate(by: User, leaver: User, memberships: list[Membership]) -> None:
    reason = refusal(by, leaver, memberships)
    if reason:
        raise PermissionDenied(reason)
