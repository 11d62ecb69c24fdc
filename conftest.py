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


class PersonaClient(Client):
    """A test client whose `force_login` also marks the second sign-in step (TOTP) as passed for privileged users.

    `force_login` skips the password, and so the code step too; without the mark every page would redirect a
    province or ministry persona to the code page. The persona tests check authorisation, not signing in, so the
    session gets exactly the mark a correct code sets (`kla.accounts.security.mark_second_step`). The second step
    itself, and what happens WITHOUT the mark, are tested with plain clients in kla/accounts/tests/test_security_*.
    """

    def force_login(self, user, backend=None):  # type: ignore[no-untyped-def]
        from kla.accounts import security

        super().force_login(user, backend)
        if security.needs_second_step(user):
            session = self.session
            security.mark_second_step(session)
            session.save()


@pytest.fixture
def client_for(db) -> Callable[[str], Client]:  # type: ignore[no-untyped-def]
    """A test client signed in as the persona (anonymous: not signed in); privileged personas have passed the
    second step (see PersonaClient)."""
    from kla.accounts.models import User

    def make(persona: str) -> Client:
        client = PersonaClient()
        username = PERSONAS[persona]
        if username is not None:
            client.force_login(User.objects.get(username=username))
        return client

    return make
