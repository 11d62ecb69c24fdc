"""GET and POST /api/v1/regions/{code}/agencies: the pages' scope rules, in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.test import Client

from kla.accounts.models import User
from kla.accounts.services import token_create
from kla.agencies.models import Agency
from kla.regions.models import Region

pytestmark = pytest.mark.django_db


def _bearer(username: str) -> dict[str, str]:
    _token, plain = token_create(user=User.objects.get(username=username), name="uji instansi", by=None)
    return {"Authorization": f"Bearer {plain}"}


def test_the_secretariat_lists_its_agencies() -> None:
    response = Client().get("/api/v1/regions/16.71/agencies", headers=_bearer("gt-palembang"))
    assert response.status_code == 200
    rows = response.json()
    assert {"Disdukcapil", "Dinas PPPA"} <= {r["short_name"] for r in rows}
    assert all(r["region_code"] == "16.71" and r["is_active"] for r in rows)
    disdukcapil = next(r for r in rows if r["kind"] == "DISDUKCAPIL")
    assert disdukcapil["group"] == "daerah" and disdukcapil["kind_name"] == "Dinas Kependudukan dan Pencatatan Sipil"


def test_another_regions_token_gets_404_like_a_missing_region() -> None:
    headers = _bearer("gt-lubuklinggau")
    assert Client().get("/api/v1/regions/16.71/agencies", headers=headers).status_code == 404
    assert Client().get("/api/v1/regions/99.99/agencies", headers=headers).status_code == 404
    before = Agency.objects.count()
    response = Client().post(
        "/api/v1/regions/16.71/agencies",
        {"kind": "DINKES", "name": "X"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 404 and Agency.objects.count() == before


def test_the_secretariat_registers_an_agency_and_bad_input_is_422() -> None:
    headers = _bearer("gt-palembang")
    created = Client().post(
        "/api/v1/regions/16.71/agencies", {"kind": "PKK"}, content_type="application/json", headers=headers
    )
    assert created.status_code == 201 and created.json()["name"] == "Tim Penggerak PKK Kota Palembang"
    again = Client().post(
        "/api/v1/regions/16.71/agencies", {"kind": "PKK"}, content_type="application/json", headers=headers
    )
    assert again.status_code == 422 and "sudah terdaftar" in again.json()["detail"]
    unknown = Client().post(
        "/api/v1/regions/16.71/agencies", {"kind": "RAHASIA"}, content_type="application/json", headers=headers
    )
    assert unknown.status_code == 422 and "tidak dikenal" in unknown.json()["detail"]


def test_an_operator_reads_but_may_not_register() -> None:
    headers = _bearer("opd-palembang")
    assert Client().get("/api/v1/regions/16.71/agencies", headers=headers).status_code == 200
    response = Client().post(
        "/api/v1/regions/16.71/agencies", {"kind": "PKK"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 403


def test_available_includes_the_provinces_bodies_and_status_filters() -> None:
    kanwil = Agency.objects.create(
        region=Region.objects.get(pk="16"), kind="KANWIL_KEMENAG", name="Kanwil Kemenag Sumsel", short_name="Kanwil"
    )
    headers = _bearer("gt-palembang")
    available = Client().get("/api/v1/regions/16.71/agencies?available=true", headers=headers).json()
    assert kanwil.pk in {r["id"] for r in available}
    own = Client().get("/api/v1/regions/16.71/agencies", headers=headers).json()
    assert kanwil.pk not in {r["id"] for r in own}
    assert Client().get("/api/v1/regions/16.71/agencies?status=inactive", headers=headers).json() == []


def test_the_paths_are_in_the_openapi_schema() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/regions/{code}/agencies"])
