"""Assignments, answers (scored, soft-validated, conflict-safe) and submission."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kla.agencies.models import Agency
from kla.core.models import AuditEvent
from kla.evaluations.models import Answer, Entry, Evaluation
from kla.evaluations.selectors import em_total
from kla.evaluations.services import (
    AnswerConflict,
    EvaluationClosed,
    answer_save,
    assignment_set,
    evaluation_submit,
)

pytestmark = pytest.mark.django_db


def _question(entry: Entry, answer_type: str):
    return entry.indicator.questions.filter(answer_type=answer_type).order_by("position").first()


def _best_raw(question) -> dict:
    spec = question.spec
    if question.answer_type == "option":
        best = max(spec["options"], key=lambda o: Decimal(o["points"]))
        return {"option": best["code"]}
    if question.answer_type == "yes_no":
        return {"yes": True}
    if question.answer_type == "number":
        th = max(spec["thresholds"], key=lambda t: Decimal(t["points"]))
        return {"number": th["at_least"] if th.get("at_least") is not None else th["at_most"]}
    if question.answer_type == "percentage":
        th = max(spec["thresholds"], key=lambda t: Decimal(t["points"]))
        pct = Decimal(th["at_least"]) if th.get("at_least") is not None else Decimal(th["at_most"])
        return {"numerator": str(pct), "denominator": "100"}
    if question.answer_type == "date":
        return {"date": "2024-01-15"}
    return {"text": "Inovasi layanan terpadu"}


def test_auto_assignment_follows_the_instrument(entry_of) -> None:
    birth = entry_of(4)
    assert set(birth.assignments.values_list("agency__kind", flat=True)) == {"DISDUKCAPIL", "DINKES"}


def test_assigning_an_agency_of_another_region_is_refused(entry_of, user_of) -> None:
    foreign = Agency.objects.get(region_id="16.73", kind="DISDUKCAPIL")
    with pytest.raises(ValidationError, match="kabupaten/kota ini"):
        assignment_set(entry=entry_of(4), agencies=[foreign], by=user_of("secretariat"))


def test_operator_answers_an_assigned_indicator_and_the_em_score_moves(entry_of, user_of) -> None:
    entry = entry_of(4)
    question = entry.indicator.questions.order_by("position").first()
    before = em_total(entry.evaluation)
    result = answer_save(
        entry=entry, question=question, raw_value=_best_raw(question), expected_version=0, by=user_of("opd")
    )
    assert result.answer.answered and result.answer.points == question.max_points
    assert result.answer.explanation
    assert em_total(entry.evaluation) == before + question.max_points
    assert AuditEvent.objects.filter(action="kla.answer.saved", object_id=str(result.answer.pk)).exists()


def test_operator_cannot_answer_an_indicator_of_another_agency(entry_of, user_of) -> None:
    entry = entry_of(1)  # Perda KLA: Bappeda, Bagian Hukum, DPPPA, not Disdukcapil
    question = entry.indicator.questions.first()
    with pytest.raises(PermissionDenied, match="tidak ditugaskan"):
        answer_save(
            entry=entry, question=question, raw_value=_best_raw(question), expected_version=0, by=user_of("opd")
        )
    assert not Answer.objects.filter(entry=entry).exists()


def test_second_editor_gets_a_conflict_and_nothing_is_overwritten(entry_of, user_of) -> None:
    entry = entry_of(4)
    question = _question(entry, "percentage")
    answer_save(
        entry=entry,
        question=question,
        raw_value={"numerator": "90", "denominator": "100"},
        expected_version=0,
        by=user_of("opd"),
    )
    with pytest.raises(AnswerConflict) as exc:
        answer_save(
            entry=entry,
            question=question,
            raw_value={"numerator": "10", "denominator": "100"},
            expected_version=0,
            by=user_of("secretariat"),
        )
    assert exc.value.stored.value["numerator"] == "90"
    assert Answer.objects.get(entry=entry, question=question).value["numerator"] == "90"


@pytest.mark.parametrize(
    "raw",
    [
        {"numerator": "-5", "denominator": "100"},
        {"numerator": "abc", "denominator": "100"},
        {"numerator": "5"},
    ],
)
def test_malformed_answers_are_refused_and_the_saved_answer_is_kept(entry_of, user_of, raw) -> None:
    entry = entry_of(4)
    question = _question(entry, "percentage")
    answer_save(
        entry=entry,
        question=question,
        raw_value={"numerator": "90", "denominator": "100"},
        expected_version=0,
        by=user_of("opd"),
    )
    with pytest.raises(ValidationError):
        answer_save(entry=entry, question=question, raw_value=raw, expected_version=1, by=user_of("opd"))
    assert Answer.objects.get(entry=entry, question=question).value == {"numerator": "90", "denominator": "100"}


def test_soft_warning_saves_but_asks_for_a_justification(entry_of, user_of) -> None:
    entry = entry_of(4)
    question = _question(entry, "percentage")
    result = answer_save(
        entry=entry,
        question=question,
        raw_value={"numerator": "120", "denominator": "100"},
        expected_version=0,
        by=user_of("opd"),
    )
    assert result.warnings and result.needs_justification
    assert result.answer.needs_justification
    result = answer_save(
        entry=entry,
        question=question,
        raw_value={"numerator": "120", "denominator": "100"},
        justification="Termasuk anak dari luar daerah yang dilayani",
        expected_version=1,
        by=user_of("opd"),
    )
    assert not result.answer.needs_justification


def test_unknown_option_is_refused(entry_of, user_of) -> None:
    entry = entry_of(1)
    question = _question(entry, "option")
    with pytest.raises(ValidationError):
        answer_save(
            entry=entry,
            question=question,
            raw_value={"option": "tidak-ada"},
            expected_version=0,
            by=user_of("secretariat"),
        )


def test_answers_are_refused_after_the_deadline(entry_of, user_of) -> None:
    entry = entry_of(4)
    question = entry.indicator.questions.first()
    later = timezone.now() + dt.timedelta(days=45)
    with pytest.raises(EvaluationClosed, match="Batas waktu evaluasi mandiri sudah lewat"):
        answer_save(
            entry=entry,
            question=question,
            raw_value=_best_raw(question),
            expected_version=0,
            by=user_of("opd"),
            now=later,
        )


def test_submission_needs_completeness_or_an_explicit_acknowledgement(palembang_eval, entry_of, user_of) -> None:
    with pytest.raises(PermissionDenied):
        evaluation_submit(evaluation=palembang_eval, by=user_of("opd"))
    with pytest.raises(ValidationError, match="24 indikator belum lengkap"):
        evaluation_submit(evaluation=palembang_eval, by=user_of("secretariat"))
    entry = entry_of(4)
    question = entry.indicator.questions.first()
    answer_save(entry=entry, question=question, raw_value=_best_raw(question), expected_version=0, by=user_of("opd"))
    with pytest.raises(ValidationError, match="tidak melebihi ambang batas"):  # EM below the gate: confirmed only
        evaluation_submit(evaluation=palembang_eval, by=user_of("secretariat"), acknowledge_missing=True)
    submitted = evaluation_submit(
        evaluation=palembang_eval, by=user_of("secretariat"), acknowledge_missing=True, confirm_below_gate=True
    )
    assert submitted.status == Evaluation.Status.SUBMITTED
    assert submitted.em_score == question.max_points
    assert submitted.em_snapshot["indicators"]["4"]["answered"] == 1
    assert len(submitted.missing_at_submission) == 25  # 24 indicators, and the required evidence not attached
    assert set(Entry.objects.filter(evaluation=palembang_eval).values_list("status", flat=True)) == {"submitted"}
    with pytest.raises(EvaluationClosed):
        answer_save(
            entry=entry, question=question, raw_value=_best_raw(question), expected_version=1, by=user_of("opd")
        )
    with pytest.raises(EvaluationClosed, match="sudah dikirim"):
        evaluation_submit(evaluation=palembang_eval, by=user_of("secretariat"))


def test_full_answers_give_1000_and_submit_with_only_the_evidence_missing(palembang_eval, user_of) -> None:
    secretariat = user_of("secretariat")
    for entry in palembang_eval.entries.select_related("indicator"):
        for question in entry.indicator.questions.all():
            answer_save(
                entry=entry, question=question, raw_value=_best_raw(question), expected_version=None, by=secretariat
            )
    assert em_total(palembang_eval) == Decimal("1000.00")
    with pytest.raises(ValidationError, match="bukti dukung wajib belum dilampirkan"):  # no file attached yet
        evaluation_submit(evaluation=palembang_eval, by=secretariat)
    submitted = evaluation_submit(evaluation=palembang_eval, by=secretariat, acknowledge_missing=True)
    assert submitted.em_score == Decimal("1000.00") and len(submitted.missing_at_submission) == 1


def test_secretariat_reminds_an_agency_that_is_behind(
    palembang_eval, user_of, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    from kla.evaluations.services import reminder_send

    disdukcapil = Agency.objects.get(region_id="16.71", kind="DISDUKCAPIL")
    with django_capture_on_commit_callbacks(execute=True):
        n = reminder_send(
            evaluation=palembang_eval,
            agency=disdukcapil,
            note="Mohon selesai Jumat ini",
            base_url="https://kla.example.go.id",
            by=user_of("secretariat"),
        )
    assert n == 1 and len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["opd-palembang@demo.kla.invalid"]
    assert "Mohon selesai Jumat ini" in message.body
    assert (
        "4. Kepemilikan Kutipan Akta Kelahiran" in message.body and "https://kla.example.go.id/entri/" in message.body
    )
    assert AuditEvent.objects.filter(action="kla.reminder.sent").exists()
    with pytest.raises(PermissionDenied):
        reminder_send(evaluation=palembang_eval, agency=disdukcapil, base_url="x", by=user_of("opd"))
    bapas = Agency.objects.get(region_id="16.71", kind="BAPAS")
    with pytest.raises(ValidationError, match="belum memiliki operator"):
        reminder_send(evaluation=palembang_eval, agency=bapas, base_url="x", by=user_of("secretariat"))
