"""The national data set on two provinces (Sumatera Selatan: 17 kab/kota, Gorontalo: 6): counts, idempotency,
determinism, scores consistent with answers and verdicts, the seal, and the stored files.

The data set is seeded once for the module inside a transaction that is rolled back at the end; every test runs in a
savepoint inside it, so nothing leaks into the other test modules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.test import override_settings
from django.utils import timezone

from bench.national_data import (
    AGENCY_KINDS,
    CURRENT_STATES,
    EVIDENCE_PER_INDICATOR,
    FIELD_VERIFIERS,
    MINISTRY_ADMINS,
    MINISTRY_VERIFIERS,
    NATIONAL_PASSWORD,
    cycle_codes,
    operator_username,
    province_username,
    secretariat_username,
    seed_national,
    table_counts,
)
from bench.national_data.command import Command
from kla.accounts.models import Membership, TotpDevice, User
from kla.accounts.roles import PRIVILEGED_ROLES
from kla.evaluations.models import Answer, Cycle, Entry, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.evaluations.selectors import evaluation_progress
from kla.evaluations.workflow import State, Step
from kla.evidence.models import Evidence
from kla.fieldvisits.models import FieldPhoto, FieldPlan
from kla.indicators.models import Indicator, Question
from kla.indicators.scoring import predicate_for
from kla.indicators.selectors import band_rules
from kla.regions.models import Region
from kla.results.models import PredicateRecord, StageScore
from kla.results.selectors.scores import visible_scores
from kla.verification.models import ProposalLetter, Verdict

pytestmark = pytest.mark.django_db
PROVINCES = ["16", "75"]
SUBMITTED_OR_LATER = [s.value for s in State if s != State.DRAFT]


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        report = seed_national(seed=2026, provinces=PROVINCES)
        yield report
        transaction.set_rollback(True)


def _cycles() -> tuple[Cycle, Cycle]:
    previous, current = cycle_codes(timezone.localdate().year)
    return Cycle.objects.get(code=previous), Cycle.objects.get(code=current)


def _kabkota() -> list[str]:
    return list(Region.objects.filter(parent_id__in=PROVINCES).values_list("code", flat=True))


def _evaluations():  # type: ignore[no-untyped-def]
    return Evaluation.objects.filter(cycle__code__startswith="nasional-", region__parent_id__in=PROVINCES)


def test_every_kabkota_has_two_evaluations_with_every_indicator(national) -> None:
    regions = _kabkota()
    assert len(regions) == 23 and national.kabkota == 23
    previous, current = _cycles()
    per_region = Counter(_evaluations().values_list("region_id", flat=True))
    assert per_region == dict.fromkeys(regions, 2)
    indicators = Indicator.objects.filter(framework=current.framework).count()
    assert indicators == 24
    entries = Counter(Entry.objects.filter(evaluation__in=_evaluations()).values_list("evaluation_id", flat=True))
    assert set(entries.values()) == {24} and len(entries) == 46
    assert set(Evaluation.objects.filter(cycle=previous).values_list("status", flat=True)) == {State.PUBLISHED}


def test_current_cycle_holds_every_workflow_state(national) -> None:
    _previous, current = _cycles()
    states = Counter(Evaluation.objects.filter(cycle=current).values_list("status", flat=True))
    assert set(states) == {s.value for s in CURRENT_STATES}
    assert set(states) == {s.value for s in State if s != State.PUBLISHED}
    # One entry of every evaluation under province review is out with the kab/kota.
    in_review = Evaluation.objects.filter(cycle=current, status=State.PROVINCE_REVIEW)
    for evaluation in in_review:
        returned = evaluation.entries.filter(status=Entry.Status.RETURNED)
        assert returned.count() == 1
        assert Verdict.objects.filter(entry__in=returned, decision=Verdict.Decision.RETURNED).count() == 1
        assert Verdict.objects.filter(entry__evaluation=evaluation, stage=Verdict.Stage.PROVINCE).count() > 1
    # Field verification has its plan and sites; later stages have visited them and taken photos.
    field = Evaluation.objects.filter(cycle=current, status=State.FIELD_VERIFICATION)
    assert FieldPlan.objects.filter(evaluation__in=field).count() == field.count()
    assert all(p.sites.count() == 2 and p.team.count() == 2 for p in FieldPlan.objects.filter(evaluation__in=field))
    assert FieldPhoto.objects.filter(site__plan__evaluation__cycle=current).exists()


def test_submitted_evaluations_answer_every_question_and_carry_evidence(national) -> None:
    questions = Question.objects.filter(indicator__framework__code=_cycles()[1].framework.code).count()
    assert questions == 104
    submitted = _evaluations().filter(status__in=SUBMITTED_OR_LATER)
    assert submitted.count() >= 23 + 10
    answered = dict(
        submitted.annotate(n=Count("entries__answers", filter=Q(entries__answers__answered=True))).values_list(
            "pk", "n"
        )
    )
    assert set(answered.values()) == {questions}
    assert not Answer.objects.filter(entry__evaluation__in=submitted).exclude(version=1).exists()
    per_entry = Counter(
        Evidence.objects.filter(entry__evaluation__in=submitted, status=Evidence.Status.ACTIVE).values_list(
            "entry_id", flat=True
        )
    )
    assert len(per_entry) == submitted.count() * 24
    assert min(per_entry.values()) >= EVIDENCE_PER_INDICATOR
    # Drafts are partly answered and carry last cycle's evidence forward, waiting for confirmation.
    drafts = _evaluations().filter(status=State.DRAFT)
    assert drafts.exists()
    for draft in drafts:
        assert 0 < Answer.objects.filter(entry__evaluation=draft).count() < questions
        carried = Evidence.objects.filter(entry__evaluation=draft)
        assert carried.exists() and not carried.filter(carried_from__isnull=True).exists()
        assert carried.filter(confirmation=Evidence.Confirmation.PENDING).exists()


def test_users_for_every_persona_share_one_password_hash(national) -> None:
    regions = _kabkota()
    users = User.objects.filter(username__startswith="nas-")
    assert users.count() == len(regions) * (1 + len(AGENCY_KINDS)) + len(PROVINCES) + (
        MINISTRY_VERIFIERS + FIELD_VERIFIERS + MINISTRY_ADMINS
    )
    assert users.values("password").distinct().count() == 1
    assert User.objects.get(username=secretariat_username("16.71")).check_password(NATIONAL_PASSWORD)
    roles = Counter(Membership.objects.active().filter(user__in=users).values_list("role", flat=True))
    assert roles == {
        "secretariat": len(regions),
        "opd_operator": len(regions) * len(AGENCY_KINDS),
        "province_reviewer": len(PROVINCES),
        "ministry_verifier": MINISTRY_VERIFIERS,
        "field_verifier": FIELD_VERIFIERS,
        "ministry_admin": MINISTRY_ADMINS,
    }
    operator = Membership.objects.get(user__username=operator_username("75.01", "DINKES"))
    assert operator.agency is not None and operator.agency.kind == "DINKES" and operator.agency.region_id == "75.01"
    assert Membership.objects.get(user__username=province_username("75")).region_id == "75"
    privileged = users.filter(memberships__role__in=[r.value for r in PRIVILEGED_ROLES]).distinct()
    assert privileged.count() == len(PROVINCES) + MINISTRY_VERIFIERS + FIELD_VERIFIERS + MINISTRY_ADMINS
    assert TotpDevice.objects.filter(user__in=privileged, confirmed_at__isnull=False).count() == privileged.count()


def test_seeding_again_adds_nothing(national) -> None:
    before = table_counts()
    report = seed_national(seed=2026, provinces=PROVINCES)
    assert report.total_created == 0
    assert table_counts() == before


def _scores(provinces: list[str], seed: int) -> dict[tuple[str, str], tuple[Decimal | None, dict[str, Decimal]]]:
    """Run the seed for `provinces` in a rolled-back transaction and return its scores by (cycle, region)."""
    with transaction.atomic():
        seed_national(seed=seed, provinces=provinces)
        out = {}
        for e in Evaluation.objects.filter(cycle__code__startswith="nasional-", region__parent_id__in=provinces):
            stages = dict(e.stage_scores.values_list("stage", "total"))
            out[(e.cycle.code, e.region_id)] = (e.em_score, stages)
        transaction.set_rollback(True)
    return out


def test_same_seed_gives_the_same_scores(national) -> None:
    first = _scores(["65"], 2026)  # Kalimantan Utara: 5 kab/kota, not part of the module's data
    assert len(first) == 10 and any(em is not None for em, _stages in first.values())
    assert _scores(["65"], 2026) == first
    assert _scores(["65"], 7) != first


def test_scores_are_consistent_with_answers_and_verdicts(national) -> None:
    from kla.verification.services.scores import admin_breakdown, field_breakdown

    bands = band_rules(_cycles()[1].framework_id)
    for evaluation in _evaluations().filter(status__in=SUBMITTED_OR_LATER).select_related("cycle__framework"):
        points = Answer.objects.filter(entry__evaluation=evaluation).aggregate(t=Sum("points"))["t"]
        assert evaluation.em_score == Decimal(points).quantize(Decimal("0.01"))
        live = evaluation_progress(evaluation).snapshot()
        assert Decimal(live["total"]) == Decimal(evaluation.em_snapshot["total"])
        assert {k: (Decimal(v["points"]), v["answered"], v["questions"]) for k, v in live["indicators"].items()} == {
            k: (Decimal(v["points"]), v["answered"], v["questions"])
            for k, v in evaluation.em_snapshot["indicators"].items()
        }
        scores = {s.stage: s for s in evaluation.stage_scores.all()}
        for score in scores.values():
            parts = score.breakdown["indicators"]
            assert len(parts) == 24
            assert score.total == sum(Decimal(p["points"]) for p in parts.values())
            band = predicate_for(score.total, bands)
            assert score.band_code == (band.code if band else "")
        # Recomputed from the stored verdicts by the verification services: the same totals and explanations.
        if ScoreStage.PROVINCE_VA in scores:
            total, breakdown = admin_breakdown(evaluation, Verdict.Stage.PROVINCE)
            assert (total, breakdown) == (
                scores[ScoreStage.PROVINCE_VA].total,
                scores[ScoreStage.PROVINCE_VA].breakdown,
            )
        if ScoreStage.MINISTRY_VA in scores:
            total, breakdown = admin_breakdown(evaluation, Verdict.Stage.MINISTRY)
            assert (total, breakdown) == (
                scores[ScoreStage.MINISTRY_VA].total,
                scores[ScoreStage.MINISTRY_VA].breakdown,
            )
        if ScoreStage.VL in scores:
            total, breakdown = field_breakdown(evaluation)
            assert (total, breakdown) == (scores[ScoreStage.VL].total, scores[ScoreStage.VL].breakdown)
        if ScoreStage.FINAL in scores:
            assert scores[ScoreStage.FINAL].total == scores[ScoreStage.VL].total
            assert scores[ScoreStage.FINAL].breakdown["source"] == "vl"
        expected = {
            State.SUBMITTED: set(),
            State.BELOW_GATE: set(),
            State.PROVINCE_REVIEW: set(),
            State.PROPOSED: {"province_va"},
            State.MINISTRY_REVIEW: {"province_va"},
            State.FIELD_VERIFICATION: {"province_va", "ministry_va"},
            State.FINAL_VERIFICATION: {"province_va", "ministry_va", "vl"},
            State.DETERMINED: {"province_va", "ministry_va", "vl", "final"},
            State.PUBLISHED: {"province_va", "ministry_va", "vl", "final"},
        }[evaluation.state]
        assert set(scores) == expected
    previous, _current = _cycles()
    records = PredicateRecord.objects.filter(cycle=previous, region__parent_id__in=PROVINCES)
    assert records.count() == 23
    finals = dict(
        StageScore.objects.filter(evaluation__cycle=previous, stage="final").values_list(
            "evaluation__region_id", "total"
        )
    )
    assert all(r.score == finals[r.region_id] and r.band_code for r in records)
    assert previous.published_by_id != previous.publish_requested_by_id
    assert previous.is_published()
    assert ProposalLetter.objects.filter(cycle=previous, province_id__in=PROVINCES).count() == 2


def test_published_results_are_visible_to_the_region_and_determined_ones_sealed(national) -> None:
    previous, current = _cycles()
    determined = Evaluation.objects.filter(cycle=current, status=State.DETERMINED, region__parent_id__in=PROVINCES)
    evaluation = determined.select_related("cycle__framework").first()
    assert evaluation is not None
    last_year = Evaluation.objects.select_related("cycle__framework").get(cycle=previous, region=evaluation.region)
    user = User.objects.get(username=secretariat_username(evaluation.region_id))
    old, new = visible_scores(user, [last_year, evaluation])
    assert old.published and not old.sealed
    assert set(old.scores) == set(ScoreStage) and old.predicate is not None
    assert not new.published and new.sealed
    assert set(new.scores) == {ScoreStage.EM} and new.predicate is None
    assert StageScore.objects.filter(evaluation=evaluation, stage="final").exists()  # stored, only sealed


def test_stored_files_exist_and_match_their_hash(national) -> None:
    assert national.files and national.file_bytes > 0
    rows = set(
        Evidence.objects.filter(entry__evaluation__in=_evaluations()).values_list("file", "sha256", "size", "kind")
    )
    rows |= {(f, s, n, "image") for f, s, n in FieldPhoto.objects.values_list("file", "sha256", "size")}
    assert {kind for *_rest, kind in rows} == {"pdf", "image", "data"}
    assert len({name for name, *_rest in rows}) <= 9
    for name, sha256, size, _kind in rows:
        assert name.startswith(("evidence/national/", "fieldvisits/national/"))
        with default_storage.open(name, "rb") as fh:
            content = fh.read()
        assert len(content) == size and hashlib.sha256(content).hexdigest() == sha256


def test_seeded_states_accept_the_next_workflow_steps(national) -> None:
    """The services take over where the seed stopped: resubmit, accept, propose; accept, send to the field."""
    from kla.verification.services.returns import entry_resubmit
    from kla.verification.services.steps import advance
    from kla.verification.services.verdicts import entries_accept

    _previous, current = _cycles()
    evaluation = Evaluation.objects.filter(cycle=current, status=State.PROVINCE_REVIEW).first()
    assert evaluation is not None
    secretariat = User.objects.get(username=secretariat_username(evaluation.region_id))
    reviewer = User.objects.get(username=province_username(evaluation.region.parent_id))
    entry_resubmit(entry=evaluation.entries.get(status=Entry.Status.RETURNED), by=secretariat)
    entries_accept(evaluation=evaluation, entries=list(evaluation.entries.all()), by=reviewer)
    advance(evaluation=evaluation, step=Step.PROPOSE, by=reviewer)
    evaluation.refresh_from_db()
    assert evaluation.status == State.PROPOSED
    in_ministry = Evaluation.objects.filter(cycle=current, status=State.MINISTRY_REVIEW).first()
    assert in_ministry is not None
    verifier = User.objects.get(username="nas-kemen-verif-1")
    entries_accept(evaluation=in_ministry, entries=list(in_ministry.entries.all()), by=verifier)
    advance(evaluation=in_ministry, step=Step.START_FIELD, by=verifier)
    in_ministry.refresh_from_db()
    assert in_ministry.status == State.FIELD_VERIFICATION
    assert StageScore.objects.filter(evaluation=in_ministry, stage="ministry_va").exists()


def test_command_reports_and_refuses_production(national, settings) -> None:
    settings.DEBUG = True
    out = io.StringIO()
    call_command(Command(), "--provinces", "16,75", stdout=out)
    text = out.getvalue()
    assert "sudah ada" in text and NATIONAL_PASSWORD in text
    assert "evidence.Evidence" in text  # the table of rows per model
    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command(Command(), "--provinces", "99", stdout=io.StringIO())
    settings.DEBUG = False
    with pytest.raises(CommandError, match="hanya untuk pengembangan"):
        call_command(Command(), "--provinces", "75")


def test_the_product_has_no_national_seed_command(national) -> None:
    """A benchmark tool (python -m bench.seed_national), not one of manage.py's commands."""
    with pytest.raises(CommandError, match="Unknown command"):
        call_command("seed_national")


def test_every_kabkota_has_its_task_force(national) -> None:
    from bench.national_data.constants import MEETINGS_PER_YEAR, PROVINCE_TASKFORCE_KINDS, TASKFORCE_KINDS
    from kla.agencies.models import Agency
    from kla.taskforce.models import Decree, Document, FollowUp, Meeting, Member

    regions, today, now = _kabkota(), timezone.localdate(), timezone.now()
    kinds = Counter(Agency.objects.filter(region_id__in=regions).values_list("region_id", "kind"))
    assert {(r, k) for r in regions for k in (*AGENCY_KINDS, *TASKFORCE_KINDS)} <= set(kinds)
    assert Agency.objects.filter(region_id__in=PROVINCES, kind__in=PROVINCE_TASKFORCE_KINDS).count() == 2
    decrees = list(Decree.objects.filter(region_id__in=regions).select_related("document", "replaced_by"))
    in_force = {d.region_id: d for d in decrees if d.in_force}
    assert sorted(in_force) == sorted(regions) and len(decrees) == 2 * len(regions)
    assert all(d.date <= today < d.valid_until for d in in_force.values())  # type: ignore[operator]
    for old in (d for d in decrees if not d.in_force):  # the decree each one replaced, ended the day before
        assert old.replaced_by == in_force[old.region_id]
        assert old.valid_until == in_force[old.region_id].date - dt.timedelta(days=1)
    assert {d.document.kind for d in decrees if d.document} == {Document.Kind.DECREE}
    assert len({d.document_id for d in decrees}) == len(decrees)
    members = Counter(Member.objects.filter(region_id__in=regions).values_list("region_id", flat=True))
    assert set(members) == set(regions) and all(15 <= n <= 25 for n in members.values())
    chairs = Member.objects.filter(region_id__in=regions, role="ketua")
    assert chairs.filter(end__isnull=True).count() == len(regions) == chairs.filter(end__isnull=False).count()
    assert Member.objects.filter(region_id__in=regions, role="sekretaris", agency__kind="DPPPA").count() == 23
    # the province's Kantor Wilayah (a provincial body) serves on the task force of each kota, Palembang's too
    kanwil = Member.objects.filter(region_id__in=regions, agency__kind="KEMENKUMHAM")
    assert set(kanwil.values_list("agency__region_id", flat=True)) == set(PROVINCES)
    assert kanwil.filter(region_id="16.71").exists()
    held = Meeting.objects.filter(region_id__in=regions, status=Meeting.Status.HELD)
    per_region = Counter(held.values_list("region_id", flat=True))
    assert all(MEETINGS_PER_YEAR[0] <= n <= MEETINGS_PER_YEAR[1] for n in per_region.values())
    assert len(per_region) == len(regions) and all(m.starts_at < now for m in held)
    planned = Meeting.objects.filter(region_id__in=regions, status=Meeting.Status.PLANNED)
    assert planned.count() == len(regions) and all(m.starts_at > now for m in planned)
    assert not FollowUp.objects.filter(meeting__in=planned).exists()


def test_meetings_have_attendance_minutes_and_follow_ups(national) -> None:
    from kla.taskforce.models import Document, FollowUp, Meeting

    held = Meeting.objects.filter(region__parent_id__in=PROVINCES, status=Meeting.Status.HELD).prefetch_related(
        "invited", "attendance", "follow_ups", "documents"
    )
    today = timezone.localdate()
    for meeting in held:
        invited = {a.pk for a in meeting.invited.all()}
        attended = {a.agency_id for a in meeting.attendance.all()}
        assert attended and attended <= invited
        assert 2 <= len(meeting.follow_ups.all()) <= 4
        assert {f.owner_id for f in meeting.follow_ups.all()} <= attended
        assert [d.kind for d in meeting.documents.all()] == [Document.Kind.MINUTES]
    follow_ups = list(FollowUp.objects.filter(region__parent_id__in=PROVINCES))
    overdue = [f for f in follow_ups if f.overdue_on(today)]
    done = [f for f in follow_ups if f.is_done]
    assert overdue and done and len(overdue) < len(follow_ups) / 2
    assert all(f.completed_at and f.completion_note and f.completed_by_id for f in done)
    assert all(timezone.localdate(f.completed_at) < today for f in done if f.completed_at)
    evidence = Document.objects.filter(follow_up__in=done)
    assert evidence.exists() and not Document.objects.filter(follow_up__status="open").exists()


def test_task_force_files_are_the_stored_samples(national) -> None:
    from kla.taskforce.models import Document

    rows = set(Document.objects.filter(region__parent_id__in=PROVINCES).values_list("file", "sha256", "size", "mime"))
    assert len(rows) == 3  # the decree, the minutes and the report: one stored file each, shared by every row
    for name, sha256, size, mime in rows:
        assert name.startswith("evidence/national/") and mime == "application/pdf"
        with default_storage.open(name, "rb") as fh:
            content = fh.read()
        assert len(content) == size and hashlib.sha256(content).hexdigest() == sha256


def test_a_task_force_plan_depends_only_on_its_region_and_seed(national) -> None:
    from bench.national_data.constants import seeded_rng
    from bench.national_data.taskforce_plan import make_task_force

    region = Region.objects.get(code="16.71")
    kinds = ["DPPPA", "BAPPEDA", "DINKES", "DISDIK", "DISDUKCAPIL", "DINSOS", "KEJAKSAAN", "PN", "PA", "KEMENKUMHAM"]
    now = timezone.now()

    def plan(seed: int):  # type: ignore[no-untyped-def]
        return make_task_force(region, kinds, seeded_rng(seed, "taskforce", region.code), seed=seed, now=now)

    assert plan(2026) == plan(2026) and plan(2026) != plan(7)


def test_an_evaluation_closed_below_the_gate_stays_below_it(national) -> None:
    _previous, current = _cycles()
    closed = Evaluation.objects.filter(cycle=current, status=State.BELOW_GATE).select_related("cycle__framework")
    assert closed.exists()
    for evaluation in closed:
        assert evaluation.em_score is not None and evaluation.em_score <= evaluation.cycle.framework.gate_min_exclusive
        assert not Verdict.objects.filter(entry__evaluation=evaluation).exists()
