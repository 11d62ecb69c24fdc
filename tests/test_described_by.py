"""Help texts are linked to their fields: every id an `aria-describedby` names exists on the page (a screen reader
otherwise reads nothing). Renders the main form pages of the secretariat and the ministry administrator."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kla.evaluations.models import Entry

DESCRIBED_BY = re.compile(r'aria-describedby="([^"]*)"')
IDS = re.compile(r'\sid="([^"]+)"')


def dangling(html: str) -> set[str]:
    wanted = {i for value in DESCRIBED_BY.findall(html) for i in value.split()}
    return wanted - set(IDS.findall(html))


def _entry() -> Entry:
    return Entry.objects.get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.71", indicator__number=4
    )


SECRETARIAT_PAGES = [
    "/pengguna/baru/",
    "/akun/sandi/",
    "/akun/",
    "/gugus-tugas/wilayah/16.71/",
    "/gugus-tugas/wilayah/16.71/rakor/",
    "/rad/wilayah/16.71/",
    "/kegiatan/wilayah/16.71/baru/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["entry", *SECRETARIAT_PAGES])
def test_every_described_by_names_an_element_of_the_page(url: str, client_for: Any) -> None:
    url = f"/entri/{_entry().pk}/" if url == "entry" else url
    response = client_for("secretariat").get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert dangling(html) == set(), url


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/siklus/baru/", "/pengguna/baru/"])
def test_the_ministry_forms_too(url: str, client_for: Any) -> None:
    response = client_for("ministry_admin").get(url)
    assert response.status_code == 200, url
    assert dangling(response.content.decode()) == set(), url


def test_the_check_finds_a_dangling_id() -> None:
    assert dangling('<input aria-describedby="a b"><p id="a">') == {"b"}
