"""Browser journeys in Debian's chromium, driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("KLA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "id-ID", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def site(live_server: Any, transactional_db: None) -> str:
    """The live server with the demo data (the database is flushed between transactional tests)."""
    from kla.demo.services import demo_seed

    demo_seed()
    return str(live_server.url)


@pytest.fixture
def watched_page(page: Any, site: str) -> Iterator[Any]:
    """A page that records requests leaving the server and console errors (CSP violations show up there)."""
    host = urlparse(site).hostname
    outside: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in (host, None) else None)
    # 409 (edit conflict) and 422 (refused input) are answers the pages show on purpose; the browser logs them too.
    expected = ("status of 409", "status of 422")
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and not any(e in m.text for e in expected) else None,
    )
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.outside_requests = outside
    page.console_errors = errors
    yield page
    assert outside == [], f"requests outside the server: {outside}"
    assert errors == [], f"console errors: {errors}"


def _fresh_code(username: str) -> str | None:
    """The code the user's authenticator app would accept now, or None if the user has no app (no second step).

    Each time step's code works once (replay protection), and the server accepts the next step too (clock drift).
    A second sign-in of the same user within one 30-second step therefore uses the next step's code; only a third
    one within the same step has to wait for the clock.
    """
    from kla.accounts import totp
    from kla.accounts.models import TotpDevice

    device = TotpDevice.objects.filter(user__username=username, confirmed_at__isnull=False).first()
    if device is None:
        return None
    now = time.time()
    current = totp.step_at(now)
    wanted = max(current, (device.last_step if device.last_step is not None else -1) + 1)
    if wanted > current + 1:
        time.sleep((wanted - 1) * totp.STEP_SECONDS - now + 0.5)
    return totp.code_at(device.secret, wanted * totp.STEP_SECONDS)


# The sign-in page's labels per language: (username, password, sign in).
SIGN_IN_LABELS = {"id": ("Nama pengguna", "Kata sandi", "Masuk"), "en": ("Username", "Password", "Sign in")}
# The code step comes in the user's saved language (signing in applies it), whatever the sign-in page's was.
CODE_LABEL = re.compile("^(Kode verifikasi|Verification code)")
VERIFY = re.compile("^(Verifikasi|Verification|Verify)$")


def sign_in(page: Any, site: str, username: str, language: str = "id") -> None:
    """Sign in with the demo password and, for province and ministry roles, the code from the demo authenticator.
    `language`: the language the sign-in page is in (the one chosen in the header before)."""
    from kla.demo.data import DEMO_PASSWORD

    name, password, submit = SIGN_IN_LABELS[language]
    page.goto(f"{site}/akun/masuk/")
    page.get_by_label(name).fill(username)
    page.get_by_label(password).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=submit).last.click()
    page.wait_for_url(lambda url: urlparse(url).path != "/akun/masuk/")
    if urlparse(page.url).path == "/akun/masuk/kode/":
        code = _fresh_code(username)
        assert code is not None, f"{username} is asked for a code but has no authenticator app"
        page.get_by_label(CODE_LABEL).fill(code)
        page.get_by_role("button", name=VERIFY).click()
        page.wait_for_url(lambda url: urlparse(url).path != "/akun/masuk/kode/")
