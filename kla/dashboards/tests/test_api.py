"""GET /api/v1/dashboards/{level}/{code}: the same figures, scope and seal as the pages."""

from __future__ import annotations

from typing import Any

import pytest

CYCLE = "evaluasi-kla-demo"
pytestmark = pytest.mark.django_db


def test_kabkota_figures_for_its_secretariat(client_for: Any) -> None:
    response = client_for("secretariat").get("/api/v1/dashboards/kabkota/16.71", {"cycle": CYCLE})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["level"] == "kabkota" and body["code"] == "16.71" and body["cycle_code"] == CYCLE
    assert "clusters" in body["charts"] and body["charts"]["clusters"]["datasets"][0]["values"]
    assert set(body["summary"]["scores"]) <= {"em"}  # the kab/kota sees only its own EM before publication


def test_province_figures(client_for: Any) -> None:
    response = client_for("province").get("/api/v1/dashboards/provinsi/16", {"cycle": CYCLE})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["summary"]["kabkota"] >= 1 and "progress" in body["charts"]


def test_national_figures_for_the_ministry_only(client_for: Any) -> None:
    assert client_for("ministry_admin").get("/api/v1/dashboards/nasional/id").status_code == 200
    assert client_for("province").get("/api/v1/dashboards/nasional/id").status_code == 403
    assert client_for("ministry_admin").get("/api/v1/dashboards/nasional/16").status_code == 404


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("other_secretariat", "/api/v1/dashboards/kabkota/16.71", 404),
        ("province", "/api/v1/dashboards/provinsi/31", 404),
        ("province", "/api/v1/dashboards/kabkota/31.71", 404),
        ("secretariat", "/api/v1/dashboards/provinsi/16", 404),
        ("opd", "/api/v1/dashboards/kabkota/16.71", 403),
        ("anonymous", "/api/v1/dashboards/kabkota/16.71", 401),
        ("ministry_admin", "/api/v1/dashboards/kota/16.71", 422),
        ("ministry_admin", "/api/v1/dashboards/kabkota/16.71?cycle=tidak-ada", 404),
    ],
)
def test_scope_and_bad_input(client_for: Any, persona: str, url: str, status: int) -> None:
    assert client_for(persona).get(url).status_code == status
