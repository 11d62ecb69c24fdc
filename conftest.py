"""Shared test fixtures: the demo data set loaded once per test session, and one signed-in client per persona."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.test import Client

# Playwright's sync API runs an event loop in the test thread; the live server's ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PERSONAS: dict[str, str | None] = {
    "anonymous": None,
    "no_role": "tanpa-peran",
    "opd": "opd-palembang",
    "secretariat": "gt-palembang",
    "other_secretariat": "gt-lubuklinggau",
    "province": "prov-sumsel",
    "ministry_verifier": "kemen-verifikator",
    "field_verifier": "kemen-lapangan",
    "ministry_admin": "kemen-admin",
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Reference and demo data, created once: provinsi + kab/kota, the bundled instrument, agencies, personas."""
    from kla.demo.services import demo_seed

    with django_db_blocker.unblock():
        demo_seed()


@pytest.fixture
def user_of(db):  # type: ignore[no-untyped-def]
    from kla.accounts.models import User

    def get(persona: str) -> User:
        username = PERSONAS[persona]
        assert username is not None, "anonymous has no user"
        return User.objects.get(username=username)

    return get


@pytest.fixture
def client_for(db) -> Callable[[str], Client]:  # type: ignore[no-untyped-def]
    """A test client signed in as the persona (anonymous: not signed in)."""
    from kla.accounts.models import User

    def make(persona: str) -> Client:
        client = Client()
        username = PERSONAS[persona]
        if username is not None:
            client.force_login(User.objects.get(username=username))
        return client

    return make
