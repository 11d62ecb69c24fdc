"""The viewer's time zone is the zone of their membership's region, active for the whole request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from kla.accounts.models import Membership, User
from kla.accounts.roles import Role
from kla.accounts.viewer_zone import ViewerZoneMiddleware, zone_of_user

pytestmark = pytest.mark.django_db


def member_of(region: str, role: Role = Role.SECRETARIAT) -> User:
    user = User.objects.create(username=f"gt-{region}", email=f"gt-{region}@contoh.invalid")
    Membership.objects.create(user=user, role=role, region_id=region)
    return user


def zone_seen(user: object) -> tuple[str, str]:
    """(zone active while the view runs, zone active after the response)."""
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = user  # type: ignore[assignment]
    ViewerZoneMiddleware(view)(request)
    return seen[0], timezone.get_current_timezone_name()


@pytest.mark.parametrize(
    ("region", "zone"), [("16.71", "Asia/Jakarta"), ("73.71", "Asia/Makassar"), ("91.71", "Asia/Jayapura")]
)
def test_a_region_member_sees_their_region_zone(region: str, zone: str) -> None:
    user = member_of(region)
    assert zone_of_user(user) == zone
    assert zone_seen(user) == (zone, "Asia/Jakarta")  # the site's zone again after the request


def test_a_province_reviewer_reads_the_province_zone() -> None:
    assert zone_of_user(member_of("73", Role.PROVINCE_REVIEWER)) == "Asia/Makassar"


def test_the_public_national_roles_and_people_without_a_role_read_wib(user_of) -> None:  # type: ignore[no-untyped-def]
    assert zone_seen(AnonymousUser())[0] == "Asia/Jakarta"
    assert zone_of_user(user_of("ministry_admin")) == "Asia/Jakarta"
    assert zone_of_user(user_of("no_role")) == "Asia/Jakarta"


def test_a_revoked_membership_no_longer_decides_the_zone() -> None:
    user = member_of("91.71")
    Membership.objects.filter(user=user).update(revoked_at=timezone.now())
    fresh = User.objects.get(pk=user.pk)
    assert zone_of_user(fresh) == "Asia/Jakarta"
