"""The one pagination of /api/v1: `?limit=&offset=`, answering `{"count": N, "items": [...]}`."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

# No list comes near a billion rows; a bigger offset is refused as invalid input (422) instead of reaching the
# database, which cannot take an offset beyond 64 bits (SQLite raises OverflowError: a server error).
MAX_OFFSET = 1_000_000_000


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PagedByIds(Pagination):
    """The same pagination for a list whose rows carry costly per-row subqueries: the page's ids are read first
    (ordering only), then the subqueries run for those rows alone. One query more; without it SQLite computes every
    subquery for every row in scope before it sorts and cuts the page."""

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any) -> Any:
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
        return {self.items_attribute: list(queryset.filter(pk__in=ids)), "count": self._items_count(queryset)}
