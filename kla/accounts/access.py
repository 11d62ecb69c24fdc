"""The only place that decides who may see and do what.

Views, API endpoints, exports and commands ask these gates; none fetches an object by a user-supplied id itself.
A gate returns the object or raises `Http404` (the object is outside the user's scope: its existence is not
revealed) or `PermissionDenied` (the user may see it but not do this).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy

from kla.accounts.models import ApiToken, Membership, User
from kla.accounts.roles import GRANTABLE, Action, Grant, Role, allows, can_grant, covers, grantable_roles
from kla.core.compiled import CompiledQuery
from kla.regions.selectors import subtree_q

_CACHE_ATTR = "_kla_memberships"
# Every request of a signed-in user reads them: compiled once per process (compiling cost more than the query).
_MEMBERSHIPS: CompiledQuery[Membership] = CompiledQuery(
    lambda user_id: Membership.objects.active().filter(user_id=user_id).select_related("region", "agency"), int
)
# One answer for an id that does not exist and for an object of a region outside the user's scope: the same text
# on the error page and in the API's JSON, so that the answer never tells whether the object exists.
NOT_FOUND = gettext_lazy("Tidak ditemukan di wilayah kewenangan Anda.")

# Whoever asks: a signed-in user, an anonymous visitor, or nobody (None: the system, a command without --by).
type Visitor = User | AnonymousUser | None


def memberships(user: Visitor) -> list[Membership]:
    """The user's active memberships with region and agency, fetched once per request (cached on the user)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _MEMBERSHIPS.fetch(user.pk)
        remember(user, cached)
    return cached


def remember(user: User, active: list[Membership]) -> None:
    """Caches the user's active memberships, read together with the user row (kla.accounts.signed_in)."""
    for membership in active:
        membership._state.fields_cache["user"] = user
    setattr(user, _CACHE_ATTR, active)


def forget(user: Visitor) -> None:
    """Drop the cached memberships (after a grant or revoke in the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def grants(user: Visitor) -> list[Grant]:
    return [m.as_grant() for m in memberships(user)]


def has_role(user: Visitor, *roles: Role) -> bool:
    return any(Role(m.role) in roles for m in memberships(user))


def can(user: Visitor, action: Action, region_code: str | None) -> bool:
    """The single decision "may this user do `action` on something of `region_code`", from the role table."""
    return allows(grants(user), action, region_code)


def roles_over(user: Visitor, region_code: str | None) -> set[Role]:
    """The roles the user holds over `region_code` (memberships whose scope covers it)."""
    return {Role(m.role) for m in memberships(user) if covers(m.as_grant(), region_code)}


def require(user: Visitor, action: Action, region_code: str | None, *, hide: bool = True) -> None:
    """Raise unless `can(...)`: 404 when the user cannot even see the region's data (`hide`), else 403."""
    if can(user, action, region_code):
        return
    if hide and not can(user, Action.EVALUATION_VIEW, region_code):
        raise Http404(NOT_FOUND)
    raise PermissionDenied(gettext("Peran Anda tidak mengizinkan tindakan ini."))


def get_in_scope[M: Model](
    user: Visitor, queryset: QuerySet[M], pk: object, region_field: str, *, action: Action = Action.EVALUATION_VIEW
) -> M:
    """The object `pk` of `queryset` if the user may do `action` on its region, else 404 with `NOT_FOUND`.

    `region_field` is the path of attributes to the region code (``"region_id"``, ``"plan.region_id"``), read on
    the fetched object (select the relations it crosses). The gates of every app fetch objects by id through this.
    """
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    region: object = found
    for name in region_field.split("."):
        region = getattr(region, name)
    if not can(user, action, str(region) if region is not None else None):
        raise Http404(NOT_FOUND)
    return found


def region_scope_q(user: Visitor, action: Action, field: str = "region_id") -> Q | None:
    """A filter on `field` (a region code) for every region where the user may do `action`; None = nationwide.

    Returns an always-false filter when the user may do it nowhere.
    """
    return subtree_q((g.region_code for g in grants(user) if allows([g], action, g.region_code)), field)


def is_reviewer(user: Visitor) -> bool:
    """Province reviewers and ministry roles: they see verification aids such as cross-region duplicate flags."""
    return has_role(user, Role.PROVINCE_REVIEWER, Role.MINISTRY_VERIFIER, Role.FIELD_VERIFIER, Role.MINISTRY_ADMIN)


def agency_ids(user: Visitor) -> set[int]:
    """The agencies the user operates for (operator memberships)."""
    return {m.agency_id for m in memberships(user) if m.agency_id is not None}


# --- user management -------------------------------------------------------------------------------------------


def can_manage_users(user: Visitor) -> bool:
    return bool(grantable_roles(grants(user)))


def managing_region_codes(user: Visitor) -> list[str | None]:
    """The regions of the memberships that may grant roles (None = nationwide)."""
    return [m.region_id for m in memberships(user) if GRANTABLE[Role(m.role)]]


def managed_users(user: Visitor) -> QuerySet[User]:
    """Users holding an active membership inside the manager's scope (nationwide for a ministry administrator)."""
    if not can_manage_users(user):
        raise PermissionDenied(gettext("Anda tidak berwenang mengelola pengguna."))
    scope = subtree_q(managing_region_codes(user), "memberships__region_id")
    qs = User.objects.filter(is_active=True)
    if scope is None:
        return qs.order_by("username")
    return qs.filter(scope, memberships__revoked_at__isnull=True).distinct().order_by("username")


def get_user_for_manager(user: Visitor, pk: int) -> User:
    try:
        return managed_users(user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def check_can_grant(user: Visitor, wanted: Grant) -> None:
    """Raise PermissionDenied unless the user's memberships allow granting `wanted`."""
    if not can_grant(grants(user), wanted):
        raise PermissionDenied(
            gettext(
                "Anda tidak dapat memberikan peran ini di wilayah tersebut: peran yang diberikan tidak "
                "boleh melebihi peran dan wilayah Anda sendiri."
            )
        )


def get_membership_for_revoke(user: User, pk: int) -> Membership:
    """A membership the user may revoke: visible (inside scope) and grantable by them, never their own."""
    try:
        membership = Membership.objects.active().select_related("region", "agency", "user").get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    if not can_manage_users(user) or not any(covers(g, membership.region_id) for g in grants(user)):
        raise Http404(NOT_FOUND)
    if membership.user_id == user.pk:
        raise PermissionDenied(gettext("Anda tidak dapat mencabut peran Anda sendiri; mintalah pengelola lain."))
    check_can_grant(user, membership.as_grant())
    return membership


# --- API tokens ------------------------------------------------------------------------------------------------


def get_token_for_user(user: Visitor, pk: int) -> ApiToken:
    """Only the owner sees or revokes a token; anybody else gets 404."""
    if user is None or not user.is_authenticated:
        raise Http404(NOT_FOUND)
    try:
        return ApiToken.objects.get(pk=pk, user=user)
    except ApiToken.DoesNotExist:
        raise Http404(NOT_FOUND) from None


# --- reference data --------------------------------------------------------------------------------------------


def can_view_reference_data(user: Visitor) -> bool:
    """Regions and instruments are public reference data: everyone, signed in or not, may read them."""
    return True
