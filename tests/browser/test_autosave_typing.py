"""Autosave while typing on: the numerator's save answers while the person is still typing the denominator of the
same question; what they typed there is kept (it was cut to "2.0" when the form was replaced), then saved."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_typing_in_the_next_field_survives_the_autosave(watched_page: Any, site: str) -> None:
    page = watched_page

    def slow_network(route: Any) -> None:  # a slow connection: the answer comes back while the person types on
        response = route.fetch()
        time.sleep(0.9)
        route.fulfill(response=response)

    sign_in(page, site, "opd-palembang")
    page.route(re.compile(r".*/jawaban/\d+/$"), slow_network)
    page.get_by_role("link", name="4. Kepemilikan Kutipan Akta Kelahiran").click()
    form = page.locator("form[data-autosave]").filter(has=page.locator("legend", has_text=re.compile(r"^4\.1\b")))
    numerator = form.locator("input[name=numerator]")
    numerator.click()
    numerator.press_sequentially("1.900")
    form.evaluate("f => f.setAttribute('data-before-save', '')")  # gone once the server's answer replaces the form
    with page.expect_response(lambda r: r.request.method == "POST" and "/jawaban/" in r.url):
        numerator.press("Tab")  # the numerator's change saves after 400 ms ...
        form.locator("input[name=denominator]").press_sequentially("2.000", delay=250)  # ... while this is typed
    # The response reaches the browser before htmx swaps it in: wait for the swap, as the person sees it happen.
    expect(page.locator("form[data-before-save]")).to_have_count(0)
    expect(form.locator("input[name=denominator]")).to_be_focused()
    expect(form.locator("input[name=denominator]")).to_have_value("2.000")
    # Leaving the field saves what was typed there (through the slow connection: wait for that answer).
    with page.expect_response(lambda r: r.request.method == "POST" and "/jawaban/" in r.url, timeout=20_000):
        form.locator("input[name=denominator]").press("Tab")
    expect(form.locator(".points")).to_have_text("25 poin", timeout=10_000)
    expect(form).to_contain_text("95,00%")
    expect(form.locator("input[name=denominator]")).to_have_value("2.000")
