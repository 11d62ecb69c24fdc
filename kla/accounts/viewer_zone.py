"""The viewer's time zone: the zone of the region of their memberships (kla.regions.zones), active for the request.

With the zone active, every instant on a page reads in it with its label (``{% load formats %}``: ``16.23 WIT`` for
a Jayapura officer, ``14.23 WIB`` for the ministry and the public), and a time typed in a form is read in it. It
lives here, not in kla.core, because a membership is an accounts record (core imports no app); it costs no query:
the session checks before it have already read the user's memberships (cached on the user).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from kla.accounts import access
from kla.regions.zones import DEFAULT_ZONE, common_zone


def zone_of_user(user: access.Visitor) -> str:
    """The zone of a person's first active membership with a region (memberships in role and region order); WIB for
    the public, national roles and anyone without a membership."""
    if user is None or not user.is_authenticated:
        return DEFAULT_ZONE
    return common_zone([m.region_id for m in access.memberships(user)])


class ViewerZoneMiddleware:
    """Activates the viewer's region zone for the request (after authentication), and the site's zone after it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(zone_of_user(getattr(request, "user", None)))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
