"""Reads of notifications: whom to tell (by role and place), a user's list and unread count, their preferences."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When

from kla.accounts.models import Membership, User
from kla.accounts.roles import Role
from kla.notifications.models import Delivery, Kind, Notification, Preference


def members(role: Role, *, regions: Iterable[str] | None = None, agencies: Iterable[int] | None = None) -> list[User]:
    """Active users holding an active membership of `role` in the given regions and/or agencies (one query)."""
    q = Q(memberships__role=role, memberships__revoked_at__isnull=True, is_active=True)
    if regions is not None:
        q &= Q(memberships__region_id__in=list(regions))
    if agencies is not None:
        q &= Q(memberships__agency_id__in=list(agencies))
    return list(User.objects.filter(q).distinct().order_by("pk"))


def operators_of(agency_ids: Iterable[int]) -> list[User]:
    return members(Role.OPD_OPERATOR, agencies=agency_ids)


def secretariat_of(region_codes: Iterable[str]) -> list[User]:
    return members(Role.SECRETARIAT, regions=region_codes)


def province_reviewers_of(province_codes: Iterable[str]) -> list[User]:
    return members(Role.PROVINCE_REVIEWER, regions=province_codes)


def ministry_admins() -> list[User]:
    return members(Role.MINISTRY_ADMIN)


def agencies_by_user(agency_ids: Iterable[int]) -> dict[int, set[int]]:
    """user id → the agencies among `agency_ids` they operate for (one query)."""
    found: dict[int, set[int]] = {}
    rows = (
        Membership.objects.active()
        .filter(role=Role.OPD_OPERATOR, agency_id__in=list(agency_ids), user__is_active=True)
        .values_list("user_id", "agency_id")
    )
    for user_id, agency_id in rows:
        found.setdefault(user_id, set()).add(agency_id)
    return found


def deliveries(user_ids: Iterable[int], kind: Kind) -> dict[int, Delivery]:
    """Each user's chosen delivery of `kind` (immediately when never chosen); mandatory kinds are never off."""
    ids = list(user_ids)
    chosen = dict(Preference.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", "delivery"))
    return {pk: Delivery(chosen.get(pk, Delivery.IMMEDIATE)) for pk in ids}


def preferences_of(user: User) -> dict[Kind, Delivery]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: Delivery(chosen.get(kind.value, Delivery.IMMEDIATE)) for kind in Kind}


def unread_count(user: User) -> int:
    """One query on the (user, read_at) index."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user: User, *, unread_only: bool = False, kind: str = "") -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first."""
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1))
    return qs.order_by(unread_first, "-created_at", "-id")


def count_of(user: User, *, unread_only: bool = False, kind: str = "") -> int:
    """How many notifications `notifications_of` lists (one plain query: the list page reads it on every request,
    and building the ORM's count cost more than running it)."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    sql = f"SELECT COUNT(*) FROM {table} WHERE user_id = %s"  # noqa: S608 - the model's table
    params: list[int | str] = [user.pk]
    if unread_only:
        sql += " AND read_at IS NULL"
    if kind:
        sql, params = sql + " AND kind = %s", [*params, kind]  # one of the kinds (checked by the view)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def notification_of(user: User, pk: int) -> Notification | None:
    """The user's own notification by id; None for anyone else's (answered 404 like an unknown id)."""
    return Notification.objects.filter(user=user, pk=pk).first()
