"""Publication with kab/kota still filling in, and Provinsi Layak Anak counting every kab/kota (issue 21 items 2, 3).

Sumatera Selatan's 17 kab/kota in the demo cycle, plus one kab/kota without an evaluation: Palembang determined,
Lubuk Linggau submitted below the gate, the others still filling in. Walked through the pages and the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from kla.core.models import AuditEvent
from kla.demo.answers import fill_answers
from kla.evaluations.models import Cycle, Evaluation, StageDeadline, StageExtension
from kla.evaluations.stages import Stage
from kla.regions.models import Region
from kla.results import services
from kla.results.models import PredicateRecord
from kla.results.tests.test_views import DEMO, determine, palembang, second_admin

pytestmark = pytest.mark.django_db

CONFIRM = reverse("results:publication_confirm", kwargs={"cycle_code": DEMO})
PAGE = reverse("results:publication", kwargs={"cycle_code": DEMO})


@pytest.fixture
def province(client_for) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The state the issue describes, reached through the pages where a person acts."""
    Region.objects.create(code="16.99", name="Kabupaten Uji Coba", level="kabkota", kind="kabupaten", parent_id="16")
    determined = determine(palembang())
    linggau = Evaluation.objects.select_related("cycle__framework").get(cycle__code=DEMO, region_id="16.73")
    fill_answers(linggau, seed=3, strength=0.0)
    url = reverse("evaluations:evaluation_submit", args=[linggau.pk])
    client_for("other_secretariat").post(url, {"acknowledge_missing": "on", "confirm_below_gate": "1"})
    linggau.refresh_from_db()
    assert linggau.status == Evaluation.Status.SUBMITTED
    StageDeadline.objects.filter(cycle__code=DEMO, stage=Stage.SELF_ASSESSMENT).update(
        ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    return {"determined": determined, "linggau": linggau}


def _publish(client_for) -> str:  # type: ignore[no-untyped-def]
    first = client_for("ministry_admin")
    release = timezone.localtime() - dt.timedelta(minutes=5)
    first.post(
        reverse("results:publication_request", kwargs={"cycle_code": DEMO}),
        {"release_at": release.strftime("%Y-%m-%dT%H:%M")},
    )
    other = client_for("ministry_admin")
    other.force_login(second_admin())
    page = other.get(PAGE).content.decode()
    response = other.post(CONFIRM)
    return page + "\n".join(str(m) for m in get_messages(response.wsgi_request))


def test_before_confirming_the_administrators_read_how_many_are_settled(client_for, province) -> None:
    page = client_for("ministry_admin").get(PAGE).content.decode()
    assert "2 dari 17 kabupaten/kota sudah selesai dievaluasi: 1 ditetapkan" in page
    assert "1 tidak memenuhi ambang batas evaluasi mandiri" in page
    assert "15 kabupaten/kota belum selesai dievaluasi" in page
    text = _publish(client_for)
    assert text.count("15 kabupaten/kota belum selesai dievaluasi") >= 2  # the confirm card and its dialog
    assert "Pengumuman dikonfirmasi: 1 kabupaten/kota diumumkan" in text


def test_publication_publishes_the_determined_and_closes_those_below_the_gate(client_for, province) -> None:
    _publish(client_for)
    statuses = dict(Evaluation.objects.filter(cycle__code=DEMO).values_list("region_id", "status"))
    assert statuses.pop("16.71") == Evaluation.Status.PUBLISHED
    assert statuses.pop("16.73") == Evaluation.Status.BELOW_GATE
    assert set(statuses.values()) == {Evaluation.Status.DRAFT}
    event = AuditEvent.objects.get(action="kla.evaluation.stop_at_gate", object_id=str(province["linggau"].pk))
    assert event.after["at_publication"] is True and event.actor.username == "kemen-admin-2"
    record = PredicateRecord.objects.get(region_id="16.73", year=province["linggau"].cycle.year)
    assert (record.band_code, record.score, record.note) == ("", None, "Tidak memenuhi ambang batas evaluasi mandiri")
    assert PredicateRecord.objects.filter(cycle__code=DEMO).count() == 2  # nothing for those not finished
    published = AuditEvent.objects.get(action="kla.cycle.published")
    assert (published.after["below_gate"], published.after["in_progress"]) == (1, 15)


def test_the_public_page_says_which_are_not_finished_never_without_a_predicate(client_for, province) -> None:
    _publish(client_for)
    url = reverse("results:public_cycle", kwargs={"cycle_code": DEMO})
    overview = client_for("anonymous").get(url).content.decode()
    assert '<td class="num">18</td>' in overview  # every kab/kota of the province counted
    text = client_for("anonymous").get(url, {"provinsi": "16"}).content.decode()
    assert "Tanpa predikat" not in text and "tanpa predikat" not in text
    assert text.count('data-state="draft"') == 15 and text.count("Belum selesai dievaluasi") >= 15
    assert 'data-state="below_gate"' in text and "Tidak memenuhi ambang batas" in text
    # Provinsi Layak Anak counts every kab/kota, the one without an evaluation too
    assert "Kabupaten Uji Coba" in text and "Tidak ada evaluasi pada siklus ini" in text
    assert "dari 18 kabupaten/kota" in text


def test_the_public_results_api_lists_every_kabkota_with_its_state(client_for, province) -> None:
    _publish(client_for)
    items = client_for("anonymous").get(f"/api/v1/results/{DEMO}", {"limit": 100}).json()["items"]
    assert len(items) == 17
    by_code = {i["region_code"]: i for i in items}
    assert by_code["16.71"]["state"] == "determined" and by_code["16.71"]["predicate"]["name"] == "Madya"
    assert by_code["16.73"] == {
        "region_code": "16.73",
        "region_name": by_code["16.73"]["region_name"],
        "state": "below_gate",
        "state_label": "Tidak memenuhi ambang batas",
        "predicate": None,
    }
    rest = [i for code, i in by_code.items() if code not in ("16.71", "16.73")]
    assert {(i["state"], i["state_label"], i["predicate"]) for i in rest} == {
        ("in_progress", "Belum selesai dievaluasi", None)
    }


def test_province_status_api_counts_every_kabkota_with_its_blockers(
    client_for, province, django_assert_max_num_queries
) -> None:
    url = f"/api/v1/results/{DEMO}/provinces/16"
    # before the release: an estimate for the province's reviewers, nothing for the public
    assert client_for("anonymous").get(url).status_code == 404
    assert client_for("secretariat").get(url).status_code == 404
    estimate = client_for("province").get(url).json()
    assert estimate["estimate"] is True and estimate["total"] == 18 and not estimate["eligible"]
    _publish(client_for)
    with django_assert_max_num_queries(9):
        public = client_for("anonymous").get(url).json()
    assert public["published"] is True and public["estimate"] is False
    assert (public["total"], public["meeting"], public["eligible"]) == (18, 1, False)
    assert public["summary"].startswith("Belum memenuhi syarat: 17 dari 18 kabupaten/kota")
    blockers = {b["code"]: b for b in public["blockers"]}
    assert len(blockers) == 17
    assert blockers["16.99"]["reason"] == "Tidak ada evaluasi pada siklus ini"
    assert blockers["16.73"] == {
        "code": "16.73",
        "name": blockers["16.73"]["name"],
        "reason": "Tidak memenuhi ambang batas evaluasi mandiri",  # the public never sees an EM score
        "points_needed": None,
    }
    linggau = province["linggau"]
    reviewer = {b["code"]: b for b in client_for("province").get(url).json()["blockers"]}
    assert f"nilai EM {linggau.em_score:.2f}".replace(".", ",") in reviewer["16.73"]["reason"]
    assert reviewer["16.73"]["points_needed"] is not None
    Region.objects.create(code="16.98", name="Kota Uji Kedua", level="kabkota", kind="kota", parent_id="16")
    with django_assert_max_num_queries(9):
        again = client_for("anonymous").get(url).json()
    assert again["total"] == 19
    assert client_for("anonymous").get(f"/api/v1/results/{DEMO}/provinces/16.71").status_code == 404


def test_targets_api_through_the_seal_and_the_regions(client_for, django_assert_max_num_queries) -> None:
    evaluation = palembang()
    fill_answers(evaluation, seed=7, strength=0.8)
    evaluation.refresh_from_db()
    services.target_set(
        region=evaluation.region, band_code="utama", framework=evaluation.cycle.framework, year=2027, by=None
    )
    own = client_for("secretariat").get("/api/v1/regions/16.71/targets").json()
    [line] = own
    assert line["target"] == {"code": "utama", "name": "Utama"} and line["year"] == 2027
    assert line["score_stage"] is None and line["points_needed"] is None  # nothing submitted: no EM snapshot yet
    Evaluation.objects.filter(pk=evaluation.pk).update(em_score="612.34", status=Evaluation.Status.SUBMITTED)
    [line] = client_for("secretariat").get("/api/v1/regions/16.71/targets").json()
    assert (line["score"], line["score_stage"], line["reached"]) == ("612.34", "em", False)
    assert line["points_needed"] is not None
    assert client_for("other_secretariat").get("/api/v1/regions/16.71/targets").status_code == 404
    assert client_for("secretariat").get("/api/v1/regions/16/targets").status_code == 404
    assert client_for("anonymous").get("/api/v1/regions/16.71/targets").status_code == 401
    reviewer = client_for("province")
    with django_assert_max_num_queries(12):
        lines = reviewer.get("/api/v1/regions/16/targets").json()
    assert len(lines) == 17 and sum(1 for t in lines if t["target"]) == 1
    Region.objects.create(code="16.99", name="Kabupaten Uji Coba", level="kabkota", kind="kabupaten", parent_id="16")
    linggau = Evaluation.objects.select_related("region").get(cycle__code=DEMO, region_id="16.73")
    services.target_set(
        region=linggau.region, band_code="madya", framework=evaluation.cycle.framework, year=None, by=None
    )
    with django_assert_max_num_queries(12):
        lines = reviewer.get("/api/v1/regions/16/targets").json()
    assert len(lines) == 18 and sum(1 for t in lines if t["target"]) == 2
    assert Cycle.objects.get(code=DEMO).published_at is None


def test_an_extended_self_assessment_is_not_closed_at_publication(client_for, province) -> None:
    StageExtension.objects.create(
        cycle=province["linggau"].cycle,
        stage=Stage.SELF_ASSESSMENT,
        region_id="16.73",
        ends_at=timezone.now() + dt.timedelta(days=2),
        reason="Banjir",
    )
    page = client_for("ministry_admin").get(PAGE).content.decode()
    assert "1 dari 17 kabupaten/kota sudah selesai dievaluasi" in page and "16 kabupaten/kota belum selesai" in page
    _publish(client_for)
    province["linggau"].refresh_from_db()
    assert province["linggau"].status == Evaluation.Status.SUBMITTED  # its secretariat may still withdraw it
