"""Exports through /api/v1 with a personal token: ask, follow, download; the same rules as the Laporan page."""

from __future__ import annotations

import codecs
from typing import Any

import pytest
from django.test import Client

from kla.accounts.services import token_create
from kla.evaluations.models import Evaluation
from kla.reports.models import Export

CYCLE = "evaluasi-kla-demo"


@pytest.fixture
def api(user_of: Any) -> Any:
    def client(persona: str) -> Client:
        _token, plain = token_create(user=user_of(persona), name="uji", by=None)
        return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")

    return client


def test_ask_follow_and_download_a_recap(api: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = api("secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/exports/", {"kind": "rekap-evaluasi", "cycle": CYCLE, "format": "csv"}, "application/json"
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "pending" and body["download_url"] is None  # answered before the task ran
    detail = client.get(f"/api/v1/exports/{body['id']}").json()
    assert detail["status"] == "ready" and detail["percent"] == 100 and detail["rows_total"] == 1
    assert detail["label"] == "Rekap evaluasi per kabupaten/kota" and detail["expires_at"] is not None
    assert detail["download_url"].endswith(f"/api/v1/exports/{body['id']}/file")
    listed = client.get("/api/v1/exports/").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    response = client.get(f"/api/v1/exports/{body['id']}/file")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert content.startswith(codecs.BOM_UTF8)
    lines = content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith("16.71,Sumatera Selatan,Kota Palembang,")


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"kind": "semua", "cycle": CYCLE}, 422, "Pilih jenis laporan dari daftar."),
        ({"kind": "rekap-evaluasi", "cycle": "tidak-ada"}, 422, "Pilih siklus evaluasi dari daftar"),
        ({"kind": "rekap-evaluasi", "cycle": CYCLE, "format": "pdf"}, 422, ""),
    ],
)
def test_bad_requests_are_refused_and_queue_nothing(
    api: Any, payload: dict[str, str], status: int, message: str
) -> None:
    response = api("province").post("/api/v1/exports/", payload, "application/json")
    assert response.status_code == status and message in response.json()["detail"]
    assert not Export.objects.exists()


def test_a_browser_session_cannot_ask(client_for: Any) -> None:
    response = client_for("secretariat").post(
        "/api/v1/exports/", {"kind": "rekap-evaluasi", "cycle": CYCLE}, "application/json"
    )
    assert response.status_code == 401 and not Export.objects.exists()


def test_score_sheet_pdf_of_an_evaluation_in_scope_only(api: Any, django_capture_on_commit_callbacks: Any) -> None:
    palembang = Evaluation.objects.get(cycle__code=CYCLE, region_id="16.71")
    assert api("other_secretariat").post(f"/api/v1/evaluations/{palembang.pk}/score-sheet-pdf").status_code == 404
    client = api("province")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/evaluations/{palembang.pk}/score-sheet-pdf")
    assert response.status_code == 202 and response.json()["evaluation_id"] == palembang.pk
    response = client.get(f"/api/v1/exports/{response.json()['id']}/file")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Export.objects.count() == 1


def test_someone_elses_export_does_not_exist(api: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        export_id = (
            api("ministry_verifier")
            .post("/api/v1/exports/", {"kind": "rekap-evaluasi", "cycle": CYCLE}, "application/json")
            .json()["id"]
        )
    other = api("ministry_admin")
    assert other.get(f"/api/v1/exports/{export_id}").status_code == 404
    assert other.get(f"/api/v1/exports/{export_id}/file").status_code == 404
    assert other.get("/api/v1/exports/").json()["count"] == 0
