"""Every main page of every persona on a phone (390 × 844): no horizontal scroll, a compact header.

The pages are not listed here: they are collected from the rendered menu of each persona (so a new menu entry is
measured without touching this file), plus the page the persona lands on after signing in, its account page, and
one page of each kind linked from the main content of those pages (the secretariat's dashboard, the verification
page of an evaluation, an entry...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844
HEADER_SHARE = 0.2  # the collapsed header takes at most a fifth of the screen

PERSONAS = (
    None,  # a visitor who has not signed in: the public pages
    "opd-palembang",
    "gt-palembang",
    "prov-sumsel",
    "kemen-verifikator",
    "kemen-lapangan",
    "kemen-admin",
)

# Links that answer a file rather than a page, or that change something on a GET (none should), are not pages.
NOT_PAGES = ("/api/", "/media/", "/static/", "/healthz", "/readyz", "/admin/")

# Measured in the page: the document's width, and the outermost elements that stick out of the viewport without a
# scrolling container of their own around them (a wide table inside `.table-wrap` scrolls in place and is fine).
MEASURE = """
(width) => {
  const describe = (el) => {
    const parts = [];
    for (let node = el; node && node !== document.body && parts.length < 4; node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) part += "#" + node.id;
      else if (typeof node.className === "string" && node.className.trim())
        part += "." + node.className.trim().split(/\\s+/).join(".");
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  // Clipped by a scrolling (or clipping) box of its containing-block chain: an absolutely positioned element escapes
  // the overflow of ancestors that are not positioned.
  const clipped = (el) => {
    let position = getComputedStyle(el).position;
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (position === "fixed") return false;
      const style = getComputedStyle(node);
      if (position === "absolute" && style.position === "static" && style.transform === "none") continue;
      if (style.overflowX !== "visible") return true;
      position = style.position;
    }
    return false;
  };
  // The right edge of the element or of its content (text that runs out of its box counts too).
  const right = (el) => {
    const box = el.getBoundingClientRect();
    const content = getComputedStyle(el).overflowX === "visible" ? box.left + el.scrollWidth : box.right;
    return Math.max(box.right, content);
  };
  // The outermost boxes that stick out, and the innermost boxes whose content (a long word) runs out of them.
  const out = [...document.body.querySelectorAll("*")].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && right(el) > width + 0.5 && !clipped(el);
  });
  const sticksOut = (el) => el.getBoundingClientRect().right > width + 0.5;
  const wide = out.filter((el) =>
    sticksOut(el)
      ? !out.some((other) => other !== el && sticksOut(other) && other.contains(el))
      : !out.some((other) => other !== el && el.contains(other)),
  );
  const header = document.querySelector(".site-header");
  return {
    scrollWidth: document.documentElement.scrollWidth,
    masked: [document.documentElement, document.body].some((el) => getComputedStyle(el).overflowX !== "visible"),
    wide: wide.map((el) => describe(el) + " (" + Math.round(right(el)) + " px)"),
    header: header ? Math.round(header.getBoundingClientRect().height) : 0,
  };
}
"""


@dataclass
class Measure:
    url: str
    scroll_width: int
    masked: bool
    wide: list[str]
    header: int


def _measured(page: Any) -> tuple[int, bool, list[str], int]:
    result = page.evaluate(MEASURE, WIDTH)
    return result["scrollWidth"], result["masked"], result["wide"], result["header"]


@dataclass
class Crawl:
    site: str
    seen_routes: set[str] = field(default_factory=set)
    seen_urls: set[str] = field(default_factory=set)
    measures: list[Measure] = field(default_factory=list)

    def route(self, href: str) -> str | None:
        """The view name of a same-site page link, or None for anything that is not a page of this site."""
        url = urlparse(urljoin(self.site + "/", href))
        if url.netloc != urlparse(self.site).netloc or url.path.startswith(NOT_PAGES):
            return None
        try:
            match = resolve(url.path)
        except Resolver404:
            return None
        return match.view_name

    def visit(self, page: Any, href: str) -> bool:
        url = urljoin(self.site + "/", href).split("#")[0]
        if url in self.seen_urls:
            return False
        self.seen_urls.add(url)
        try:
            response = page.goto(url)
        except PlaywrightError:  # a download (export, PDF) is not a page
            return False
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            return False
        self.measures.append(Measure(page.url, *_measured(page)))
        return True

    def links(self, page: Any, selector: str) -> list[str]:
        hrefs: list[str] = page.eval_on_selector_all(selector, "(links) => links.map((a) => a.getAttribute('href'))")
        return [href for href in hrefs if href and not href.startswith(("#", "mailto:", "tel:"))]


def lubuklinggau_under_review() -> None:
    """Lubuklinggau answers and submits, the province accepts most of it and returns one indicator with a reason, so
    the verification pages hold verdicts (Palembang's self-assessment stays open)."""
    import datetime as dt

    from django.utils import timezone

    from kla.accounts.models import User
    from kla.demo.answers import fill_answers
    from kla.evaluations.models import Evaluation
    from kla.evaluations.services import evaluation_submit
    from kla.evaluations.workflow import Step
    from kla.verification.services import returns, steps, verdicts

    evaluation = Evaluation.objects.select_related("cycle__framework", "region").get(
        cycle__code="evaluasi-kla-demo", region_id="16.73"
    )
    fill_answers(evaluation, seed=5, strength=0.8)
    evaluation = evaluation_submit(evaluation=evaluation, by=None, acknowledge_missing=True, confirm_below_gate=True)
    reviewer = User.objects.get(username="prov-sumsel")
    steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=reviewer)
    entries = list(evaluation.entries.order_by("indicator__position"))
    verdicts.entries_accept(
        evaluation=evaluation, entries=entries[1:], comment="Sesuai dengan bukti dukung.", by=reviewer
    )
    returns.entries_return(
        evaluation=evaluation,
        entries=entries[:1],
        reason="Surat keputusan yang diunggah tidak terbaca; unggah ulang berkas pindaian yang jelas.",
        deadline=timezone.now() + dt.timedelta(days=7),
        by=reviewer,
    )


def crawl(page: Any, site: str, username: str | None, depth: int = 2) -> Crawl:
    """Every page of the persona's menu (and its landing and account pages), then one page of each kind linked from
    the main content, `depth` links deep."""
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.context.clear_cookies()
    found = Crawl(site)
    if username is None:
        page.goto(site + "/")
    else:
        sign_in(page, site, username)
    level = [page.url, *found.links(page, ".site-header nav a[href], .site-header .user-link")]
    for _ in range(depth + 1):
        deeper: list[str] = []
        for href in level:
            route = found.route(href)
            if route is None or route in found.seen_routes:
                continue
            found.seen_routes.add(route)
            if found.visit(page, href):
                deeper += found.links(page, "main a[href]")
        level = deeper
    return found


def problems(measures: list[Measure]) -> list[str]:
    found = []
    for m in measures:
        if m.masked:
            found.append(f"{m.url}: the page hides its overflow (overflow-x on html or body) instead of fitting")
        if m.scroll_width > WIDTH or m.wide:
            found.append(f"{m.url}: {m.scroll_width} px wide; wider than the screen: {', '.join(m.wide) or '?'}")
        if m.header > HEADER_SHARE * HEIGHT:
            found.append(f"{m.url}: the header takes {m.header} of {HEIGHT} px")
    return found


@pytest.mark.parametrize("username", PERSONAS, ids=[p or "public" for p in PERSONAS])
def test_every_main_page_fits_a_phone(watched_page: Any, site: str, username: str | None) -> None:
    lubuklinggau_under_review()
    found = crawl(watched_page, site, username)
    assert len(found.measures) >= 5, f"too few pages measured: {[m.url for m in found.measures]}"
    widest = max(found.measures, key=lambda m: m.scroll_width)
    print(f"{username or 'public'}: {len(found.measures)} pages, widest {widest.scroll_width} px ({widest.url})")
    wrong = problems(found.measures)
    assert not wrong, "pages that do not fit a phone:\n" + "\n".join(wrong)


def test_the_phone_menu_opens_and_closes_from_the_keyboard(watched_page: Any, site: str) -> None:
    page = watched_page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, site, "gt-palembang")
    menu = page.get_by_role("navigation", name="Menu utama")
    toggle = page.get_by_role("button", name="Menu", exact=True)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Evaluasi")).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    page.keyboard.press("Tab")  # the first entry of the menu
    expect(menu.get_by_role("link", name="Beranda")).to_be_focused()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(menu).to_be_hidden()
    page.keyboard.press("Space")
    menu.get_by_role("link", name="Evaluasi").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert urlparse(page.url).path == "/evaluasi/"
    expect(toggle).to_have_attribute("aria-expanded", "false")  # a new page starts with the menu folded
    # on a wide screen there is no button: the menu is always there
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(toggle).to_be_hidden()
    expect(menu.get_by_role("link", name="Evaluasi")).to_be_visible()


def test_without_javascript_the_phone_menu_stays_unfolded(browser: Any, site: str) -> None:
    context = browser.new_context(
        java_script_enabled=False, locale="id-ID", viewport={"width": WIDTH, "height": HEIGHT}
    )
    try:
        page = context.new_page()
        page.goto(site + "/wilayah/")
        expect(page.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
        expect(page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Hasil")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    finally:
        context.close()


def test_long_names_and_addresses_wrap_on_a_phone(watched_page: Any, site: str) -> None:
    """An e-mail address, a name and a position without spaces where a phone would need them: they wrap."""
    from kla.accounts.models import User

    User.objects.filter(username__in=["opd-palembang", "gt-palembang"]).update(
        email="operator.dinas.kependudukan.dan.pencatatan.sipil.kota.palembang@disdukcapil.palembangkota.go.id",
        full_name="Rina Marlina Binti Abdurrahman Syamsuddin Kusumawardhani",
        position="Operator/Disdukcapil/Kota-Palembang/Bidang-Pelayanan-Pendaftaran-Penduduk",
    )
    operator = User.objects.get(username="opd-palembang")
    page = watched_page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, site, "gt-palembang")
    found = Crawl(site)
    for path in ("/akun/", f"/pengguna/{operator.pk}/", "/pengguna/"):
        found.visit(page, path)
    page.get_by_role("button", name="Menu", exact=True).click()
    found.measures.append(Measure(page.url + " (menu open)", *_measured(page)))
    assert len(found.measures) == 4
    wrong = problems(found.measures[:3]) + [p for p in problems(found.measures[3:]) if "header" not in p]
    assert not wrong, "\n".join(wrong)
