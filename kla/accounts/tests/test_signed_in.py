"""The signed-in user read with their memberships in one compiled query (kla.accounts.signed_in, kla.core.compiled,
kla.core.sessions): the same user, memberships and session rules as Django's own reading, in fewer queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kla.accounts import access
from kla.accounts.models import Membership, User
from kla.accounts.signed_in import load_user
from kla.core.compiled import CompiledQuery

pytestmark = pytest.mark.django_db

ME = "/akun/"


def test_compiled_memberships_equal_the_orm_and_need_no_further_query(user_of) -> None:
    secretariat = user_of("secretariat")
    expected = list(Membership.objects.active().filter(user=secretariat).select_related("region", "agency"))
    with CaptureQueriesContext(connection) as queries:
        user = load_user(secretariat.pk)
        assert user is not None
        found = access.memberships(user)
        regions = [m.region.name if m.region else None for m in found]
        users = {id(m.user) for m in found}
    assert len(queries) == 1
    assert [m.pk for m in found] == [m.pk for m in expected] and len(found) >= 1
    assert regions == [m.region.name if m.region else None for m in expected]
    assert users == {id(user)}
    assert (user.username, user.unread_notifications) == (secretariat.username, secretariat.unread_notifications)


def test_a_user_without_membership_is_read_by_a_second_query(user_of) -> None:
    nobody = User.objects.create_user("tanpa-keanggotaan-uji", password="x" * 20)
    with CaptureQueriesContext(connection) as queries:
        user = load_user(nobody.pk)
        assert user is not None and access.memberships(user) == []
    assert len(queries) == 2 and user.pk == nobody.pk
    assert load_user(10**9) is None


def test_compiled_query_takes_new_values_and_refuses_an_ambiguous_placeholder(user_of) -> None:
    by_name: CompiledQuery[User] = CompiledQuery(lambda name: User.objects.filter(username=name), str)
    assert [u.pk for u in by_name.fetch(user_of("opd").username)] == [user_of("opd").pk]
    assert by_name.fetch("tidak-ada") == []
    twice: CompiledQuery[User] = CompiledQuery(lambda pk: User.objects.filter(pk=pk) | User.objects.filter(id=pk), int)
    with pytest.raises(ValueError, match="appears 2 times"):
        twice.fetch(1)


def test_a_signed_in_page_reads_session_and_user_in_two_queries(client_for) -> None:
    client = client_for("opd")
    client.get("/healthz")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/healthz").status_code == 200
    # the session row, the user with memberships, the health probe's SELECT 1
    assert len(queries) == 3, [q["sql"] for q in queries]


def test_a_changed_password_ends_other_sessions(client_for, user_of) -> None:
    client = client_for("opd")
    assert client.get(ME).status_code == 200
    user = user_of("opd")
    user.set_password("kata-sandi-baru-yang-panjang")
    user.save()
    response = client.get(ME)
    assert response.status_code == 302 and "/masuk/" in response.url


def test_an_inactive_user_and_an_expired_session_are_nobody(client_for, user_of) -> None:
    client = client_for("secretariat")
    assert client.get(ME).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(ME).status_code == 302
    other = client_for("secretariat")
    User.objects.filter(pk=user_of("secretariat").pk).update(is_active=False)
    assert other.get(ME).status_code == 302


def test_sessions_of_the_plain_database_engine_are_read(user_of) -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    user = user_of("opd")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client = Client()
    client.cookies["sessionid"] = str(session.session_key)
    assert client.get(ME).status_code == 200
