"""API authentication: a personal token (`Authorization: Bearer kla_…`) or, for reads, the browser session.

A request that sends a token must send a good one: a bad, malformed or revoked token is answered 401 with a
message, even on public endpoints, so a broken integration notices at once instead of silently reading as
anonymous.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.security import HttpBearer

from kla.accounts.models import User
from kla.accounts.services import token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ApiAuthError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class _Anonymous(AnonymousUser):
    """Truthy, so Ninja accepts it as 'authenticated as the public'."""

    def __bool__(self) -> bool:
        return True


def _token_user(request: HttpRequest) -> User | None:
    header = request.headers.get("Authorization")
    if not header:
        return None
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiAuthError(gettext("Header Authorization harus berbentuk 'Bearer <token>'."))
    user = token_authenticate(token.strip())
    if user is None:
        raise ApiAuthError(gettext("Token API tidak sah atau sudah dicabut. Buat token baru di halaman 'Akun saya'."))
    request.user = user
    return user


class PublicOrToken(HttpBearer):
    """Public endpoints: anyone may read; a token, when sent, must be valid and then identifies the caller."""

    def __call__(self, request: HttpRequest) -> User | AnonymousUser:
        user = _token_user(request)
        if user is not None:
            return user
        if request.method not in SAFE_METHODS:
            raise ApiAuthError("Perubahan data lewat API memerlukan token API.")
        return request.user if request.user.is_authenticated else _Anonymous()

    def authenticate(self, request: HttpRequest, token: str) -> User | None:  # pragma: no cover - __call__ decides
        return None


class TokenOrSession(HttpBearer):
    """Endpoints for signed-in callers: a valid token, or a browser session for reads."""

    def __call__(self, request: HttpRequest) -> User:
        user = _token_user(request)
        if user is not None:
            return user
        if request.method in SAFE_METHODS and request.user.is_authenticated:
            return request.user
        raise ApiAuthError(gettext("Masuk terlebih dahulu: kirim header 'Authorization: Bearer <token>'."))

    def authenticate(self, request: HttpRequest, token: str) -> User | None:  # pragma: no cover
        return None


def api_user(request: HttpRequest) -> User:
    """The caller of an endpoint behind `TokenOrSession`: Ninja keeps what `__call__` returned in `request.auth`."""
    return cast("User", request.auth)  # type: ignore[attr-defined]
