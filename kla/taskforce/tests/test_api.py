"""/api/v1 for the Gugus Tugas: the same scope, rules and refusals as the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kla.accounts.services import token_create
from kla.taskforce.models import FollowUp, Meeting, Member
from kla.taskforce.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(user_of: Callable[[str], Any]) -> Callable[[str], tuple[Client, dict[str, str]]]:
    def make(persona: str) -> tuple[Client, dict[str, str]]:
        _token, plain = token_create(user=user_of(persona), name="uji", by=None)
        return Client(), {"Authorization": f"Bearer {plain}"}

    return make


def test_the_task_force_on_a_date(api: Any) -> None:
    b.decree()
    b.member(person="Siti Aminah")
    client, auth = api("opd")
    body = client.get("/api/v1/regions/16.71/task-force?on=2025-03-01", headers=auth).json()
    assert body["decree"]["number"] == "188.45/16.71/2025" and body["on"] == "2025-03-01"
    assert [m["person_name"] for m in body["members"]] == ["Siti Aminah"]
    assert client.get("/api/v1/regions/16.71/task-force?on=2024-01-01", headers=auth).json()["members"] == []


def test_lubuk_linggau_gets_404_on_palembang(api: Any) -> None:
    follow_up = b.follow_up()
    client, auth = api("other_secretariat")
    for url in (
        "/api/v1/regions/16.71/task-force",
        "/api/v1/regions/16.71/meetings",
        f"/api/v1/meetings/{follow_up.meeting_id}",
        "/api/v1/regions/16.71/follow-ups?status=overdue",
        "/api/v1/meetings/999999999",
    ):
        assert client.get(url, headers=auth).status_code == 404, url
    response = client.post(
        f"/api/v1/follow-ups/{follow_up.pk}/complete", {"note": "x"}, content_type="application/json", headers=auth
    )
    assert response.status_code == 404
    assert not FollowUp.objects.filter(status="done").exists()


def test_the_secretariat_writes_through_the_api(api: Any) -> None:
    client, auth = api("secretariat")
    member = client.post(
        "/api/v1/regions/16.71/members",
        {
            "agency_id": b.agency("DPPPA").pk,
            "person_name": "Siti",
            "position": "Kepala",
            "role": "ketua",
            "start": "2025-01-06",
        },
        content_type="application/json",
        headers=auth,
    )
    assert member.status_code == 201 and member.json()["role_label"] == "Ketua"
    when = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    meeting = client.post(
        "/api/v1/regions/16.71/meetings",
        {"title": "Rakor", "starts_at": when, "place": "Aula", "invited": [b.agency("DPPPA").pk]},
        content_type="application/json",
        headers=auth,
    )
    assert meeting.status_code == 201 and meeting.json()["status"] == "planned"
    planned = Meeting.objects.get(pk=meeting.json()["id"])
    refused = client.post(
        f"/api/v1/meetings/{planned.pk}/follow-ups",
        {"owner_id": b.agency("DISDUKCAPIL").pk, "description": "Akta.", "due_date": "2026-01-01"},
        content_type="application/json",
        headers=auth,
    )
    assert refused.status_code == 422 and "sesudah rapat" in refused.json()["detail"]
    held = b.held_meeting()
    outside = client.post(
        f"/api/v1/meetings/{held.pk}/follow-ups",
        {"owner_id": b.agency("DISDUKCAPIL", b.LUBUKLINGGAU).pk, "description": "Akta.", "due_date": "2026-01-01"},
        content_type="application/json",
        headers=auth,
    )
    assert outside.status_code == 422 and "tidak terdaftar di wilayah ini" in outside.json()["detail"]
    created = client.post(
        f"/api/v1/meetings/{held.pk}/follow-ups",
        {"owner_id": b.agency("DISDUKCAPIL").pk, "description": "Akta.", "due_date": "2000-01-01"},
        content_type="application/json",
        headers=auth,
    )
    assert created.status_code == 201 and created.json()["overdue"] is True
    overdue = client.get("/api/v1/regions/16.71/follow-ups?status=overdue", headers=auth).json()
    assert overdue["count"] == 1 and overdue["items"][0]["owner"]["short_name"] == "Disdukcapil"
    detail = client.get(f"/api/v1/meetings/{held.pk}", headers=auth).json()
    assert len(detail["attendance"]) == 1 and len(detail["follow_ups"]) == 1
    done = client.post(
        f"/api/v1/follow-ups/{created.json()['id']}/complete",
        {"note": "Terbit."},
        content_type="application/json",
        headers=auth,
    )
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["overdue"] is False
    assert Member.objects.filter(region_id=b.PALEMBANG).count() == 1


def test_the_province_reads_a_kabkota_but_does_not_write(api: Any) -> None:
    client, auth = api("province")
    assert client.get("/api/v1/regions/16.71/meetings", headers=auth).status_code == 200
    response = client.post(
        "/api/v1/regions/16.71/meetings",
        {"title": "Rakor", "starts_at": "2030-01-01T09:00:00+07:00", "place": "Aula"},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 403


def test_the_schema_lists_the_paths() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/regions/{code}/task-force",
        "/api/v1/regions/{code}/meetings",
        "/api/v1/meetings/{meeting_id}",
        "/api/v1/regions/{code}/follow-ups",
        "/api/v1/regions/{code}/members",
        "/api/v1/meetings/{meeting_id}/follow-ups",
        "/api/v1/follow-ups/{follow_up_id}/complete",
    ):
        assert path in paths, path
