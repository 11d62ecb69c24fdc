"""/api/v1 for verification and results: workflow steps, verdicts, returns, and the seal on scores and predicates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kla.accounts.models import User
from kla.accounts.roles import Role
from kla.accounts.services import membership_grant, token_create
from kla.evaluations.models import Cycle, Entry, Evaluation, StageDeadline
from kla.evaluations.stages import Stage
from kla.indicators.models import Question
from kla.indicators.scoring import predicate_for
from kla.indicators.selectors import band_rules
from kla.regions.models import Region
from kla.results import services as results_services
from kla.results.models import PredicateRecord, StageScore
from kla.verification.models import Verdict

pytestmark = pytest.mark.django_db

DEMO = "evaluasi-kla-demo"
JSON = "application/json"


def _auth(user: User) -> dict[str, str]:
    _token, plain = token_create(user=user, name="uji", by=None)
    return {"Authorization": f"Bearer {plain}"}


def _post(client: Client, url: str, data: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(url, data, content_type=JSON, headers=headers)


@pytest.fixture
def evaluation() -> Evaluation:
    return Evaluation.objects.get(cycle__code=DEMO, region_id="16.71")


@pytest.fixture
def headers(user_of) -> Any:  # type: ignore[no-untyped-def]
    """Token headers for a persona (anonymous: none), one token per persona per test."""
    made: dict[str, dict[str, str]] = {}

    def get(persona: str) -> dict[str, str]:
        if persona == "anonymous":
            return {}
        if persona not in made:
            made[persona] = _auth(user_of(persona))
        return made[persona]

    return get


def _entry(evaluation: Evaluation, number: int) -> Entry:
    return Entry.objects.get(evaluation=evaluation, indicator__number=number)


def _submitted(evaluation: Evaluation, user_of, em: str = "612.00") -> Evaluation:  # type: ignore[no-untyped-def]
    """The state after the secretariat's submission, with an EM above the gate (fixture shortcut)."""
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.em_score = Decimal(em)
    evaluation.submitted_at = timezone.now()
    evaluation.submitted_by = user_of("secretariat")
    evaluation.save()
    evaluation.entries.update(status=Entry.Status.SUBMITTED)
    return evaluation


def _in_state(evaluation: Evaluation, status: str) -> Evaluation:
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    evaluation.refresh_from_db()
    return evaluation


def _step(client: Client, evaluation: Evaluation, step: str, auth: dict[str, str]) -> Any:
    return client.post(f"/api/v1/evaluations/{evaluation.pk}/steps/{step}", content_type=JSON, headers=auth)


def _status(evaluation: Evaluation) -> str:
    return Evaluation.objects.values_list("status", flat=True).get(pk=evaluation.pk)


# --- workflow steps ------------------------------------------------------------------------------------------------


def test_secretariat_submits_through_the_api(client, evaluation, headers) -> None:
    url = f"/api/v1/evaluations/{evaluation.pk}/steps/submit"
    refused = client.post(url, content_type=JSON, headers=headers("secretariat"))
    assert refused.status_code == 422 and "kekurangan" in refused.json()["detail"]
    assert _status(evaluation) == "draft"
    assert _post(client, url, {"acknowledge_missing": True}, headers("opd")).status_code == 403
    below = _post(client, url, {"acknowledge_missing": True}, headers("secretariat"))  # EM 0: confirmed only
    assert below.status_code == 422 and "ambang batas" in below.json()["detail"]
    response = _post(client, url, {"acknowledge_missing": True, "confirm_below_gate": True}, headers("secretariat"))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["id"] == evaluation.pk and data["status"] == "submitted" and data["status_label"]
    assert _status(evaluation) == "submitted"
    again = _post(client, url, {"acknowledge_missing": True}, headers("secretariat"))
    assert again.status_code == 422 and "sudah dikirim" in again.json()["detail"]


def test_steps_need_a_token(client_for, evaluation) -> None:
    response = client_for("secretariat").post(f"/api/v1/evaluations/{evaluation.pk}/steps/submit")
    assert response.status_code == 401
    assert _status(evaluation) == "draft"


@pytest.mark.parametrize(("step", "fragment"), [("terbang", "tidak dikenal"), ("publish", "pengumuman")])
def test_unknown_or_foreign_step_is_422(client, evaluation, headers, step: str, fragment: str) -> None:
    response = _step(client, evaluation, step, headers("ministry_admin"))
    assert response.status_code == 422 and fragment in response.json()["detail"]
    assert _status(evaluation) == "draft"


def test_steps_out_of_turn_are_refused(client, evaluation, headers, user_of) -> None:
    from_draft = _step(client, evaluation, "start_province_review", headers("province"))
    assert from_draft.status_code == 422 and "hanya dapat dilakukan pada tahap" in from_draft.json()["detail"]
    _submitted(evaluation, user_of)
    propose = _step(client, evaluation, "propose", headers("province"))
    assert propose.status_code == 422 and "hanya dapat dilakukan pada tahap" in propose.json()["detail"]
    wrong_role = _step(client, evaluation, "start_province_review", headers("secretariat"))
    assert wrong_role.status_code == 422 and "Verifikator Provinsi" in wrong_role.json()["detail"]
    assert _status(evaluation) == "submitted"


def test_step_after_the_deadline_is_refused(client, evaluation, headers, user_of) -> None:
    _submitted(evaluation, user_of)
    now = timezone.now()
    StageDeadline.objects.filter(cycle=evaluation.cycle, stage=Stage.PROVINCE_REVIEW).update(
        starts_at=now - dt.timedelta(days=10), ends_at=now - dt.timedelta(days=1)
    )
    response = _step(client, evaluation, "start_province_review", headers("province"))
    assert response.status_code == 422 and "Batas waktu" in response.json()["detail"]
    assert _status(evaluation) == "submitted"


def test_another_province_and_region_get_404(client, evaluation, headers, user_of) -> None:
    _in_state(_submitted(evaluation, user_of), "province_review")
    bengkulu = User.objects.create(username="prov-bengkulu", full_name="Reviewer Bengkulu")
    membership_grant(user=bengkulu, role=Role.PROVINCE_REVIEWER, region=Region.objects.get(code="17"), by=None)
    entry = _entry(evaluation, 4)
    for auth in (_auth(bengkulu), headers("other_secretariat")):
        assert _step(client, evaluation, "propose", auth).status_code == 404
        assert client.get(f"/api/v1/evaluations/{evaluation.pk}/reviews", headers=auth).status_code == 404
        assert client.get(f"/api/v1/evaluations/{evaluation.pk}/scores", headers=auth).status_code == 404
        put = client.put(
            f"/api/v1/entries/{entry.pk}/verdicts/4.1", {"decision": "accepted"}, content_type=JSON, headers=auth
        )
        assert put.status_code == 404 and put.json()["detail"]
        accept = _post(client, f"/api/v1/evaluations/{evaluation.pk}/accept", {"entries": [entry.pk]}, auth)
        assert accept.status_code == 404
        assert client.post(f"/api/v1/entries/{entry.pk}/resubmit", headers=auth).status_code == 404
    assert _status(evaluation) == "province_review" and not Verdict.objects.exists()


# --- verdicts, returns, resubmissions ------------------------------------------------------------------------------


def test_the_whole_review_through_the_api(client, evaluation, headers, user_of) -> None:
    _submitted(evaluation, user_of)
    province, secretariat = headers("province"), headers("secretariat")
    started = _step(client, evaluation, "start_province_review", province)
    assert started.status_code == 200, started.content
    assert started.json()["status"] == "province_review"

    four, five = _entry(evaluation, 4), _entry(evaluation, 5)
    corrected = client.put(
        f"/api/v1/entries/{four.pk}/verdicts/4.1",
        {"decision": "corrected", "points": "1,5", "reason": "Data dukung hanya sebagian."},
        content_type=JSON,
        headers=province,
    )
    assert corrected.status_code == 200, corrected.content
    verdict = corrected.json()
    assert verdict["decision"] == "corrected" and Decimal(verdict["points"]) == Decimal("1.5")
    assert verdict["question"] == "4.1" and verdict["indicator"] == four.indicator.code
    assert verdict["stage"] == "province"

    returned = _post(
        client,
        f"/api/v1/evaluations/{evaluation.pk}/return",
        {"entries": [five.pk], "reason": "Lampirkan SK terbaru.", "deadline": "2099-01-31T16:00:00"},
        province,
    )
    assert returned.status_code == 200, returned.content
    assert returned.json() == {"returned": 1}

    # the kab/kota sees what came back, why and by when, but no verdicts and no points
    region_view = client.get(f"/api/v1/evaluations/{evaluation.pk}/reviews", headers=secretariat).json()
    assert region_view["verdicts"] == []
    [back] = region_view["returned_entries"]
    assert back["id"] == five.pk and back["reason"] == "Lampirkan SK terbaru." and back["deadline"].startswith("2099")
    assert "1.5" not in str(region_view)
    reviewer_view = client.get(f"/api/v1/evaluations/{evaluation.pk}/reviews", headers=province).json()
    assert [v["question"] for v in reviewer_view["verdicts"]] == ["4.1"]

    all_entries = list(evaluation.entries.values_list("pk", flat=True))
    not_returned = client.post(f"/api/v1/entries/{four.pk}/resubmit", headers=secretariat)
    assert not_returned.status_code == 422 and "tidak sedang dikembalikan" in not_returned.json()["detail"]
    too_early = _step(client, evaluation, "propose", province)
    assert too_early.status_code == 422 and "belum selesai" in too_early.json()["detail"]
    assert _status(evaluation) == "province_review" and Verdict.objects.count() == 1

    assert client.post(f"/api/v1/entries/{five.pk}/resubmit", headers=headers("opd")).status_code == 403
    resubmitted = client.post(f"/api/v1/entries/{five.pk}/resubmit", headers=secretariat)
    assert resubmitted.status_code == 200, resubmitted.content
    assert resubmitted.json() == {"id": five.pk, "indicator": five.indicator.code, "status": "submitted"}

    accepted = _post(
        client, f"/api/v1/evaluations/{evaluation.pk}/accept", {"entries": all_entries, "comment": "Sesuai."}, province
    )
    assert accepted.status_code == 200, accepted.content
    n_questions = Question.objects.filter(indicator__framework=evaluation.cycle.framework).count()
    assert accepted.json() == {"accepted": n_questions - 1}

    proposed = _step(client, evaluation, "propose", province)
    assert proposed.status_code == 200, proposed.content
    assert proposed.json()["status"] == "proposed"
    province_scores = client.get(f"/api/v1/evaluations/{evaluation.pk}/scores", headers=province).json()
    assert province_scores["stages"] == {"em": "612.00", "province_va": "1.50"}
    assert province_scores["sealed"] is True and province_scores["predicate"] is None
    region_scores = client.get(f"/api/v1/evaluations/{evaluation.pk}/scores", headers=secretariat).json()
    assert region_scores["stages"] == {"em": "612.00"}

    ministry = headers("ministry_verifier")
    assert _step(client, evaluation, "start_ministry_review", ministry).json()["status"] == "ministry_review"
    done = _post(client, f"/api/v1/evaluations/{evaluation.pk}/accept", {"entries": all_entries}, ministry)
    assert done.json() == {"accepted": n_questions}
    # the platform decides whether field verification is needed; a score below every band skips it
    assert _step(client, evaluation, "skip_field", ministry).json()["status"] == "final_verification"
    assert _step(client, evaluation, "determine", ministry).status_code == 422  # the administrator determines
    determined = _step(client, evaluation, "determine", headers("ministry_admin"))
    assert determined.status_code == 200 and determined.json()["status"] == "determined"

    sheet = client.get(f"/api/v1/evaluations/{evaluation.pk}/scores", headers=ministry).json()
    assert sheet["stages"] == {"em": "612.00", "province_va": "1.50", "ministry_va": "1.50", "final": "1.50"}
    assert sheet["sealed"] is False
    assert client.get(f"/api/v1/evaluations/{evaluation.pk}/scores", headers=secretariat).json()["stages"] == {
        "em": "612.00"
    }
    ministry_reviews = client.get(f"/api/v1/evaluations/{evaluation.pk}/reviews", headers=ministry).json()
    assert {v["stage"] for v in ministry_reviews["verdicts"]} == {"province", "ministry"}
    province_reviews = client.get(f"/api/v1/evaluations/{evaluation.pk}/reviews", headers=province).json()
    assert {v["stage"] for v in province_reviews["verdicts"]} == {"province"}


def test_points_above_the_maximum_are_refused(client, evaluation, headers, user_of) -> None:
    _in_state(_submitted(evaluation, user_of), "province_review")
    entry = _entry(evaluation, 4)
    question = Question.objects.get(indicator=entry.indicator, code="4.1")
    url = f"/api/v1/entries/{entry.pk}/verdicts/4.1"
    body = {"decision": "corrected", "points": str(question.max_points + 1), "reason": "Koreksi."}
    response = client.put(url, body, content_type=JSON, headers=headers("province"))
    assert response.status_code == 422 and "melebihi nilai maksimum" in response.json()["detail"]
    no_reason = client.put(
        url, {"decision": "corrected", "points": "1"}, content_type=JSON, headers=headers("province")
    )
    assert no_reason.status_code == 422 and "Alasan wajib" in no_reason.json()["detail"]
    unknown = client.put(
        f"/api/v1/entries/{entry.pk}/verdicts/9.9",
        {"decision": "accepted"},
        content_type=JSON,
        headers=headers("province"),
    )
    assert unknown.status_code == 404
    by_region = client.put(url, {"decision": "accepted"}, content_type=JSON, headers=headers("secretariat"))
    assert by_region.status_code == 403
    assert not Verdict.objects.exists()


def test_return_without_a_reason_changes_nothing(client, evaluation, headers, user_of) -> None:
    _in_state(_submitted(evaluation, user_of), "province_review")
    entry = _entry(evaluation, 5)
    url = f"/api/v1/evaluations/{evaluation.pk}/return"
    future = (timezone.now() + dt.timedelta(days=7)).isoformat()
    no_reason = _post(client, url, {"entries": [entry.pk], "reason": "  ", "deadline": future}, headers("province"))
    assert no_reason.status_code == 422 and "Alasan pengembalian wajib" in no_reason.json()["detail"]
    missing = _post(client, url, {"entries": [entry.pk], "deadline": future}, headers("province"))
    assert missing.status_code == 422
    past = _post(
        client,
        url,
        {"entries": [entry.pk], "reason": "Perbaiki.", "deadline": "2001-01-01T00:00:00+07:00"},
        headers("province"),
    )
    assert past.status_code == 422 and "masa depan" in past.json()["detail"]
    foreign = Entry.objects.get(evaluation__cycle__code=DEMO, evaluation__region_id="16.73", indicator__number=5)
    other = _post(
        client, url, {"entries": [foreign.pk], "reason": "Perbaiki.", "deadline": future}, headers("province")
    )
    assert other.status_code == 422 and str(foreign.pk) in other.json()["detail"]
    no_date = _post(client, url, {"entries": [entry.pk], "reason": "Perbaiki."}, headers("province"))
    assert no_date.status_code == 422
    for e in (entry, foreign):
        e.refresh_from_db()
        assert e.status != Entry.Status.RETURNED and e.return_reason == "" and e.return_deadline is None


# --- the seal --------------------------------------------------------------------------------------------------------

SEALED = {"province_va": "777.77", "ministry_va": "666.66", "vl": "655.55", "final": "654.32"}
OUTSIDE_MINISTRY = ["secretariat", "opd", "province", "other_secretariat", "no_role", "anonymous"]
MINISTRY = ["ministry_verifier", "field_verifier", "ministry_admin"]


def _bodies(client: Client, evaluation: Evaluation, auth: dict[str, str]) -> dict[str, str]:
    urls = [
        f"/api/v1/evaluations/{evaluation.pk}/scores",
        f"/api/v1/evaluations/{evaluation.pk}",
        f"/api/v1/evaluations/{evaluation.pk}/reviews",
        "/api/v1/evaluations/?limit=500",
        f"/api/v1/results/{DEMO}",
        "/api/v1/regions/16.71/predicates",
    ]
    return {url: client.get(url, headers=auth).content.decode() for url in urls}


def _assert_sealed(client: Client, evaluation: Evaluation, headers: Any, predicate: str) -> None:
    for persona in OUTSIDE_MINISTRY:
        for url, body in _bodies(client, evaluation, headers(persona)).items():
            for stage, number in SEALED.items():
                if persona == "province" and stage == "province_va":
                    continue  # the province made this verification itself
                assert number not in body, (persona, url, stage)
            assert predicate.lower() not in body.lower(), (persona, url)


@pytest.fixture
def determined(evaluation, user_of) -> tuple[Evaluation, str]:  # type: ignore[no-untyped-def]
    """Palembang's evaluation determined, with recognisable sealed totals; returns it and the predicate's name."""
    _in_state(_submitted(evaluation, user_of), "determined")
    bands = band_rules(evaluation.cycle.framework_id)
    for stage, total in SEALED.items():
        band = predicate_for(Decimal(total), bands)
        StageScore.objects.create(
            evaluation=evaluation,
            stage=stage,
            total=Decimal(total),
            band_code=band.code if band else "",
            framework_code=evaluation.cycle.framework.code,
            breakdown={"indicators": {}},
        )
    band = predicate_for(Decimal(SEALED["final"]), bands)
    assert band is not None
    return evaluation, band.name


def test_sealed_results_leak_nowhere_before_release(client, headers, determined) -> None:
    evaluation, predicate = determined
    _assert_sealed(client, evaluation, headers, predicate)
    assert client.get(f"/api/v1/results/{DEMO}").json() == {"detail": "Hasil belum diumumkan."}

    province = client.get(f"/api/v1/evaluations/{evaluation.pk}/scores", headers=headers("province")).json()
    assert province == {
        "stages": {"em": "612.00", "province_va": "777.77"},
        "predicate": None,
        "sealed": True,
        "published": False,
    }
    for persona in MINISTRY:
        data = client.get(f"/api/v1/evaluations/{evaluation.pk}/scores", headers=headers(persona)).json()
        assert data["stages"] == {"em": "612.00", **SEALED}, persona
        assert data["predicate"]["name"] == predicate and data["sealed"] is False

    # confirmed by the administrators but the release time has not come: still sealed everywhere
    cycle = evaluation.cycle
    results_services.publish_request(cycle=cycle, release_at=timezone.now() + dt.timedelta(hours=2), by=None)
    assert results_services.publish_confirm(cycle=cycle, by=None) == 1
    assert PredicateRecord.objects.filter(region_id="16.71", band_name=predicate).exists()
    assert _status(evaluation) == "published"
    _assert_sealed(client, evaluation, headers, predicate)
    assert client.get(f"/api/v1/results/{DEMO}").status_code == 404

    # released: the kab/kota and its province see the whole sheet, the public the predicate without the total
    now = timezone.now()
    Cycle.objects.filter(pk=cycle.pk).update(release_at=now - dt.timedelta(minutes=1), published_at=now)
    for persona in ("secretariat", "opd", "province"):
        data = client.get(f"/api/v1/evaluations/{evaluation.pk}/scores", headers=headers(persona)).json()
        assert data["stages"] == {"em": "612.00", **SEALED}, persona
        assert data["predicate"]["name"] == predicate and data["sealed"] is False and data["published"] is True
    for persona in ("anonymous", "no_role", "other_secretariat"):
        results = client.get(f"/api/v1/results/{DEMO}", headers=headers(persona))
        assert results.status_code == 200, results.content
        [row] = [r for r in results.json()["items"] if r["region_code"] == "16.71"]
        assert row == {
            "region_code": "16.71",
            "region_name": "Kota Palembang",
            "state": "determined",
            "state_label": predicate,
            "predicate": row["predicate"],
        }
        assert row["predicate"]["name"] == predicate
        history = client.get("/api/v1/regions/16.71/predicates", headers=headers(persona)).json()
        latest = history["items"][-1]
        assert (latest["year"], latest["predicate"]["name"], latest["cycle_code"]) == (cycle.year, predicate, DEMO)
        assert not any("score" in h for h in history["items"])
        for body in (results.content.decode(), str(history)):
            assert not any(number in body for number in SEALED.values()), persona
    other_scores = client.get(f"/api/v1/evaluations/{evaluation.pk}/scores", headers=headers("other_secretariat"))
    assert other_scores.status_code == 404


def test_public_results_list_is_paginated_with_constant_queries(client, django_assert_max_num_queries) -> None:
    cycle = Cycle.objects.get(code=DEMO)
    evaluations = list(Evaluation.objects.filter(cycle=cycle).order_by("region_id"))
    for i, evaluation in enumerate(evaluations):
        StageScore.objects.create(
            evaluation=evaluation,
            stage="final",
            total=Decimal("550.00") + 20 * i,
            framework_code=cycle.framework.code,
        )
    Evaluation.objects.filter(cycle=cycle).update(status=Evaluation.Status.PUBLISHED)
    now = timezone.now()
    Cycle.objects.filter(pk=cycle.pk).update(
        release_at=now - dt.timedelta(hours=1), published_at=now - dt.timedelta(hours=2), public_details=True
    )
    with django_assert_max_num_queries(4):
        first = client.get(f"/api/v1/results/{DEMO}", {"limit": 2}).json()
    with django_assert_max_num_queries(4):
        everything = client.get(f"/api/v1/results/{DEMO}", {"limit": 100}).json()
    assert first["count"] == everything["count"] == len(evaluations) == 17
    assert first["items"] == everything["items"][:2]
    assert [r["region_code"] for r in everything["items"]] == [e.region_id for e in evaluations]
    top = everything["items"][-1]
    assert top["final"] == "870.00" and top["predicate"]["code"] == "utama"
    page = client.get(f"/api/v1/results/{DEMO}", {"limit": 5, "offset": 15}).json()
    assert [r["region_code"] for r in page["items"]] == [e.region_id for e in evaluations[15:]]
    assert client.get("/api/v1/results/tidak-ada").json() == {"detail": "Hasil belum diumumkan."}


def test_predicate_history_is_public_and_hides_imported_scores(client, user_of) -> None:
    PredicateRecord.objects.create(
        region_id="16.71", year=2019, band_code="madya", band_name="Madya", score=Decimal("633.33"), source="import"
    )
    PredicateRecord.objects.filter(region_id="16.71").exclude(year=2019).delete()  # the demo's own history
    data = client.get("/api/v1/regions/16.71/predicates").json()
    assert data == {
        "count": 1,
        "items": [
            {"year": 2019, "predicate": {"code": "madya", "name": "Madya"}, "source": "import", "cycle_code": None}
        ],
    }
    assert client.get("/api/v1/regions/99.99/predicates").status_code == 404
    assert client.get("/api/v1/regions/16.73/predicates").json() == {"count": 0, "items": []}


def test_reviews_follow_the_seal(client, evaluation, headers, user_of) -> None:
    _in_state(_submitted(evaluation, user_of), "ministry_review")
    entry = _entry(evaluation, 4)
    question = Question.objects.get(indicator=entry.indicator, code="4.1")
    for stage, points in (("province", "3.21"), ("ministry", "2.34")):
        Verdict.objects.create(
            entry=entry, question=question, stage=stage, decision="corrected", points=Decimal(points), reason="x"
        )
    url = f"/api/v1/evaluations/{evaluation.pk}/reviews"
    ministry = client.get(url, headers=headers("ministry_verifier")).json()
    assert {(v["stage"], v["points"]) for v in ministry["verdicts"]} == {("province", "3.21"), ("ministry", "2.34")}
    province = client.get(url, headers=headers("province")).content.decode()
    assert "3.21" in province and "2.34" not in province
    for persona in ("secretariat", "opd"):
        region = client.get(url, headers=headers(persona)).json()
        assert region == {"verdicts": [], "returned_entries": []}
    assert client.get(url, headers=headers("no_role")).status_code == 404
    assert client.get(url).status_code == 401


def test_reads_accept_the_session_and_the_paths_are_documented(client, client_for, evaluation) -> None:
    scores = client_for("secretariat").get(f"/api/v1/evaluations/{evaluation.pk}/scores")
    assert scores.status_code == 200
    assert scores.json() == {"stages": {}, "predicate": None, "sealed": True, "published": False}
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/evaluations/{evaluation_id}/steps/{step}",
        "/api/v1/evaluations/{evaluation_id}/reviews",
        "/api/v1/entries/{entry_id}/verdicts/{question_code}",
        "/api/v1/evaluations/{evaluation_id}/accept",
        "/api/v1/evaluations/{evaluation_id}/return",
        "/api/v1/entries/{entry_id}/resubmit",
        "/api/v1/evaluations/{evaluation_id}/scores",
        "/api/v1/results/{cycle_code}",
        "/api/v1/regions/{code}/predicates",
    ):
        assert path in paths, path
