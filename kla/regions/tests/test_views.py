from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_region_browser_lists_provinces_with_their_kabkota_counts(client, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(3):
        response = client.get(reverse("regions:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sumatera Selatan" in body and "Papua Barat Daya" in body
    assert response.context["provinces"].get(code="16").n_children == 17


def test_province_page_shows_its_17_kabkota(client, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(4):
        response = client.get(reverse("regions:detail", args=["16"]))
    assert response.status_code == 200
    children = list(response.context["children"])
    assert len(children) == 17
    names = {c.name for c in children}
    assert {"Kota Palembang", "Kota Lubuk Linggau", "Kota Pagar Alam", "Kota Prabumulih"} <= names
    assert "Kabupaten Musi Banyuasin" in names


def test_kabkota_page_has_breadcrumbs_to_its_province(client) -> None:
    response = client.get(reverse("regions:detail", args=["16.71"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="/wilayah/16/"' in body and "Kota Palembang" in body


@pytest.mark.parametrize(("code", "message"), [("99.99", "tidak ditemukan"), ("abc", "tidak sah")])
def test_unknown_or_malformed_region_code_gets_a_clear_404(client, code: str, message: str) -> None:
    response = client.get(reverse("regions:detail", args=[code]))
    assert response.status_code == 404
    assert message in response.content.decode()


def test_search_by_name_or_code(client) -> None:
    response = client.get(reverse("regions:index"), {"q": "palembang"})
    assert [r.code for r in response.context["results"]] == ["16.71"]
    response = client.get(reverse("regions:index"), {"q": "16.7"})
    assert {r.code for r in response.context["results"]} == {"16.71", "16.72", "16.73", "16.74"}


def test_htmx_search_returns_only_the_results_partial(client) -> None:
    response = client.get(reverse("regions:index"), {"q": "lubuk"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Kota Lubuk Linggau" in body
    assert "<html" not in body
