"""The dashboards by level, read by each persona: what each sees, scope (404 outside it), the htmx partial."""

from __future__ import annotations

from typing import Any

import pytest

CYCLE = "evaluasi-kla-demo"
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["secretariat", "province", "ministry_verifier", "ministry_admin"])
def test_kabkota_dashboard_shows_charts_and_tables(client_for: Any, persona: str) -> None:
    response = client_for(persona).get("/dasbor/kabkota/16.71/", {"cycle": CYCLE})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-chart="c-clusters-data"' in html and 'id="c-clusters-data" type="application/json"' in html
    assert "Kemajuan per klaster" in html and "<table" in html
    assert "Kemajuan per instansi" in html and "Anggaran RAD KLA" in html and "Riwayat predikat" in html


@pytest.mark.parametrize("persona", ["province", "ministry_verifier"])
def test_province_dashboard(client_for: Any, persona: str) -> None:
    response = client_for(persona).get("/dasbor/provinsi/16/", {"cycle": CYCLE})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Status Provinsi Layak Anak" in html and 'data-chart="c-progress-data"' in html
    assert 'data-testid="dashboard-map"' in html and 'data-code="16.71"' in html
    assert "Kota Palembang" in html.title() or "PALEMBANG" in html.upper()
    # a tile opens the kab/kota's dashboard (the public page of an unreleased cycle would be a 404)
    assert f'data-code="16.71" href="/dasbor/kabkota/16.71/?cycle={CYCLE}"' in html
    assert client_for(persona).get(f"/dasbor/kabkota/16.71/?cycle={CYCLE}").status_code == 200


def test_national_dashboard(client_for: Any) -> None:
    response = client_for("ministry_admin").get("/dasbor/nasional/", {"cycle": CYCLE})
    assert response.status_code == 200
    html = response.content.decode()
    for part in ("c-stages-data", "c-provinces-data", "national-table", "dashboard-map"):
        assert part in html
    assert f'data-code="16" href="/dasbor/provinsi/16/?cycle={CYCLE}"' in html  # a tile opens the province's
    assert "/hasil/" not in html.split('data-testid="dashboard-map"')[1].split("</figure>")[0]


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("province", "/dasbor/provinsi/31/", 404),  # another province
        ("province", "/dasbor/kabkota/31.71/", 404),  # a kab/kota of another province
        ("secretariat", "/dasbor/kabkota/16.73/", 404),  # another kab/kota of the same province
        ("secretariat", "/dasbor/provinsi/16/", 404),  # its own province: not its dashboard
        ("ministry_admin", "/dasbor/nasional/?provinsi=99", 404),  # no such province
        ("ministry_admin", "/dasbor/nasional/?provinsi=16.71", 404),  # a kab/kota is not a province
        ("ministry_admin", "/dasbor/kabkota/16/", 404),  # a province is not a kab/kota
        ("ministry_admin", "/dasbor/kabkota/16.71/?cycle=tidak-ada", 404),
        ("province", "/dasbor/nasional/", 403),
        ("opd", "/dasbor/kabkota/16.71/", 403),
    ],
)
def test_a_filter_outside_the_scope_answers_404(client_for: Any, persona: str, url: str, status: int) -> None:
    assert client_for(persona).get(url).status_code == status


def test_the_cycle_filter_answers_htmx_with_the_figures_only(client_for: Any) -> None:
    response = client_for("province").get("/dasbor/provinsi/16/", {"cycle": CYCLE}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="figures"')
    assert "<html" not in html and 'type="application/json"' in html


def test_the_national_table_is_paginated_and_filtered_by_province(client_for: Any) -> None:
    client = client_for("ministry_admin")
    html = client.get("/dasbor/nasional/", {"cycle": CYCLE, "provinsi": "16"}).content.decode()
    table = html[html.index('data-testid="national-table"') :]
    assert "PALEMBANG" in table.upper()
    other = client.get("/dasbor/nasional/", {"cycle": CYCLE, "provinsi": "31"}).content.decode()
    assert "PALEMBANG" not in other[other.index('data-testid="national-table"') :].upper()


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("ministry_verifier", "/dasbor/nasional/"),
        ("province", "/dasbor/provinsi/16/"),
        ("secretariat", "/dasbor/kabkota/16.71/"),
    ],
)
def test_the_menu_entry_lands_on_the_widest_dashboard(client_for: Any, persona: str, target: str) -> None:
    response = client_for(persona).get("/dasbor/")
    assert response.status_code == 302 and response.url == target


def test_the_menu_shows_dashboards_to_reviewers_only(client_for: Any) -> None:
    assert 'href="/dasbor/"' in client_for("province").get("/").content.decode()
    assert 'href="/dasbor/"' not in client_for("opd").get("/").content.decode()


def test_the_province_sees_its_kabkota_em_but_no_predicate_before_publication(client_for: Any) -> None:
    from decimal import Decimal

    from kla.evaluations.models import Evaluation
    from kla.results.models import StageScore

    evaluation = Evaluation.objects.get(cycle__code=CYCLE, region_id="16.71")
    evaluation.status = Evaluation.Status.DETERMINED
    evaluation.em_score = Decimal("512.34")
    evaluation.save()
    StageScore.objects.create(
        evaluation=evaluation, stage="final", total=Decimal("701.25"), band_code="madya", framework_code="kla-2024-ref"
    )
    html = client_for("province").get("/dasbor/provinsi/16/", {"cycle": CYCLE}).content.decode()
    assert "512,34" in html and "701,25" not in html and "Nindya" not in html
    ministry = client_for("ministry_admin").get("/dasbor/provinsi/16/", {"cycle": CYCLE}).content.decode()
    assert "701,25" in ministry and "Nindya" in ministry  # the control
