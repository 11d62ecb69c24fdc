from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_instrument_browser_shows_24_indicators_in_6_groups(client, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(6):
        response = client.get(reverse("indicators:framework", args=["kla-2024-ref"]))
    assert response.status_code == 200
    clusters = response.context["clusters"]
    assert len(clusters) == 6
    assert sum(len(c.indicators.all()) for c in clusters) == 24
    body = response.content.decode()
    assert "Bobot referensi" in body  # the reference weights are labelled in the UI
    for name in ("Kelembagaan", "Klaster I", "Klaster V", "Pratama", "Madya", "Nindya", "Utama"):
        assert name in body
    assert response.context["chart"]["values"] and sum(response.context["chart"]["values"]) == 1000


def test_framework_list(client) -> None:
    response = client.get(reverse("indicators:index"))
    assert "kla-2024-ref" in response.content.decode()
    assert response.context["frameworks"][0].n_indicators == 24


def test_indicator_page_shows_questions_rubrics_and_evidence(client, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(4):
        response = client.get(reverse("indicators:indicator", args=["kla-2024-ref", "4"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Akta Kelahiran" in body and "Bukti dukung" in body and "Disdukcapil" in body
    assert "Persentase (pembilang/penyebut)" in body
    assert len(response.context["indicator"].questions.all()) >= 3


@pytest.mark.parametrize(("code", "indicator"), [("tidak-ada", "1"), ("kla-2024-ref", "99")])
def test_unknown_framework_or_indicator_is_a_clear_404(client, code: str, indicator: str) -> None:
    response = client.get(reverse("indicators:indicator", args=[code, indicator]))
    assert response.status_code == 404 and "tidak ditemukan" in response.content.decode()
