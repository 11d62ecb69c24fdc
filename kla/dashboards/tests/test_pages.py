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
    assert "Kota Palembang" in html.title() or "PALEMBANG" in html.upper()


def test_national_dashboard(client_for: Any) -> None:
    response = client_for("ministry_admin").get("/dasbor/nasional/", {"cycle": CYCLE})
    assert response.status_code == 200
    html = response.content.decode()
    for part in ("c-stages-data", "c-provinces-data", "national-table", "dashboard-map"):
        assert part in html
