"""base.html's menu and parts kept per process (kla.core.chrome): the same HTML as rendering them, per language,
flags and current section; never another viewer's."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import resolve

from kla.core import chrome

pytestmark = pytest.mark.django_db


def test_current_sections_follow_the_url() -> None:
    assert chrome.current_sections(None) == frozenset()
    assert chrome.current_sections(resolve("/")) == {"home"}
    assert chrome.current_sections(resolve("/tugas-saya/")) == {"my_work"}
    assert chrome.current_sections(resolve("/evaluasi/")) == {"evaluations"}
    assert chrome.current_sections(resolve("/hasil/")) == {"results"}
    assert chrome.current_sections(resolve("/verifikasi/")) == {"verification"}


def _nav(client: Client, path: str) -> str:
    html = client.get(path).content.decode()
    return html[html.index('<nav aria-label="') : html.index("</nav>")]


def test_each_viewer_gets_the_menu_of_their_roles(client_for) -> None:
    chrome.clear()
    operator, anonymous = _nav(client_for("opd"), "/"), _nav(Client(), "/")
    assert 'href="/tugas-saya/"' in operator and "Tugas saya" in operator
    assert "/tugas-saya/" not in anonymous and "/pengguna/" not in anonymous
    assert 'href="/" aria-current="page"' in operator
    # served again from the cache: the same menu, and the other viewer's still their own
    assert _nav(client_for("opd"), "/") == operator and _nav(Client(), "/") == anonymous
    assert 'href="/tugas-saya/" aria-current="page"' in _nav(client_for("opd"), "/tugas-saya/")


def test_the_menu_and_footer_follow_the_language(client_for) -> None:
    client = client_for("opd")
    indonesian = client.get("/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/").content.decode()
    assert "Beranda" in indonesian and "Status layanan" in indonesian
    assert "Beranda" not in english and "Status layanan" not in english


def test_the_kept_header_takes_this_request_s_values_escaped(client_for, user_of) -> None:
    user = user_of("opd")
    user.full_name = '<b>Rina</b> "Marlina"'
    user.save()
    client = client_for("opd")
    html = client.get("/akun/?a=<i>&b=1").content.decode()
    assert 'class="user-link">&lt;b&gt;Rina&lt;/b&gt; &quot;Marlina&quot;</a>' in html
    assert '<input name="next" type="hidden" value="/akun/?a=%3Ci%3E&amp;b=1">' in html
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', header)
    assert len(tokens) == 2 and all(re.fullmatch(r"[A-Za-z0-9]{64}", token) for token in tokens)
    assert "\x00" not in html
    anonymous = Client().get("/hasil/?x=<y>").content.decode()
    assert 'href="/akun/masuk/?next=/hasil/"' in anonymous and "user-link" not in anonymous


def test_the_bell_shows_this_person_s_count(client_for, user_of) -> None:
    User = type(user_of("opd"))
    User.objects.filter(pk=user_of("opd").pk).update(unread_notifications=3)
    html = client_for("opd").get("/").content.decode()
    assert 'data-unread="3"' in html and '<span class="badge">3' in html
    User.objects.filter(pk=user_of("opd").pk).update(unread_notifications=0)
    assert 'data-unread="0"' in client_for("opd").get("/").content.decode()
