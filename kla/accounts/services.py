"""Writes to users, memberships and API tokens. Each checks its rule, writes, and records an audit event."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.models import ApiToken, Membership, User
from kla.accounts.roles import Grant, Role, shape_problem
from kla.agencies.models import Agency
from kla.core import audit
from kla.core.wording import say
from kla.regions.models import Region

TOKEN_PREFIX = "kla_"


def _grant_of(role: Role, region: Region | None, agency: Agency | None) -> Grant:
    return Grant(
        role=role, region_code=region.code if region else None, agency_region_code=agency.region_id if agency else None
    )


def _check_grant(*, role: Role, region: Region | None, agency: Agency | None, by: User | None) -> None:
    wanted = _grant_of(role, region, agency)
    problem = shape_problem(wanted)
    if problem:
        raise ValidationError(say(problem))
    if by is not None:  # None = the system (commands, demo data)
        access.check_can_grant(by, wanted)


@transaction.atomic
def membership_grant(
    *, user: User, role: Role, region: Region | None, agency: Agency | None = None, by: User | None
) -> Membership:
    """Give `user` a role in a region (and agency). Refused if malformed, beyond what `by` holds, or a duplicate."""
    _check_grant(role=role, region=region, agency=agency, by=by)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user,
                role=role.value,
                region=region,
                agency=agency,
                granted_by=by if by is not None and by.is_authenticated else None,
            )
    except IntegrityError:
        raise ValidationError(
            gettext("Pengguna ini sudah memiliki peran tersebut di wilayah/instansi yang sama.")
        ) from None
    audit.record(
        action="kla.membership.granted",
        by=by,
        obj=membership,
        region_code=region.code if region else "",
        after={
            "user": user.username,
            "role": role.value,
            "region": region.code if region else None,
            "agency": agency.pk if agency else None,
        },
    )
    access.forget(user)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, by: User | None, reason: str = "") -> Membership:
    """End a membership (kept for history, never deleted)."""
    if membership.revoked_at is not None:
        raise ValidationError(gettext("Keanggotaan ini sudah dicabut."))
    membership.revoked_at = timezone.now()
    membership.revoked_by = by if by is not None and by.is_authenticated else None
    membership.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        action="kla.membership.revoked",
        by=by,
        obj=membership,
        region_code=membership.region_id or "",
        before={
            "user": membership.user.username,
            "role": membership.role,
            "region": membership.region_id,
            "agency": membership.agency_id,
        },
        reason=reason,
    )
    access.forget(membership.user)
    return membership


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str,
    email: str,
    position: str = "",
    password: str | None,
    role: Role,
    region: Region | None,
    agency: Agency | None = None,
    by: User | None,
) -> User:
    """Create a user together with a first membership (a user without a role could not do anything).

    Without a password the account gets a random one: the person sets theirs through the emailed link.
    """
    _check_grant(role=role, region=region, agency=agency, by=by)
    username = username.strip().lower()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(gettext('Nama pengguna "%(username)s" sudah dipakai.') % {"username": username})
    user = User(username=username, full_name=full_name.strip(), email=email.strip().lower(), position=position)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        # A random secret nobody knows: the person sets their own through the emailed link (Django's reset
        # form skips accounts with an unusable password, so this is not `set_unusable_password`).
        user.set_password(secrets.token_urlsafe(32))
    user.save()
    audit.record(
        action="kla.user.created",
        by=by,
        obj=user,
        region_code=region.code if region else "",
        after={"username": user.username, "full_name": user.full_name, "email": user.email},
    )
    membership_grant(user=user, role=role, region=region, agency=agency, by=by)
    return user


@transaction.atomic
def token_create(*, user: User, name: str, by: User | None) -> tuple[ApiToken, str]:
    """A new personal API token; returns the model and the plain token, which is shown only this once."""
    name = name.strip()
    if not name:
        raise ValidationError(gettext('Beri nama token, misalnya "Sinkronisasi SIPD".'))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:80], prefix=plain[:12], token_hash=ApiToken.hash(plain))
    audit.record(
        action="kla.api_token.created",
        by=by if by is not None else user,
        obj=token,
        after={"name": token.name, "prefix": token.prefix},
    )
    return token, plain


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User | None) -> ApiToken:
    if token.revoked_at is not None:
        raise ValidationError(gettext("Token ini sudah dicabut."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(action="kla.api_token.revoked", by=by, obj=token, before={"name": token.name, "prefix": token.prefix})
    return token


def token_authenticate(plain: str) -> User | None:
    """The active user owning this active token, or None. Marks the token as used (at most once a minute)."""
    if not plain.startswith(TOKEN_PREFIX):
        return None
    try:
        token = ApiToken.objects.select_related("user").get(token_hash=ApiToken.hash(plain), revoked_at__isnull=True)
    except ApiToken.DoesNotExist:
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
