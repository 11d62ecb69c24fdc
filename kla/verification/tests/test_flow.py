"""The whole verification cycle through the services, on the demo data: every step, refusal and the seal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kla.accounts.models import User
from kla.accounts.roles import Role
from kla.accounts.services import membership_grant
from kla.demo.answers import fill_answers
from kla.evaluations.models import Answer, Entry, Evaluation, StageDeadline
from kla.evaluations.seal import ScoreStage
from kla.evaluations.services import answer_save, evaluation_submit
from kla.evaluations.stages import Stage
from kla.evaluations.workflow import Step
from kla.indicators.models import Question
from kla.regions.models import Region
from kla.results.models import PredicateRecord, StageScore
from kla.results.selectors.scores import visible_scores
from kla.results.services import publish_confirm, publish_request
from kla.verification.models import ProposalLetter, Verdict
from kla.verification.services import proposal, returns, steps, verdicts

pytestmark = pytest.mark.django_db


@pytest.fixture
def palembang() -> Evaluation:
    return Evaluation.objects.select_related("cycle__framework", "region").get(
        cycle__code="evaluasi-kla-demo", region_id="16.71"
    )


def submitted(evaluation: Evaluation, user_of, strength: float = 0.8) -> Evaluation:  # type: ignore[no-untyped-def]
    fill_answers(evaluation, seed=7, strength=strength, by=user_of("secretariat"))
    return evaluation_submit(
        evaluation=evaluation, by=user_of("secretariat"), acknowledge_missing=True, confirm_below_gate=True
    )


def refused(fn, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises((ValidationError, PermissionDenied)) as caught:
        fn(*args, **kwargs)
    exc = caught.value
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def accept_all(evaluation: Evaluation, user: User) -> None:
    verdicts.entries_accept(evaluation=evaluation, entries=list(evaluation.entries.all()), comment="Sesuai", by=user)


def test_full_cycle_with_return_field_verification_seal_and_publication(
    palembang, user_of, django_capture_on_commit_callbacks, mailoutbox
) -> None:  # type: ignore[no-untyped-def]
    province, verifier, field, admin = (
        user_of(p) for p in ("province", "ministry_verifier", "field_verifier", "ministry_admin")
    )
    evaluation = submitted(palembang, user_of)
    assert evaluation.em_score is not None and evaluation.em_score > 500

    # the kab/kota cannot start the province's review; the province can, once
    assert "Verifikator Provinsi" in refused(
        steps.advance, evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=user_of("secretariat")
    )
    steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=province)
    assert "sedang pada tahap" in refused(
        steps.advance, evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=province
    )

    entry = evaluation.entries.select_related("indicator").get(indicator__number=4)
    question = Question.objects.filter(indicator=entry.indicator).order_by("position").first()
    assert question is not None
    # bad verdicts: correction without reason, points above the maximum
    assert "Alasan wajib" in refused(
        verdicts.verdict_record, entry=entry, question=question, decision="corrected", points="1", by=province
    )
    too_many = question.max_points + 1
    assert "melebihi nilai maksimum" in refused(
        verdicts.verdict_record,
        entry=entry,
        question=question,
        decision="corrected",
        points=str(too_many),
        reason="x",
        by=province,
    )
    verdicts.verdict_record(
        entry=entry, question=question, decision="corrected", points="0", reason="Bukti tidak terbaca", by=province
    )

    # return just this entry; a return without a reason is refused and changes nothing
    deadline = timezone.now() + dt.timedelta(days=2)
    assert "Alasan pengembalian wajib" in refused(
        returns.entries_return, evaluation=evaluation, entries=[entry], reason=" ", deadline=deadline, by=province
    )
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        returns.entries_return(
            evaluation=evaluation,
            entries=[entry],
            reason="Unggah ulang akta yang terbaca",
            deadline=deadline,
            by=province,
        )
    (mail,) = [m for m in mailoutbox if m.to == ["gt-palembang@demo.kla.invalid"]]  # the operators are told too
    assert mail.to == ["gt-palembang@demo.kla.invalid"] and "Unggah ulang akta yang terbaca" in mail.body
    assert str(evaluation.em_score) not in mail.body  # notifications never carry scores
    entry.refresh_from_db()
    assert (
        entry.status == Entry.Status.RETURNED and evaluation.entries.filter(status=Entry.Status.RETURNED).count() == 1
    )

    # the province cannot propose while an entry is out; the kab/kota fixes and resubmits it
    accept_all(evaluation, province)  # accepts everything except the returned entry
    assert "Verifikasi belum selesai" in refused(steps.advance, evaluation=evaluation, step=Step.PROPOSE, by=province)
    answer_save(
        entry=entry,
        question=question,
        raw_value={"number": "90"}
        if question.answer_type == "number"
        else Answer.objects.get(entry=entry, question=question).value,
        expected_version=None,
        by=user_of("opd"),
    )
    returns.entry_resubmit(entry=entry, by=user_of("secretariat"))
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.SUBMITTED
    accept_all(evaluation, province)

    with django_capture_on_commit_callbacks(execute=True):
        letter = proposal.propose(
            cycle=evaluation.cycle,
            province=Region.objects.get(code="16"),
            evaluations=[evaluation],
            number="400/123/DPPPA/2026",
            by=province,
        )
    letter.refresh_from_db()
    assert letter.status == ProposalLetter.Status.READY and letter.file.open("rb").read(5) == b"%PDF-"
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.PROPOSED
    province_va = StageScore.objects.get(evaluation=evaluation, stage=ScoreStage.PROVINCE_VA)
    corrected = province_va.breakdown["indicators"][entry.indicator.code]["questions"][question.code]
    assert (
        corrected["decision"] == "corrected"
        and Decimal(corrected["points"]) == 0
        and corrected["reason"] == "Bukti tidak terbaca"
    )

    # the ministry: its own administrative verification, then field verification by the cycle's rule
    steps.advance(evaluation=evaluation, step=Step.START_MINISTRY_REVIEW, by=verifier)
    accept_all(evaluation, verifier)
    evaluation = steps.advance(evaluation=evaluation, step=Step.SKIP_FIELD, by=verifier)
    ministry_va = StageScore.objects.get(evaluation=evaluation, stage=ScoreStage.MINISTRY_VA)
    assert ministry_va.total == province_va.total  # the province's correction carries over as the ministry's base
    assert ministry_va.band_code != "pratama"  # Palembang was Pratama in 2021-2023: a level change ...
    assert evaluation.status == Evaluation.Status.FIELD_VERIFICATION  # ... so it goes to field verification

    lowered = evaluation.entries.select_related("indicator").get(indicator__number=1)
    assert "melebihi" in refused(verdicts.field_points_record, entry=lowered, points="1000", reason="x", by=field)
    assert "Alasan wajib" in refused(verdicts.field_points_record, entry=lowered, points="1", reason="", by=field)
    verdicts.field_points_record(entry=lowered, points="10", reason="Perda belum diundangkan", by=field)
    evaluation = steps.advance(evaluation=evaluation, step=Step.FINISH_FIELD, by=field)
    vl = StageScore.objects.get(evaluation=evaluation, stage=ScoreStage.VL)
    before = Decimal(ministry_va.breakdown["indicators"][lowered.indicator.code]["points"])
    assert vl.total == ministry_va.total - before + 10

    assert "Administrator" in refused(steps.advance, evaluation=evaluation, step=Step.DETERMINE, by=verifier)
    evaluation = steps.advance(evaluation=evaluation, step=Step.DETERMINE, by=admin)
    final = StageScore.objects.get(evaluation=evaluation, stage=ScoreStage.FINAL)
    assert final.total == vl.total and final.band_code

    # sealed: the kab/kota sees its EM only, the province its own VA, the ministry everything
    (region_view,) = visible_scores(user_of("secretariat"), [evaluation])
    (province_view,) = visible_scores(province, [evaluation])
    (ministry_view,) = visible_scores(verifier, [evaluation])
    assert set(region_view.scores) == {ScoreStage.EM} and region_view.predicate is None
    assert set(province_view.scores) == {ScoreStage.EM, ScoreStage.PROVINCE_VA} and province_view.predicate is None
    assert set(ministry_view.scores) == set(ScoreStage) and ministry_view.predicate is not None

    # publication: one administrator asks, the same one cannot confirm, a second one does
    publish_request(cycle=evaluation.cycle, release_at=timezone.now() - dt.timedelta(minutes=1), by=admin)
    assert "administrator lain" in refused(publish_confirm, cycle=evaluation.cycle, by=admin)
    assert not PredicateRecord.objects.filter(region_id="16.71", source="cycle").exists()
    second = User.objects.get(username="kemen-admin2")
    assert publish_confirm(cycle=evaluation.cycle, by=second) == 1
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.PUBLISHED
    (region_view,) = visible_scores(user_of("secretariat"), [evaluation])
    assert region_view.scores[ScoreStage.FINAL] == final.total and region_view.predicate is not None
    record = PredicateRecord.objects.get(region_id="16.71", year=evaluation.cycle.year)
    assert record.band_code == final.band_code and record.score == final.total


def test_below_the_gate_does_not_go_to_verification(palembang, user_of) -> None:  # type: ignore[no-untyped-def]
    evaluation = submitted(palembang, user_of, strength=0.0)
    assert evaluation.em_score is not None and evaluation.em_score <= 500
    assert "harus lebih dari 500" in refused(
        steps.advance, evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=user_of("province")
    )


def test_steps_after_their_deadline_are_refused(palembang, user_of) -> None:  # type: ignore[no-untyped-def]
    evaluation = submitted(palembang, user_of)
    late = timezone.now() + dt.timedelta(days=3650)
    assert "Batas waktu" in refused(
        steps.advance, evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=user_of("province"), now=late
    )


def test_steps_before_their_stage_opens_are_refused(palembang, user_of) -> None:  # type: ignore[no-untyped-def]
    evaluation = submitted(palembang, user_of)
    opening = StageDeadline.objects.get(cycle=evaluation.cycle, stage=Stage.PROVINCE_REVIEW).starts_at
    early = opening - dt.timedelta(minutes=1)
    assert "baru dibuka" in refused(
        steps.advance, evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=user_of("province"), now=early
    )
    steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=user_of("province"), now=opening)


def test_another_province_cannot_act_and_a_verifier_never_reviews_their_own_region(palembang, user_of) -> None:  # type: ignore[no-untyped-def]
    evaluation = submitted(palembang, user_of)
    outsider = User.objects.create_user(username="prov-aceh", password="x")
    membership_grant(
        user=outsider, role=Role.PROVINCE_REVIEWER, region=Region.objects.get(code="11"), agency=None, by=None
    )
    assert refused(steps.advance, evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=outsider)
    steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=user_of("province"))
    entry = evaluation.entries.first()
    assert entry is not None
    with pytest.raises(Exception) as caught:  # outside the reviewer's scope: not found
        verdicts.entries_accept(evaluation=evaluation, entries=[entry], by=outsider)
    assert type(caught.value).__name__ in {"Http404", "PermissionDenied"}

    # a province reviewer who also sits in Palembang's task force cannot review Palembang
    insider = user_of("province")
    membership_grant(user=insider, role=Role.SECRETARIAT, region=Region.objects.get(code="16.71"), agency=None, by=None)
    insider = User.objects.get(pk=insider.pk)
    assert "anggota Gugus Tugas" in refused(verdicts.entries_accept, evaluation=evaluation, entries=[entry], by=insider)
    assert not Verdict.objects.filter(entry=entry).exists()
