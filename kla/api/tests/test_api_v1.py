"""/api/v1: paths other tools rely on, list shape, JSON errors, token handling."""

from __future__ import annotations

import pytest

from kla.accounts.services import token_create, token_revoke
from kla.regions.models import Region

pytestmark = pytest.mark.django_db


def test_kabkota_of_sumatera_selatan(client, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/regions/", {"parent": "16"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 17 and len(data["items"]) == 17
    palembang = next(r for r in data["items"] if r["code"] == "16.71")
    assert palembang == {
        "code": "16.71",
        "name": "Kota Palembang",
        "level": "kabkota",
        "kind": "kota",
        "parent_code": "16",
    }


def test_level_filter_and_pagination(client) -> None:
    data = client.get("/api/v1/regions/", {"level": "provinsi", "limit": 10, "offset": 30}).json()
    assert data["count"] == 38 and len(data["items"]) == 8
    codes = sorted(Region.objects.filter(level="provinsi").values_list("code", flat=True))
    assert [r["code"] for r in data["items"]] == codes[30:]
    assert client.get("/api/v1/regions/", {"level": "kabkota", "limit": 1}).json()["count"] == 514


def test_region_detail_with_parent(client) -> None:
    data = client.get("/api/v1/regions/16.71").json()
    assert data["name"] == "Kota Palembang"
    assert data["parent"] == {"code": "16", "name": "Sumatera Selatan", "level": "provinsi"}
    assert client.get("/api/v1/regions/16").json()["children_count"] == 17


@pytest.mark.parametrize(
    ("path", "status", "fragment"),
    [
        ("/api/v1/regions/99.99", 404, "tidak ditemukan"),
        ("/api/v1/regions/16-71", 404, "tidak sah"),
        ("/api/v1/regions/?parent=99", 404, "tidak ditemukan"),
        ("/api/v1/regions/?level=negara", 422, "level: nilai tidak dikenal"),
        ("/api/v1/regions/?limit=0", 422, "limit: harus paling kecil 1"),
        ("/api/v1/regions/?limit=100000", 422, "limit: harus paling besar 500"),
        ("/api/v1/frameworks/tidak-ada", 404, "tidak ditemukan"),
        ("/api/v1/me", 401, "Authorization"),
    ],
)
def test_errors_answer_json_with_a_message(client, path: str, status: int, fragment: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert fragment in response.json()["detail"]


def test_frameworks(client, django_assert_max_num_queries) -> None:
    data = client.get("/api/v1/frameworks/").json()
    assert data["count"] == 1
    summary = data["items"][0]
    assert summary["code"] == "kla-2024-ref" and summary["indicator_count"] == 24
    assert summary["weights_status"] == "reference"
    with django_assert_max_num_queries(6):
        detail = client.get("/api/v1/frameworks/kla-2024-ref").json()
    assert [c["code"] for c in detail["clusters"]] == ["KL", "K1", "K2", "K3", "K4", "K5"]
    assert sum(len(c["indicators"]) for c in detail["clusters"]) == 24
    assert sum(float(c["max_points"]) for c in detail["clusters"]) == 1000
    assert [b["code"] for b in detail["bands"]] == ["pratama", "madya", "nindya", "utama", "kla"]
    assert float(detail["gate_min_exclusive"]) == 500
    first_question = detail["clusters"][0]["indicators"][0]["questions"][0]
    assert {"code", "text", "answer_type", "max_points", "rubric"} <= set(first_question)


def test_openapi_schema_lists_the_paths(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/regions/", "/api/v1/regions/{code}", "/api/v1/frameworks/", "/api/v1/frameworks/{code}"):
        assert path in schema["paths"], path
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()


def test_token_identifies_the_caller(client, user_of) -> None:
    _token, plain = token_create(user=user_of("province"), name="uji", by=None)
    data = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).json()
    assert data["username"] == "prov-sumsel"
    assert data["memberships"] == [
        {
            "role": "province_reviewer",
            "role_label": "Verifikator Provinsi (Pembina)",
            "region_code": "16",
            "agency": None,
        }
    ]


@pytest.mark.parametrize("header", ["Bearer kla_palsu", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz", "bearer"])
def test_bad_token_is_refused_even_on_public_endpoints(client, header: str) -> None:
    response = client.get("/api/v1/regions/16", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["detail"]


def test_revoked_token_is_refused(client, user_of) -> None:
    token, plain = token_create(user=user_of("opd"), name="uji", by=None)
    token_revoke(token=token, by=None)
    response = client.get("/api/v1/regions/", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 401
    assert "dicabut" in response.json()["detail"]


def test_session_user_can_read_me(client_for) -> None:
    assert client_for("secretariat").get("/api/v1/me").json()["username"] == "gt-palembang"


def test_writes_without_a_token_are_refused(client_for) -> None:
    response = client_for("ministry_admin").post("/api/v1/regions/", {})
    assert response.status_code in (401, 405)
