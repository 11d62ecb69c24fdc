"""Publication, targets and the selectors behind the results pages: rules that hold whatever page calls them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import ScoreStage, Viewer
from kla.indicators.selectors import band_rules
from kla.regions.models import Region
from kla.results import services
from kla.results.models import PredicateRecord, StageScore, Target
from kla.results.provila import ProvinceRule
from kla.results.selectors import portal, regions, scores
from kla.results.tests.test_views import DEMO, admin, determine, palembang, second_admin

pytestmark = pytest.mark.django_db


# --- publication ---------------------------------------------------------------------------------------------


def test_the_requester_cannot_confirm_and_nothing_is_published() -> None:
    evaluation = determine(palembang())
    services.publish_request(cycle=evaluation.cycle, release_at=timezone.now(), by=admin())
    with pytest.raises(PermissionDenied):
        services.publish_confirm(cycle=evaluation.cycle, by=admin())
    cycle = Cycle.objects.get(pk=evaluation.cycle_id)
    assert cycle.published_at is None and not cycle.is_published()
    assert not PredicateRecord.objects.filter(cycle=cycle).exists()
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.DETERMINED


def test_a_second_administrator_publishes_and_the_history_gets_the_year() -> None:
    evaluation = determine(palembang())
    services.publish_request(cycle=evaluation.cycle, release_at=timezone.now(), by=admin())
    assert services.publish_confirm(cycle=evaluation.cycle, by=second_admin()) == 1
    record = PredicateRecord.objects.get(region_id="16.71", year=evaluation.cycle.year)
    assert (record.band_name, record.score, record.source) == ("Madya", Decimal("654.32"), "cycle")
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.PUBLISHED
    assert record in regions.predicate_history("16.71")


def test_non_administrators_cannot_request() -> None:
    from kla.accounts.models import User

    evaluation = determine(palembang())
    with pytest.raises(PermissionDenied):
        services.publish_request(
            cycle=evaluation.cycle, release_at=timezone.now(), by=User.objects.get(username="kemen-verifikator")
        )


def test_an_evaluation_still_in_verification_blocks_publication() -> None:
    determine(palembang())
    Evaluation.objects.filter(cycle__code=DEMO, region_id="16.73").update(status=Evaluation.Status.PROVINCE_REVIEW)
    cycle = Cycle.objects.get(code=DEMO)
    assert any("1 kabupaten/kota masih pada tahap" in p for p in services.publication_blockers(cycle))
    with pytest.raises(ValidationError, match="Belum dapat diumumkan"):
        services.publish_request(cycle=cycle, release_at=timezone.now(), by=admin())


def test_withdrawn_request_cannot_be_confirmed() -> None:
    evaluation = determine(palembang())
    services.publish_request(cycle=evaluation.cycle, release_at=timezone.now(), by=admin())
    services.publish_withdraw(cycle=evaluation.cycle, by=second_admin())
    with pytest.raises(ValidationError, match="Belum ada permintaan"):
        services.publish_confirm(cycle=evaluation.cycle, by=second_admin())


def test_a_future_release_keeps_the_seal_until_the_release_time(client_for, user_of) -> None:
    evaluation = determine(palembang())
    release = timezone.now() + dt.timedelta(days=1)
    services.publish_request(cycle=evaluation.cycle, release_at=release, by=admin())
    services.publish_confirm(cycle=evaluation.cycle, by=second_admin())
    evaluation = palembang()
    [before] = scores.visible_scores(user_of("secretariat"), [evaluation])
    assert before.sealed and before.predicate is None and set(before.scores) == {ScoreStage.EM}
    assert client_for("anonymous").get(reverse("results:public_cycle", args=[DEMO])).status_code == 404
    assert not [r for r in regions.predicate_history("16.71") if r.cycle_id == evaluation.cycle_id]
    [after] = scores.visible_scores(user_of("secretariat"), [evaluation], now=release + dt.timedelta(minutes=1))
    assert not after.sealed and after.get("final") == Decimal("654.32") and after.predicate.name == "Madya"


# --- targets ---------------------------------------------------------------------------------------------------


def test_target_is_set_by_the_task_force_or_the_province(user_of) -> None:
    region, framework = Region.objects.get(code="16.71"), palembang().cycle.framework
    services.target_set(region=region, band_code="nindya", framework=framework, year=2027, by=user_of("province"))
    assert Target.objects.get(region=region).band_code == "nindya"
    with pytest.raises(PermissionDenied):
        services.target_set(region=region, band_code="utama", framework=framework, by=user_of("opd"))
    with pytest.raises(Http404):
        services.target_set(region=region, band_code="utama", framework=framework, by=user_of("other_secretariat"))
    with pytest.raises(ValidationError, match="tidak dikenal"):
        services.target_set(region=region, band_code="emas", framework=framework, by=user_of("secretariat"))
    assert regions.can_set_target(user_of("secretariat"), "16.71")
    assert regions.can_set_target(user_of("ministry_admin"), "16.71")
    assert not regions.can_set_target(user_of("opd"), "16.71")
    assert not regions.can_set_target(user_of("ministry_verifier"), "16.71")
    assert not regions.can_set_target(user_of("other_secretariat"), "16.71")


# --- selectors -------------------------------------------------------------------------------------------------


def test_region_standing_estimates_from_em_before_publication(user_of) -> None:
    determine(palembang())
    for persona in ("secretariat", "ministry_admin"):  # even the ministry: the cycle is not published yet
        standing = regions.region_standing(user_of(persona), "16.71")
        assert standing.estimated and standing.score == Decimal("612.34")
        assert len(standing.standings) == 24
    agencies = {s.code: s.agencies for s in standing.standings}
    assert "DISDUKCAPIL" in " ".join(agencies["4"]).upper()


def test_region_standing_uses_the_published_final_score(user_of) -> None:
    evaluation = determine(palembang(), fraction=Decimal("0.25"))
    services.publish_request(cycle=evaluation.cycle, release_at=timezone.now(), by=admin())
    services.publish_confirm(cycle=evaluation.cycle, by=second_admin())
    standing = regions.region_standing(user_of("secretariat"), "16.71")
    assert standing.stage == ScoreStage.FINAL and standing.score == Decimal("654.32")
    first = standing.standings[0]
    assert first.points == (first.max_points * Decimal("0.25")).quantize(Decimal("0.01"))


def test_region_standing_without_a_submitted_em_has_no_score(user_of) -> None:
    standing = regions.region_standing(user_of("secretariat"), "16.71")
    assert standing.latest is not None and standing.score is None and standing.standings == []


def test_kabkota_gate(user_of) -> None:
    assert regions.get_kabkota_for_user(user_of("opd"), "16.71").name == "Kota Palembang"
    for persona, code in (("other_secretariat", "16.71"), ("no_role", "16.71"), ("ministry_admin", "16")):
        with pytest.raises(Http404):
            regions.get_kabkota_for_user(user_of(persona), code)


def test_long_lists_leave_breakdowns_in_the_database(user_of) -> None:
    evaluation = determine(palembang())
    [light] = scores.visible_scores(user_of("ministry_admin"), [evaluation], breakdowns=False)
    assert all("breakdown" in row.get_deferred_fields() for row in light.rows.values())
    [full] = scores.visible_scores(user_of("ministry_admin"), [evaluation])
    assert not any(row.get_deferred_fields() for row in full.rows.values())


def test_cycle_results_filters_by_province_and_search(user_of) -> None:
    cycle = Cycle.objects.get(code=DEMO)
    everything = portal.cycle_results(None, cycle)
    assert len(everything) == 17 and all(v.viewer == Viewer.PUBLIC for v in everything)
    assert len(portal.cycle_results(None, cycle, province="16")) == 17
    assert [v.evaluation.region_id for v in portal.cycle_results(None, cycle, q="lingg")] == ["16.73"]
    assert [v.evaluation.region_id for v in portal.cycle_results(None, cycle, q="16.71")] == ["16.71"]
    assert portal.cycle_results(None, cycle, province="11") == []


def test_province_result_names_points_only_where_the_final_score_is_visible(user_of) -> None:
    evaluation = determine(palembang())
    lubuk = determine(
        Evaluation.objects.get(cycle__code=DEMO, region_id="16.73"),
        totals={ScoreStage.MINISTRY_VA: "480.00", ScoreStage.FINAL: "480.00"},
    )
    services.publish_request(cycle=evaluation.cycle, release_at=timezone.now(), by=admin())
    services.publish_confirm(cycle=evaluation.cycle, by=second_admin())
    cycle = Cycle.objects.select_related("framework").get(pk=evaluation.cycle_id)
    rule = ProvinceRule.from_json(cycle.framework.province_rule)
    bands = band_rules(cycle.framework_id)

    def blockers(user) -> dict[str, portal.BlockerLine]:
        visible = portal.cycle_results(user, cycle, province="16")
        [group] = portal.province_results(visible, bands, rule)
        assert group.status is not None and not group.status.eligible and group.with_predicate == 1
        return {b.name: b for b in group.blockers}

    public = blockers(None)
    assert "Kota Palembang" not in public  # Madya meets the Pratama minimum
    assert public["Kota Lubuk Linggau"] == portal.BlockerLine("16.73", "Kota Lubuk Linggau", "Belum berpredikat", None)
    province = blockers(user_of("province"))  # after publication the province sees final scores
    assert province["Kota Lubuk Linggau"].points_needed == Decimal("20.00")
    assert "kurang 20,00 poin" in province["Kota Lubuk Linggau"].reason
    assert StageScore.objects.filter(evaluation=lubuk).count() == 2
