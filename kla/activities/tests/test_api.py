"""GET /api/v1/regions/{code}/activities, POST create and POST file, with a token, through the same gates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kla.accounts.services import token_create
from kla.activities.models import Activity, ActivityFile
from kla.activities.tests import builders as b
from kla.evidence.tests import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _headers(user_of, persona: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _token, plain = token_create(user=user_of(persona), name="uji", by=None)
    return {"Authorization": f"Bearer {plain}"}


def test_list_create_and_file(user_of) -> None:  # type: ignore[no-untyped-def]
    client, headers = Client(), _headers(user_of, "opd")
    url = f"/api/v1/regions/{b.PALEMBANG}/activities"
    before = client.get(url, headers=headers).json()["count"]  # the demo data may hold some already
    recorded = b.activity(
        indicator_ids=[b.indicator().pk], start_date=dt.date(2026, 12, 30), end_date=dt.date(2026, 12, 31)
    )
    listed = client.get(url, headers=headers).json()
    assert listed["count"] == before + 1
    item = next(i for i in listed["items"] if i["id"] == recorded.pk)
    assert item["counts"]["girls_0_5"] == 12 and item["children_reached"] == 22
    assert item["budget_used"] == "15000000.00" and item["indicator_ids"] == [b.indicator().pk]
    body = {
        "title": "Posyandu ramah anak",
        "start_date": "2026-04-02",
        "end_date": "2026-04-02",
        "agency_id": b.agency().pk,
        "counts": {"girls_0_5": 5, "adults": 3},
        "budget_used": "Rp 2.500.000,50",
    }
    created = client.post(
        f"/api/v1/regions/{b.PALEMBANG}/activities", body, content_type="application/json", headers=headers
    )
    assert created.status_code == 201, created.content
    activity = Activity.objects.get(pk=created.json()["id"])
    assert str(activity.budget_used) == "2500000.50"
    upload = {"file": SimpleUploadedFile("foto.jpg", files.jpeg())}
    sent = client.post(f"/api/v1/activities/{activity.pk}/files", upload, headers=headers)
    assert sent.status_code == 201 and sent.json()["kind"] == "image"
    assert ActivityFile.objects.filter(activity=activity).count() == 1


def test_bad_input_and_scope(user_of) -> None:  # type: ignore[no-untyped-def]
    client, headers = Client(), _headers(user_of, "secretariat")
    body = {
        "title": "Posyandu",
        "start_date": "2026-04-02",
        "end_date": "2026-04-01",
        "agency_id": b.agency().pk,
        "counts": {"boys_13_17": -2},
    }
    refused = client.post(
        f"/api/v1/regions/{b.PALEMBANG}/activities", body, content_type="application/json", headers=headers
    )
    assert refused.status_code in (400, 422)
    assert "negatif" in refused.content.decode() and "lebih awal" in refused.content.decode()
    assert not Activity.objects.filter(title="Posyandu").exists()
    foreign = b.activity(b.LUBUKLINGGAU)
    upload = {"file": SimpleUploadedFile("foto.jpg", files.jpeg())}
    assert client.post(f"/api/v1/activities/{foreign.pk}/files", upload, headers=headers).status_code == 404
    assert client.post("/api/v1/activities/987654/files", upload, headers=headers).status_code == 404
    other = client.get(f"/api/v1/regions/{b.LUBUKLINGGAU}/activities", headers=headers)
    assert other.status_code == 404
