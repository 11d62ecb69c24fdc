"""Reads of verification: queues, review progress, what a stage's score is made of, an entry's review screen, the
proposal letter's wording and who hears of a return (fixed query counts). An entry's history: `history`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.models import Membership, User
from kla.accounts.roles import NATIONAL_ROLES, Action, Role
from kla.evaluations.models import Answer, Entry, Evaluation
from kla.evaluations.seal import ScoreStage, Viewer
from kla.evaluations.selectors import EVALUATION_ROW_FIELDS
from kla.evaluations.workflow import State
from kla.evidence.models import Evidence
from kla.indicators.models import Question
from kla.indicators.scoring import BandRule
from kla.regions.models import Region
from kla.results import provila
from kla.results.selectors.scores import VisibleScores, viewer_for
from kla.verification import province_reads, review_counts, tally
from kla.verification.letter_text import DEFAULT_BODY
from kla.verification.models import ProposalLetter, Verdict
from kla.verification.review_stages import REVIEW_STAGE

REVIEWER_ROLES = NATIONAL_ROLES | {Role.PROVINCE_REVIEWER}
# The states each reviewer role works on (the queue shows them first).
QUEUE_STATES: dict[Role, list[State]] = {
    Role.PROVINCE_REVIEWER: [State.SUBMITTED, State.PROVINCE_REVIEW],
    Role.MINISTRY_VERIFIER: [State.PROPOSED, State.MINISTRY_REVIEW],
    Role.FIELD_VERIFIER: [State.FIELD_VERIFICATION],
    Role.MINISTRY_ADMIN: [State.FINAL_VERIFICATION, State.DETERMINED],
}


def is_reviewer_of(user: User, region_code: str) -> bool:
    return bool(access.roles_over(user, region_code) & REVIEWER_ROLES)


def reviewable(user: User) -> QuerySet[Evaluation]:
    """Evaluations past the self-assessment in the user's review scope (province subtree or nationwide)."""
    qs = (
        Evaluation.objects.exclude(status=Evaluation.Status.DRAFT)
        .select_related("cycle", "region")
        .only(*EVALUATION_ROW_FIELDS)
    )
    if not access.has_role(user, *REVIEWER_ROLES):
        return qs.none()
    scope = access.region_scope_q(user, Action.EVALUATION_VIEW)
    if not access.has_role(user, *NATIONAL_ROLES) and scope is not None:
        qs = qs.filter(scope)
    return qs.order_by("cycle_id", "region_id")


def my_states(user: User) -> list[State]:
    states: list[State] = []
    for membership in access.memberships(user):
        for state in QUEUE_STATES.get(Role(membership.role), []):
            if state not in states:
                states.append(state)
    return states


@dataclass
class ReviewProgress:
    questions: int = 0
    decided: int = 0
    corrected: int = 0
    returned_questions: int = 0
    returned_entries: int = 0

    @property
    def pending(self) -> int:
        return self.questions - self.decided

    @property
    def complete(self) -> bool:
        return self.questions > 0 and self.pending == 0 and not self.returned_questions and not self.returned_entries


def review_progress(evaluations: list[Evaluation]) -> dict[int, ReviewProgress]:
    """Per evaluation, how far the review of its current stage is (two compiled queries for the whole list, and one
    for the questions of a framework not read with the cycles; `review_counts`)."""
    result = {e.pk: ReviewProgress() for e in evaluations}
    known = {fw.pk: fw for e in evaluations if (fw := review_counts.framework_of(e.cycle)) is not None}
    per_framework = {pk: review_counts.question_count(fw) for pk, fw in known.items()}
    unknown = {e.cycle.framework_id for e in evaluations} - set(known)
    if unknown:
        per_framework.update(
            Question.objects.filter(indicator__framework_id__in=unknown)
            .values_list("indicator__framework_id")
            .annotate(n=Count("id"))
            .values_list("indicator__framework_id", "n")
        )
    open_stage = {e.pk: REVIEW_STAGE.get(e.state) for e in evaluations}
    for evaluation_id, stage, decision, n in review_counts.verdict_counts(
        [pk for pk, stage in open_stage.items() if stage is not None]
    ):
        if stage != open_stage[evaluation_id]:
            continue
        progress = result[evaluation_id]
        progress.decided += n
        if decision == Verdict.Decision.CORRECTED:
            progress.corrected += n
        elif decision == Verdict.Decision.RETURNED:
            progress.returned_questions += n
    for evaluation_id, n in review_counts.returned_counts([e.pk for e in evaluations]):
        result[evaluation_id].returned_entries = n
    for e in evaluations:
        result[e.pk].questions = per_framework.get(e.cycle.framework_id, 0)
    return result


@dataclass
class EntryReview:
    entry: Entry
    questions: int
    decided: int
    returned: int
    corrected: int


def entry_reviews(evaluation: Evaluation) -> list[EntryReview]:
    """Every entry of the evaluation with the review counts of the current stage (two queries)."""
    stage = REVIEW_STAGE.get(evaluation.state)
    entries = list(
        evaluation.entries.select_related("indicator__cluster")
        .annotate(n_questions=Count("indicator__questions", distinct=True))
        .order_by("indicator__position")
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if stage is not None:
        for row in (
            Verdict.objects.filter(entry__evaluation=evaluation, stage=stage, question__isnull=False)
            .values("entry_id", "decision")
            .annotate(n=Count("id"))
        ):
            counts[row["entry_id"]][row["decision"]] = row["n"]
    return [
        EntryReview(
            entry=e,
            questions=e.n_questions,
            decided=sum(counts[e.pk].values()),
            returned=counts[e.pk].get(Verdict.Decision.RETURNED, 0),
            corrected=counts[e.pk].get(Verdict.Decision.CORRECTED, 0),
        )
        for e in entries
    ]


@dataclass
class QuestionReview:
    question: Question
    answer: Answer | None
    files: list[Evidence]
    verdicts: dict[str, Verdict] = field(default_factory=dict)  # stage -> verdict

    def current(self, stage: str | None) -> Verdict | None:
        return self.verdicts.get(stage) if stage else None


def question_reviews(entry: Entry, question: Question | None = None) -> list[QuestionReview]:
    """The entry's questions with answer, evidence files and the verdicts of every stage (four queries), or only
    the given question of the entry (three: the question is already loaded)."""
    if question is None:
        questions = list(Question.objects.filter(indicator_id=entry.indicator_id).order_by("position"))
        only: dict[str, Question] = {}
    else:
        questions, only = [question], {"question": question}
    answers = {a.question_id: a for a in Answer.objects.filter(entry=entry, **only)}
    files: dict[int, list[Evidence]] = defaultdict(list)
    for ev in (
        Evidence.objects.filter(entry=entry, **only).exclude(status=Evidence.Status.REPLACED).order_by("uploaded_at")
    ):
        files[ev.question_id].append(ev)
    verdicts: dict[int, dict[str, Verdict]] = defaultdict(dict)
    for v in Verdict.objects.filter(entry=entry, question__isnull=False, **only).select_related("decided_by"):
        assert v.question_id is not None
        verdicts[v.question_id][v.stage] = v
    return [QuestionReview(q, answers.get(q.pk), files[q.pk], verdicts[q.pk]) for q in questions]


def visible_verdict_stages(user: User, evaluation: Evaluation) -> set[str]:
    """Whose verdicts a reviewer may read: the ministry all of them; before publication a province only its own
    (the ministry's and the field team's decisions carry sealed points)."""
    viewer = viewer_for(user, evaluation.region_id)
    if viewer == Viewer.MINISTRY or evaluation.cycle.is_published():
        return {s.value for s in Verdict.Stage}
    return {Verdict.Stage.PROVINCE.value} if viewer == Viewer.PROVINCE else set()


# --- what a stage's score is made of --------------------------------------------------------------------------------


@dataclass
class StageLines:
    lines: list[tally.Line]
    questions: dict[str, Question]
    answers: dict[str, Answer]
    entries: dict[str, Entry]  # by indicator code


def stage_lines(evaluation: Evaluation, stage: Verdict.Stage) -> StageLines:
    """Every question of the evaluation with its base points for `stage` (a fixed number of queries): the answer's
    points, or for a ministry or field stage the province's corrected points where it corrected them."""
    entries = {
        e.indicator.code: e for e in evaluation.entries.select_related("indicator").order_by("indicator__position")
    }
    questions = {
        q.code: q
        for q in Question.objects.filter(indicator__framework_id=evaluation.cycle.framework_id)
        .select_related("indicator")
        .order_by("indicator__position", "position")
    }
    answers = {
        a.question.code: a for a in Answer.objects.filter(entry__evaluation=evaluation).select_related("question")
    }
    corrected: dict[str, Decimal] = {}
    if stage != Verdict.Stage.PROVINCE:
        corrected = {
            v.question.code: v.points
            for v in Verdict.objects.filter(
                entry__evaluation=evaluation, stage=Verdict.Stage.PROVINCE, decision=Verdict.Decision.CORRECTED
            ).select_related("question")
            if v.question is not None and v.points is not None
        }
    lines = [
        tally.Line(
            indicator=q.indicator.code,
            question=code,
            max_points=q.max_points,
            base=corrected.get(code, answers[code].points if code in answers else Decimal(0)),
        )
        for code, q in questions.items()
    ]
    return StageLines(lines=lines, questions=questions, answers=answers, entries=entries)


def stage_verdicts(evaluation: Evaluation, stage: Verdict.Stage) -> dict[str, Verdict]:
    """The verdicts of one administrative stage, by question code (one query)."""
    return {
        v.question.code: v
        for v in Verdict.objects.filter(
            entry__evaluation=evaluation, stage=stage, question__isnull=False
        ).select_related("question")
        if v.question is not None
    }


def review_tally(
    evaluation: Evaluation, stage: Verdict.Stage
) -> tuple[tally.StageTally, StageLines, dict[str, Verdict]]:
    """The points of an administrative stage as its verdicts stand now, with the lines and verdicts they came from."""
    lines = stage_lines(evaluation, stage)
    verdicts = stage_verdicts(evaluation, stage)
    decisions = {c: tally.Decision(tally.Kind(v.decision), v.points, v.reason) for c, v in verdicts.items()}
    return tally.tally(lines.lines, decisions), lines, verdicts


# --- the proposal letter and returns --------------------------------------------------------------------------------


def letters_for(cycle_id: int, province_code: str) -> list[ProposalLetter]:
    return province_reads.letters(cycle_id, province_code)


def letter_defaults(province: Region) -> dict[str, str]:
    """The province's saved letter wording, or the default text."""
    saved = province_reads.letter_template(province.code)
    if saved is not None:
        return {"body": saved.body, "city": saved.city, "signer": saved.signer, "title": saved.title}
    return {
        "body": DEFAULT_BODY,
        "city": "",
        "signer": "",
        "title": gettext("Kepala Dinas Pemberdayaan Perempuan dan Perlindungan Anak Provinsi %(title)s")
        % {"title": province.name.title()},
    }


def secretariat_emails(region_code: str) -> dict[str, list[str]]:
    """The task force secretariat of a kab/kota (who is told about returned entries): their addresses by the
    language each reads (`User.language`)."""
    by_language: dict[str, list[str]] = {}
    rows = (
        Membership.objects.active()
        .filter(role=Role.SECRETARIAT, region_id=region_code, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__language", "user__email")
        .distinct()
        .order_by("user__email")
    )
    for language, email in rows:
        by_language.setdefault(language, []).append(email)
    return by_language


def provila_estimate(
    rule: provila.ProvinceRule | None,
    visible: Sequence[VisibleScores],
    bands: list[BandRule],
    kabkota: Sequence[tuple[str, str]] = (),
) -> tuple[provila.ProvilaStatus | None, str]:
    """The province's PROVILA standing from what the viewer sees of its kab/kota, and its basis: "perkiraan" when
    a kab/kota without a final score is counted by its province VA (or EM) score before publication. Every kab/kota
    of the province (`kabkota`) counts: one without an evaluation, or stopped at the EM gate, is a blocker."""
    if rule is None:
        return None, ""
    basis = ""
    standings = []
    for v in visible:
        if v.evaluation.status == Evaluation.Status.BELOW_GATE:
            em = v.scores.get(ScoreStage.EM)
            region = v.evaluation.region
            standings.append(provila.KabKotaStanding(region.code, region.name, em, provila.Standing.BELOW_GATE))
            continue
        score = v.scores.get(ScoreStage.FINAL)
        if score is None and not v.published:
            score = v.scores.get(ScoreStage.PROVINCE_VA, v.scores.get(ScoreStage.EM))
            basis = "perkiraan"
        standings.append(provila.KabKotaStanding(v.evaluation.region_id, v.evaluation.region.name, score))
    seen = {s.code for s in standings}
    standings += [
        provila.KabKotaStanding(code, name, None, provila.Standing.NO_EVALUATION)
        for code, name in kabkota
        if code not in seen
    ]
    return provila.province_status(rule, standings, bands), basis
