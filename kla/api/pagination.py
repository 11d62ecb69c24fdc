"""The one pagination of /api/v1: `?limit=&offset=`, answering `{"count": N, "items": [...]}`."""

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
