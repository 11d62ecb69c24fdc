"""/api/v1 for the self-assessment: same scope and rules as the pages; writes need a token."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kla.accounts.services import token_create
from kla.evaluations.models import Entry, Evaluation
from kla.evidence.models import Evidence
from kla.evidence.tests import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _auth(user) -> dict[str, str]:
    _token, plain = token_create(user=user, name="uji", by=None)
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def entry() -> Entry:
    return Entry.objects.get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.71", indicator__number=4
    )


def test_lists_are_scoped_and_run_constant_queries(client, user_of, django_assert_max_num_queries) -> None:
    headers = _auth(user_of("ministry_admin"))
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/evaluations/", headers=headers).json()
    assert data["count"] == 17
    assert data["items"][0]["questions"] > 24
    assert client.get("/api/v1/evaluations/", headers=_auth(user_of("province"))).json()["count"] == 17
    regional = client.get("/api/v1/evaluations/", headers=_auth(user_of("secretariat"))).json()
    assert [e["region_code"] for e in regional["items"]] == ["16.71"]


def test_evaluation_pages_follow_the_list_order_without_gaps_or_repeats(client, user_of) -> None:
    """The list reads a page's ids first, then their rows: the rows keep the list's order, pages tile the list."""
    headers = _auth(user_of("ministry_admin"))
    whole = client.get("/api/v1/evaluations/?limit=500", headers=headers).json()
    paged, offset = [], 0
    while offset < whole["count"] + 5:
        page = client.get(f"/api/v1/evaluations/?limit=5&offset={offset}", headers=headers).json()
        assert page["count"] == whole["count"]
        paged += page["items"]
        offset += 5
    assert paged == whole["items"]  # same rows, same order, same live scores; the page past the end is empty
    assert len({e["id"] for e in paged}) == whole["count"] == 17
    codes = [e["region_code"] for e in whole["items"]]
    assert codes == sorted(codes)  # one cycle in the demo data: ordered by region code


def test_answer_through_the_api_with_versions(client, user_of, entry) -> None:
    headers = _auth(user_of("opd"))
    url = f"/api/v1/entries/{entry.pk}/answers/4.1"
    response = client.put(
        url,
        {"value": {"numerator": "95", "denominator": "100"}, "version": 0},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert float(data["points"]) > 0 and data["version"] == 1 and "95" in data["explanation"]
    stale = client.put(
        url,
        {"value": {"numerator": "5", "denominator": "100"}, "version": 0},
        content_type="application/json",
        headers=headers,
    )
    assert stale.status_code == 409 and "versi 1" in stale.json()["detail"]
    bad = client.put(
        url,
        {"value": {"numerator": "-1", "denominator": "100"}, "version": 1},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422 and "negatif" in bad.json()["detail"]
    detail = client.get(f"/api/v1/entries/{entry.pk}", headers=headers).json()
    assert detail["answers"][0]["value"] == {"numerator": "95", "denominator": "100"}


def test_writes_need_a_token_not_a_session(client_for, entry) -> None:
    response = client_for("opd").put(
        f"/api/v1/entries/{entry.pk}/answers/4.1", {"value": {}}, content_type="application/json"
    )
    assert response.status_code == 401


def test_upload_and_download_through_the_api(client, user_of, entry) -> None:
    headers = _auth(user_of("opd"))
    upload = SimpleUploadedFile("rekap.pdf", files.pdf(pages=2))
    response = client.post(
        f"/api/v1/entries/{entry.pk}/evidence/4.1",
        {"file": upload, "evidence_type": "report", "doc_number": "1/2024"},
        headers=headers,
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["page_count"] == 2 and data["original_name"] == "rekap.pdf"
    download = client.get(f"/api/v1/evidence/{data['id']}/file", headers=headers)
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    refused = client.post(
        f"/api/v1/entries/{entry.pk}/evidence/4.1",
        {"file": SimpleUploadedFile("x.pdf", files.html_page()), "evidence_type": "report"},
        headers=headers,
    )
    assert refused.status_code == 422 and "HTML" in refused.json()["detail"]
    assert Evidence.objects.count() == 1


def test_another_region_gets_404_everywhere(client, user_of, entry) -> None:
    headers = _auth(user_of("other_secretariat"))
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    assert client.get(f"/api/v1/evaluations/{evaluation.pk}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/entries/{entry.pk}", headers=headers).status_code == 404
    put = client.put(
        f"/api/v1/entries/{entry.pk}/answers/4.1", {"value": {}}, content_type="application/json", headers=headers
    )
    assert put.status_code == 404


def test_too_many_files_in_one_request_is_a_clear_400(client, user_of, entry) -> None:
    headers = _auth(user_of("opd"))
    uploads = {f"file{i}": SimpleUploadedFile(f"f{i}.pdf", b"%PDF-1.4") for i in range(12)}
    response = client.post(
        f"/api/v1/entries/{entry.pk}/evidence/4.1", {**uploads, "evidence_type": "report"}, headers=headers
    )
    assert response.status_code == 400 and response.json()["detail"]
    assert not Evidence.objects.exists()
