"""The stuck-items board /notifikasi/tertahan/: the province's kab/kota, the ministry's whole country; oldest first,
filters (kind, region within scope, minimum age), the party responsible, the one-click reminder (once per item per
day, audited, told to the responsible party), pages, and a constant number of queries at two scales."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kla.core.models import AuditEvent
from kla.evaluations.models import Entry, Evaluation
from kla.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db
BOARD = "/notifikasi/tertahan/"


def late_entry(evaluation: Evaluation, number: int = 4, days: int = 14) -> Entry:
    now = timezone.now()
    entry = Entry.objects.get(evaluation=evaluation, indicator__number=number)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.PROVINCE_REVIEW, submitted_at=now)
    Entry.objects.filter(pk=entry.pk).update(
        status=Entry.Status.RETURNED,
        return_reason="Lampirkan data terbaru.",
        returned_at=now - dt.timedelta(days=days),
        return_deadline=now - dt.timedelta(days=days - 3),
    )
    return entry


def late_submission(cycle_id: int, code: str, days: int) -> Evaluation:
    evaluation, _created = Evaluation.objects.get_or_create(cycle_id=cycle_id, region_id=code)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=Evaluation.Status.SUBMITTED, submitted_at=timezone.now() - dt.timedelta(days=days)
    )
    return evaluation


@pytest.fixture
def stuck(palembang: Evaluation) -> dict[str, Any]:
    return {
        "entry": late_entry(palembang),
        "lubuklinggau": late_submission(palembang.cycle_id, "16.73", 20),
        "jambi": late_submission(palembang.cycle_id, "15.71", 30),
    }


def rows(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('<tr id="stuck-')[1:]]


def test_the_province_sees_its_own_stuck_work_oldest_first_with_the_party_responsible(
    stuck: dict[str, Any], client_for: Any
) -> None:
    html = client_for("province").get(BOARD).content.decode()
    assert rows(html) == [f"dikirim-{stuck['lubuklinggau'].pk}", f"dikembalikan-{stuck['entry'].pk}"]
    assert "Jambi" not in html  # another province's work is never listed
    assert "Dinas Kesehatan, Disdukcapil" in html and "Operator Instansi" in html
    assert "Verifikator Provinsi Sumatera Selatan" in html
    assert "2 pekerjaan tertahan." in html and "Ingatkan" in html


def test_the_ministry_sees_the_whole_country(stuck: dict[str, Any], client_for: Any) -> None:
    html = client_for("ministry_admin").get(BOARD).content.decode()
    assert rows(html)[0] == f"dikirim-{stuck['jambi'].pk}"  # the oldest
    assert len(rows(html)) == 3
    only_jambi = client_for("ministry_verifier").get(BOARD, {"wilayah": "15"}).content.decode()
    assert rows(only_jambi) == [f"dikirim-{stuck['jambi'].pk}"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"jenis": "dikembalikan"}, ["entry"]),
        ({"jenis": "dikirim"}, ["lubuklinggau"]),
        ({"jenis": "diusulkan"}, []),
        ({"wilayah": "16.73"}, ["lubuklinggau"]),
        ({"wilayah": "16.71"}, ["entry"]),
        ({"wilayah": "16"}, ["lubuklinggau", "entry"]),
        ({"umur": "15"}, ["lubuklinggau"]),
        ({"umur": "1.000"}, []),
        ({"jenis": "dikembalikan", "umur": "14"}, ["entry"]),
    ],
)
def test_filters(stuck: dict[str, Any], client_for: Any, query: dict[str, str], expected: list[str]) -> None:
    html = client_for("province").get(BOARD, query).content.decode()
    slugs = {"entry": "dikembalikan", "lubuklinggau": "dikirim"}
    assert rows(html) == [f"{slugs[name]}-{stuck[name].pk}" for name in expected]


@pytest.mark.parametrize("region", ["15", "15.71", "99.99", "16.71.01"])
def test_a_region_outside_the_scope_answers_404(stuck: dict[str, Any], client_for: Any, region: str) -> None:
    assert client_for("province").get(BOARD, {"wilayah": region}).status_code == 404


@pytest.mark.parametrize("typed", ["dua", "1,5", "-3", "5000"])
def test_a_minimum_age_that_cannot_be_read_is_explained_and_kept(
    stuck: dict[str, Any], client_for: Any, typed: str
) -> None:
    response = client_for("province").get(BOARD, {"umur": typed})
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert f'value="{typed}"' in html
    assert len(rows(html)) == 2  # the other filters still apply; the age is left out


def test_one_click_reminds_the_responsible_party_once_a_day(stuck: dict[str, Any], client_for: Any) -> None:
    client = client_for("province")
    url = reverse("notifications:stuck_remind", args=["dikembalikan", stuck["entry"].pk])
    response = client.post(url, {"next": f"{BOARD}?jenis=dikembalikan"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{BOARD}?jenis=dikembalikan"
    html = response.content.decode()
    assert "Pengingat dikirim kepada Dinas Kesehatan, Disdukcapil (1 orang): Kota Palembang." in html
    assert "Sudah diingatkan hari ini" in html
    nudge = Notification.objects.get(kind=Kind.NUDGED)
    assert nudge.user.username == "opd-palembang" and "Diingatkan oleh" in nudge.body
    assert "belum diperbaiki setelah 14 hari" in nudge.body
    assert AuditEvent.objects.filter(action="kla.stuck.reminded", object_id=str(stuck["entry"].pk)).count() == 1
    again = client.post(url, follow=True).content.decode()
    assert "sudah dikirim hari ini" in again
    assert Notification.objects.filter(kind=Kind.NUDGED).count() == 1
    assert AuditEvent.objects.filter(action="kla.stuck.reminded").count() == 1
    # the ministry reminds the province of a late submission
    client_for("ministry_admin").post(reverse("notifications:stuck_remind", args=["dikirim", stuck["jambi"].pk]))
    assert Notification.objects.filter(kind=Kind.NUDGED, user__username="prov-sumsel").count() == 0


def test_reminding_a_late_submission_tells_the_province(stuck: dict[str, Any], client_for: Any) -> None:
    url = reverse("notifications:stuck_remind", args=["dikirim", stuck["lubuklinggau"].pk])
    assert client_for("ministry_admin").post(url).status_code == 302
    assert set(Notification.objects.filter(kind=Kind.NUDGED).values_list("user__username", flat=True)) == {
        "prov-sumsel"
    }


@pytest.mark.parametrize(
    ("kind", "which"),
    [("dikirim", "jambi"), ("lainnya", "entry"), ("diusulkan", "lubuklinggau"), ("dikembalikan", "lubuklinggau")],
)
def test_a_reminder_outside_the_scope_or_for_nothing_waiting_answers_404(
    stuck: dict[str, Any], client_for: Any, kind: str, which: str
) -> None:
    url = reverse("notifications:stuck_remind", args=[kind, stuck[which].pk])
    assert client_for("province").post(url).status_code == 404
    assert not AuditEvent.objects.filter(action="kla.stuck.reminded").exists()


def test_no_one_to_remind_is_said_and_nothing_is_recorded(stuck: dict[str, Any], client_for: Any) -> None:
    from kla.accounts.models import User

    User.objects.filter(username="opd-palembang").update(is_active=False)
    url = reverse("notifications:stuck_remind", args=["dikembalikan", stuck["entry"].pk])
    html = client_for("province").post(url, follow=True).content.decode()
    assert "Belum ada pengguna aktif" in html
    assert not AuditEvent.objects.filter(action="kla.stuck.reminded").exists()


def _scale(palembang: Evaluation, large: bool) -> None:
    late_entry(palembang)
    late_submission(palembang.cycle_id, "16.73", 20)
    if large:
        now = timezone.now()
        Entry.objects.filter(evaluation=palembang).update(
            status=Entry.Status.RETURNED, returned_at=now - dt.timedelta(days=9), return_deadline=now
        )
        for evaluation in Evaluation.objects.filter(cycle=palembang.cycle).exclude(region_id="16.71"):
            late_submission(palembang.cycle_id, evaluation.region_id, 16)


@pytest.mark.parametrize("persona", ["province", "ministry_admin"])
def test_the_board_reads_a_constant_number_of_queries(palembang: Evaluation, client_for: Any, persona: str) -> None:
    client = client_for(persona)
    client.get(BOARD)  # warm the session
    counts = []
    for large in (False, True):
        _scale(palembang, large)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(BOARD).content.decode()
        counts.append(len(queries))
        assert len(rows(html)) == (25 if large else 2)
    assert counts[0] == counts[1] == 8, counts  # 2 items, then 25 of 40 on the page
    page_two = client.get(BOARD, {"page": 2}).content.decode()
    assert rows(page_two) and "Halaman 2 dari" in page_two


@pytest.mark.parametrize(
    ("persona", "page", "shown"),
    [
        ("province", "/verifikasi/", True),
        ("ministry_admin", "/verifikasi/", True),
        ("ministry_verifier", "/verifikasi/", True),
        ("field_verifier", "/verifikasi/", False),
        ("province", "/dasbor/provinsi/16/", True),
    ],
)
def test_the_queue_and_the_province_dashboard_link_to_the_board(
    palembang: Evaluation, client_for: Any, persona: str, page: str, shown: bool
) -> None:
    response = client_for(persona).get(page)
    assert response.status_code == 200
    assert ('data-testid="stuck-board-link"' in response.content.decode()) is shown
