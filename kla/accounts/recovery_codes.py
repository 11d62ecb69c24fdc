"""A user's one-time recovery codes in the database: make a set, spend one at sign-in, count, clear.

The codes themselves (format, keyed hash) are `kla.accounts.recovery`; the key is the site's `SECRET_KEY`, and the
keys in `SECRET_KEY_FALLBACKS` still recognise codes made before a key rotation. Audited: `kla.mfa.recovery_created`
(a new set, with how many unused codes it replaced) and `kla.mfa.recovery_used` (with how many remain). Codes are
never recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from kla.accounts import recovery
from kla.accounts.models import RecoveryCode, User
from kla.core import audit


def _secret_keys() -> list[str]:
    return [str(settings.SECRET_KEY), *(str(key) for key in getattr(settings, "SECRET_KEY_FALLBACKS", []))]


def unused_count(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def counts(user: User) -> tuple[int, int]:
    """(unused, total) codes of `user` in one query: (0, 0) never had any (enrolled before codes existed, or after
    a reset), (0, n) spent them all."""
    row = RecoveryCode.objects.filter(user=user).aggregate(
        total=Count("pk"), unused=Count("pk", filter=Q(used_at__isnull=True))
    )
    return int(row["unused"]), int(row["total"])


@transaction.atomic
def create_set(*, user: User, ip: str | None) -> list[str]:
    """A new set of codes for `user` (the old ones stop working); returns them, to be shown once and then forgotten.

    The user's row is locked first: two requests at once (a double click) cannot leave two valid sets.
    """
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()
    replaced = unused_count(user)
    RecoveryCode.objects.filter(user=user).delete()
    codes = recovery.new_codes()
    key = str(settings.SECRET_KEY)
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, digest=recovery.digest(code, secret_key=key, user_id=user.pk)) for code in codes]
    )
    audit.record(
        action="kla.mfa.recovery_created",
        by=user,
        obj=user,
        ip=ip,
        after={"count": len(codes), "replaced_unused": replaced},
    )
    return [recovery.display(code) for code in codes]


@transaction.atomic
def use(*, user: User, typed: str, ip: str | None) -> int | None:
    """Spend the code `typed`: the number of unused codes left, or None if it is not one of the user's unused codes.

    The conditional update makes two requests racing with the same code unable to both succeed.
    """
    if not recovery.is_recovery_code(typed):
        return None
    wanted = recovery.digests(typed, secret_keys=_secret_keys(), user_id=user.pk)
    pk = (
        RecoveryCode.objects.filter(user=user, digest__in=wanted, used_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None or not RecoveryCode.objects.filter(pk=pk, used_at__isnull=True).update(used_at=timezone.now()):
        return None
    remaining = unused_count(user)
    audit.record(action="kla.mfa.recovery_used", by=user, obj=user, ip=ip, after={"remaining": remaining})
    return remaining


def clear(user: User) -> int:
    """Delete every code of `user` (the authenticator app was reset); returns how many were still unused."""
    unused = unused_count(user)
    RecoveryCode.objects.filter(user=user).delete()
    return unused
