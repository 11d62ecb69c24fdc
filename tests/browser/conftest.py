"""Browser journeys in Debian's chromium, driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil
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


def sign_in(page: Any, site: str, username: str) -> None:
    from kla.demo.data import DEMO_PASSWORD

    page.goto(f"{site}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").last.click()
