"""The RAD KLA recaps asked for on the Laporan page's export form and through POST /api/v1/exports/rad-recaps, within
scope: a kab/kota user gets their kab/kota only, a province user their province, a national role the provinces; a
CSV format, a region not offered, an unknown kind or another region answer with a clear refusal (404 in the API
for a region outside the scope, as for one that does not exist) and queue nothing."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from kla.accounts.services import token_create
from kla.rad.tests import builders as b
from kla.reports import services as report_services
from kla.reports.models import Export

pytestmark = pytest.mark.django_db
URL = "/laporan/"
API = "/api/v1/exports/rad-recaps"


def _offered(page: str) -> list[str]:
    start = page.index('<select id="region"')
    block = page[start : page.index("</select>", start)]
    return [part.split('"')[0] for part in block.split('<option value="')[1:]]


@pytest.mark.parametrize(
    ("persona", "offered"),
    [("secretariat", ["16.71"]), ("opd", ["16.71"]), ("province", ["16"]), ("other_secretariat", ["16.73"])],
)
def test_the_form_offers_the_recaps_of_the_users_own_region(client_for, persona: str, offered: list[str]) -> None:
    page = client_for(persona).get(URL).content.decode()
    assert 'value="rad-rekap-rencana"' in page and 'value="rad-rekap-anggaran"' in page
    assert _offered(page) == offered


def test_a_national_role_is_offered_the_provinces(client_for) -> None:
    offered = _offered(client_for("ministry_admin").get(URL).content.decode())
    assert "16" in offered and "15" in offered and not any("." in code for code in offered)


def test_the_secretariat_asks_for_its_budget_recap_and_downloads_it(client_for) -> None:
    b.built_plan(adopt=True)
    b.built_plan(b.LUBUKLINGGAU, adopt=True)
    client = client_for("secretariat")
    data = {"kind": "rad-rekap-anggaran", "region": "16.71", "format": "xlsx", "cycle": ""}
    assert client.post(URL, data).status_code == 302
    export = Export.objects.get()
    assert (export.kind, export.cycle_code, export.format) == ("rad-rekap-anggaran", "16.71", "xlsx")
    report_services.build(export.pk)
    page = client.get(URL).content.decode()
    assert "Rekap anggaran RAD KLA" in page and f"/laporan/{export.pk}/unduh/" in page
    response = client.get(f"/laporan/{export.pk}/unduh/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    regions = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert regions == {"16.71"}


@pytest.mark.parametrize(
    ("persona", "data", "said"),
    [
        ("secretariat", {"kind": "rad-rekap-rencana", "region": "16", "format": "xlsx"}, "Pilih wilayah rekap RAD KLA"),
        ("secretariat", {"kind": "rad-rekap-rencana", "region": "16.73", "format": "xlsx"}, "Pilih wilayah rekap"),
        ("province", {"kind": "rad-rekap-rencana", "region": "16.71", "format": "xlsx"}, "Pilih wilayah rekap"),
        ("secretariat", {"kind": "rad-rekap-rencana", "region": "", "format": "xlsx"}, "Pilih wilayah rekap"),
        ("secretariat", {"kind": "rad-rekap-rencana", "region": "16.71", "format": "csv"}, "hanya tersedia sebagai"),
        ("secretariat", {"kind": "rad-rekap-lain", "region": "16.71", "format": "xlsx"}, "Pilih jenis laporan"),
    ],
)
def test_bad_recap_requests_are_refused_and_queue_nothing(
    client_for, persona: str, data: dict[str, str], said: str
) -> None:
    response = client_for(persona).post(URL, data)
    assert response.status_code == 422
    assert said in response.content.decode()
    assert not Export.objects.exists()


@pytest.fixture
def api(user_of: Callable[[str], Any]) -> Callable[[str], tuple[Client, dict[str, str]]]:
    def make(persona: str) -> tuple[Client, dict[str, str]]:
        _token, plain = token_create(user=user_of(persona), name="uji", by=None)
        return Client(), {"Authorization": f"Bearer {plain}"}

    return make


def _post(api: Any, persona: str, body: dict[str, str]) -> Any:
    client, headers = api(persona)
    return client.post(API, body, content_type="application/json", headers=headers)


def test_the_api_queues_a_recap_within_scope(api) -> None:
    response = _post(api, "secretariat", {"kind": "rad-rekap-rencana", "region": "16.71"})
    assert response.status_code == 202
    body = response.json()
    assert (body["kind"], body["cycle"], body["format"], body["status"]) == (
        "rad-rekap-rencana",
        "16.71",
        "xlsx",
        "pending",
    )
    province = _post(api, "province", {"kind": "rad-rekap-anggaran", "region": "16"})
    assert province.status_code == 202 and province.json()["cycle"] == "16"


@pytest.mark.parametrize(
    ("persona", "body", "status"),
    [
        ("secretariat", {"kind": "rad-rekap-rencana", "region": "16"}, 404),  # its province: outside its scope
        ("secretariat", {"kind": "rad-rekap-rencana", "region": "16.73"}, 404),  # another kab/kota
        ("secretariat", {"kind": "rad-rekap-rencana", "region": "16.71.01"}, 404),  # a kecamatan
        ("secretariat", {"kind": "rad-rekap-rencana", "region": "99.99"}, 404),  # no such region
        ("province", {"kind": "rad-rekap-rencana", "region": "15"}, 404),  # another province
        ("secretariat", {"kind": "rekap-evaluasi", "region": "16.71"}, 422),  # not a recap
        ("secretariat", {"region": "16.71"}, 422),
    ],
)
def test_the_api_refuses_outside_the_scope(api, persona: str, body: dict[str, str], status: int) -> None:
    assert _post(api, persona, body).status_code == status
    assert not Export.objects.exists()


def test_the_api_needs_credentials() -> None:
    assert (
        Client()
        .post(API, {"kind": "rad-rekap-rencana", "region": "16.71"}, content_type="application/json")
        .status_code
        == 401
    )
