"""Who is signed in: the user of the session, read with their active memberships in one query.

Every page of a signed-in user needs the user row (the header, the bell's count) and the memberships (the menu,
the session limits, the zone, every gate). Django's AuthenticationMiddleware reads the user, then the first gate
reads the memberships: two queries, each compiled anew. Here `AuthenticationMiddleware` reads the memberships with
their user, region and agency in one query compiled once per process (kla.core.compiled), and the user row alone
only for someone without an active membership. Everything else is Django's `django.contrib.auth.get_user`: the
backend named in the session must still be configured, an inactive user is nobody, and the session's password hash
is verified (a password changed elsewhere ends the session; SECRET_KEY_FALLBACKS rotate it).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import (  # type: ignore[attr-defined]
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    _get_user_session_key,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from kla.accounts import access
from kla.accounts.models import Membership, User
from kla.core.compiled import CompiledQuery

_WITH_USER: CompiledQuery[Membership] = CompiledQuery(
    lambda user_id: Membership.objects.active().filter(user_id=user_id).select_related("user", "region", "agency"),
    int,
)
_USER: CompiledQuery[User] = CompiledQuery(lambda user_id: User._default_manager.filter(pk=user_id), int)


def load_user(user_id: int) -> User | None:
    """The user with their active memberships cached (`access.memberships`), or None when there is no such user."""
    active = _WITH_USER.fetch(user_id)
    if active:
        user: User = active[0].user
        access.remember(user, active)
        return user
    found = _USER.fetch(user_id)
    if not found:
        return None
    access.remember(found[0], [])
    return found[0]


def _backend_user(backend: Any, user_id: Any) -> Any:
    if type(backend).get_user is not ModelBackend.get_user:
        return backend.get_user(user_id)
    user = load_user(user_id)
    return user if user is not None and backend.user_can_authenticate(user) else None


def get_user(request: HttpRequest) -> User | AnonymousUser:
    """`django.contrib.auth.get_user` with the user read by `load_user` (for ModelBackend and its subclasses that
    keep its `get_user`)."""
    user = None
    try:
        user_id = _get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            user = _backend_user(load_backend(backend_path), user_id)
            if user is not None and not _session_verified(request, user):
                user = None
    return user or AnonymousUser()


def _session_verified(request: HttpRequest, user: User) -> bool:
    """The session's hash matches the user's password (or a fallback secret's, then the session is re-keyed)."""
    session_hash = request.session.get(HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return True
    if session_hash and any(
        constant_time_compare(session_hash, fallback) for fallback in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = session_auth_hash
        return True
    request.session.flush()
    return False


def _cached_user(request: HttpRequest) -> User | AnonymousUser:
    cached: User | AnonymousUser | None = getattr(request, "_cached_user", None)
    if cached is None:
        cached = get_user(request)
        request._cached_user = cached  # type: ignore[attr-defined]
    return cached


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, with `request.user` read by `get_user` above (`request.auser` stays Django's)."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))  # type: ignore[assignment]
