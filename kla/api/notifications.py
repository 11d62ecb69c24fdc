"""/api/v1 for notifications: the caller's own, unread first, and marking one read. Another user's id: 404."""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from kla.api.auth import TokenOrSession, api_user
from kla.api.pagination import Pagination
from kla.api.schemas import Error, Id
from kla.notifications import selectors, services
from kla.notifications.models import Kind, Notification

router = Router(auth=TokenOrSession(), tags=["notifikasi"])
ERRORS: dict[int, Any] = {400: Error, 401: Error, 404: Error, 422: Error}


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj: Notification) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_url(obj: Notification, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.url) if obj.url else ""


class NotificationFilter(Schema):
    unread: bool = False
    kind: Kind | None = None


@router.get(
    "/notifications/",
    response={200: list[NotificationOut], **ERRORS},
    summary="Notifikasi Anda: yang belum dibaca lebih dahulu, lalu yang terbaru",
)
@paginate(Pagination)
def notifications(request: HttpRequest, filters: Query[NotificationFilter]) -> Any:
    user = api_user(request)
    rows = selectors.notifications_of(user, unread_only=filters.unread, kind=filters.kind.value if filters.kind else "")
    return rows


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    summary="Tandai satu notifikasi Anda sudah dibaca",
)
def notification_read(request: HttpRequest, notification_id: Id) -> Any:
    user = api_user(request)
    notification = selectors.notification_of(user, notification_id)
    if notification is None:
        raise Http404(gettext("Notifikasi tidak ditemukan."))
    return services.mark_read(notification=notification, by=user)
