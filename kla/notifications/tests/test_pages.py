"""The notification pages and API: the list with its filters, marking read (one's own only), the preferences form,
the bell's count, and what they cost in queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from kla.notifications.models import Delivery, Kind, Notification, Preference
from kla.notifications.services import Message, deliver

pytestmark = pytest.mark.django_db
LIST = "/notifikasi/"


def tell(user: Any, n: int, kind: Kind = Kind.ASSIGNED) -> list[Notification]:
    for i in range(n):
        deliver(
            [user], Message(kind=kind, title=f"Pesan {kind} {i}", body="Isi.", key=f"{kind}-{i}", url="/tugas-saya/")
        )
    return list(Notification.objects.filter(user=user, kind=kind).order_by("pk"))


def test_the_list_shows_unread_first_filters_and_links_each_item(client_for: Any, user_of: Any) -> None:
    user = user_of("opd")
    Notification.objects.filter(user=user).delete()
    assigned = tell(user, 3)
    tell(user, 1, Kind.DEADLINE)
    client = client_for("opd")
    client.post(reverse("notifications:read", args=[assigned[0].pk]))
    page = client.get(LIST).content.decode()  # unread only, by default
    assert "Pesan assigned 1" in page and "Pesan deadline 0" in page and "Pesan assigned 0" not in page
    page = client.get(LIST, {"status": "all"}).content.decode()
    assert page.index("Pesan assigned 2") < page.index("Pesan assigned 0")  # the read one comes last
    page = client.get(LIST, {"status": "all", "kind": "deadline"}).content.decode()
    assert "Pesan deadline 0" in page and "Pesan assigned" not in page
    assert client.get(LIST, {"status": "bogus", "kind": "<script>"}).status_code == 200  # unknown filters: ignored
    # "Buka" marks it read and goes to its object
    response = client.post(reverse("notifications:read", args=[assigned[1].pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == "/tugas-saya/"
    assert Notification.objects.get(pk=assigned[1].pk).read_at is not None


def test_mark_all_read_and_another_users_notification_is_404(client_for: Any, user_of: Any) -> None:
    mine = tell(user_of("opd"), 2)
    theirs = tell(user_of("secretariat"), 1)[0]
    client = client_for("opd")
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[999_999])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert client.get(reverse("notifications:read", args=[mine[0].pk])).status_code == 405  # reading changes state
    response = client.post(reverse("notifications:read_all"), {"next": "https://evil.example/"}, follow=True)
    assert response.redirect_chain[-1][0] == LIST  # never off the site
    assert "ditandai sudah dibaca" in response.content.decode()
    assert not Notification.objects.filter(user=user_of("opd"), read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_preferences_refuse_turning_off_a_mandatory_kind_and_keep_what_was_chosen(
    client_for: Any, user_of: Any
) -> None:
    client = client_for("secretariat")
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Wajib: tidak dapat dimatikan." in page
    chosen = {k.value: Delivery.IMMEDIATE.value for k in Kind}
    response = client.post(
        reverse("notifications:preferences"), {**chosen, "returned": "off", "assigned": "digest", "export": "off"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "wajib diterima karena menyangkut pekerjaan Anda" in body
    assert 'value="digest" checked' in body.replace('checked="checked"', "checked") or "digest" in body
    assert not Preference.objects.filter(user=user_of("secretariat")).exists()  # nothing saved
    response = client.post(reverse("notifications:preferences"), {**chosen, "assigned": "digest", "export": "off"})
    assert response.status_code == 302
    stored = dict(Preference.objects.filter(user=user_of("secretariat")).values_list("kind", "delivery"))
    assert stored == {"assigned": "digest", "export": "off"}
    response = client.post(reverse("notifications:preferences"), {**chosen, "deadline": "sometimes"})
    assert response.status_code == 422  # not one of the choices


def test_the_bell_reads_its_count_from_the_user_row_with_no_query_of_its_own(
    user_of: Any, django_assert_num_queries: Any, client_for: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser

    from kla.accounts.models import User
    from kla.notifications.context_processors import unread
    from kla.notifications.counter import recount
    from kla.notifications.services import mark_all_read, mark_read

    user = user_of("opd")
    Notification.objects.filter(user=user).delete()
    recount([user.pk])
    first, *_rest = tell(user, 4)
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)  # as the session loads it on each request
    with django_assert_num_queries(0):
        html = render_to_string("notifications/_bell.html", {**unread(request), "user": request.user})
    assert 'data-unread="4"' in html and ">4<" in html
    mark_read(notification=first, by=user)
    assert User.objects.get(pk=user.pk).unread_notifications == 3
    page = client_for("opd").get(reverse("evaluations:my_work")).content.decode()
    assert 'id="notification-bell"' in page and 'data-unread="3"' in page  # every page's header
    mark_all_read(by=user)
    assert User.objects.get(pk=user.pk).unread_notifications == 0
    anonymous = RequestFactory().get("/")
    anonymous.user = AnonymousUser()
    assert unread(anonymous) == {}


@pytest.mark.parametrize("count", [1, 40])
def test_the_list_costs_the_same_queries_for_few_and_many(
    count: int, client_for: Any, user_of: Any, django_assert_num_queries: Any
) -> None:
    tell(user_of("opd"), count)
    client = client_for("opd")
    client.get(LIST)  # session and caches warm
    with django_assert_num_queries(QUERIES_LIST):
        assert client.get(LIST, {"status": "all"}).status_code == 200


# session, the user with memberships (menu), count and page of notifications; the bell reads the user row (no query)
QUERIES_LIST = 4


def test_api_lists_the_callers_own_unread_first_and_marks_read(user_of: Any, client: Any) -> None:
    from tests.idor_objects import bearer

    user = user_of("opd")
    Notification.objects.filter(user=user).delete()
    first, second = tell(user, 2)
    other = tell(user_of("secretariat"), 1)[0]
    headers = bearer(user)
    assert client.post(f"/api/v1/notifications/{first.pk}/read", headers=headers).json()["read_at"]
    body = client.get("/api/v1/notifications/", headers=headers).json()
    assert body["count"] == 2 and [i["id"] for i in body["items"]] == [second.pk, first.pk]
    assert body["items"][0]["url"].endswith("/tugas-saya/") and body["items"][0]["kind_label"]
    assert client.get("/api/v1/notifications/?unread=true", headers=headers).json()["count"] == 1
    assert client.get("/api/v1/notifications/?kind=deadline", headers=headers).json()["count"] == 0
    assert client.get("/api/v1/notifications/?kind=bogus", headers=headers).status_code == 422
    assert client.post(f"/api/v1/notifications/{other.pk}/read", headers=headers).status_code == 404
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert client.get("/api/v1/notifications/").status_code == 401
