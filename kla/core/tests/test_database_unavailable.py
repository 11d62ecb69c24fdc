"""While PostgreSQL restarts, users get a 503 that says what happened and what to do, never a 500."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test import Client


@pytest.fixture
def broken_database(monkeypatch):  # type: ignore[no-untyped-def]
    """The database driver refusing every query, as it does while the server restarts (the real exception class)."""

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("connection to server at 127.0.0.1 failed: the database system is starting up")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    monkeypatch.setattr(connection, "cursor", refuse)


@pytest.mark.django_db
def test_a_page_during_a_database_restart_is_a_503_with_retry_after(broken_database, settings) -> None:
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/hasil/")  # the public portal reads cycles
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Layanan sedang dipulihkan" in body and "Coba lagi dalam beberapa detik" in body


@pytest.mark.django_db
def test_the_api_during_a_database_restart_answers_json_503(broken_database, settings) -> None:
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/api/v1/regions/")
    assert response.status_code == 503
    assert response.json()["detail"].startswith("Layanan sedang dipulihkan")
    assert response["Retry-After"] == "10"


def test_other_errors_are_not_disguised_as_unavailability() -> None:
    from django.http import HttpRequest

    from kla.core.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    assert middleware.process_exception(HttpRequest(), ValueError("bug")) is None


@pytest.mark.django_db
def test_a_signed_in_page_fails_in_the_session_middleware_and_still_gets_the_503(user_of, settings, monkeypatch):
    """Loading the session is the first query of a signed-in request: it fails before any view runs, so the
    500 handler (not the middleware's process_exception) must turn it into the 503."""
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(user_of("opd"))

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/tugas-saya/")
    assert response.status_code == 503
    assert "Layanan sedang dipulihkan" in response.content.decode()
    assert response["Retry-After"] == "10"
