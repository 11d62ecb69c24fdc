"""Submitting below the gate and its way out (issue 21 item 1), through the pages as people use them.

The secretariat sees its EM score against the gate and must confirm a submission below it; while the
self-assessment stage is open it may withdraw a submission no review has started; once the stage is over the
province closes it in the final state "Tidak memenuhi ambang batas", shown with its EM score, and the start of a
review is no longer offered.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kla.core.models import AuditEvent
from kla.demo.answers import fill_answers
from kla.evaluations.models import Entry, Evaluation, StageDeadline, StageExtension
from kla.evaluations.stages import Stage
from kla.verification.services import steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def palembang() -> Evaluation:
    evaluation = Evaluation.objects.select_related("cycle__framework").get(
        cycle__code="evaluasi-kla-demo", region_id="16.71"
    )
    fill_answers(evaluation, seed=7, strength=0.0)
    return evaluation


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def _submit(client: Client, evaluation: Evaluation, **extra: str) -> list[str]:
    url = reverse("evaluations:evaluation_submit", args=[evaluation.pk])
    response = client.post(url, {"acknowledge_missing": "on", **extra})
    assert response.status_code == 302
    return _messages(response)


def _close_self_assessment(evaluation: Evaluation) -> None:
    StageDeadline.objects.filter(cycle=evaluation.cycle, stage=Stage.SELF_ASSESSMENT).update(
        ends_at=timezone.now() - dt.timedelta(hours=1)
    )


def test_the_page_states_the_score_against_the_gate_and_asks_for_confirmation(client_for, palembang) -> None:
    secretariat = client_for("secretariat")
    page = secretariat.get(reverse("evaluations:evaluation_detail", args=[palembang.pk])).content.decode()
    palembang.refresh_from_db()
    assert 'name="confirm_below_gate"' in page
    assert "tidak melebihi ambang batas 500" in page  # the label states the gate ...
    assert "Saya memahami bahwa nilai EM " in page  # ... and the score, in the Indonesian format

    refusal = _submit(secretariat, palembang)[-1]
    assert "tidak melebihi ambang batas 500" in refusal and "centang pernyataan" in refusal
    palembang.refresh_from_db()
    assert palembang.status == Evaluation.Status.DRAFT

    sent = _submit(secretariat, palembang, confirm_below_gate="1")[-1]
    assert sent.startswith("Evaluasi mandiri dikirim")
    palembang.refresh_from_db()
    assert palembang.status == Evaluation.Status.SUBMITTED
    event = AuditEvent.objects.filter(action="kla.evaluation.submitted", object_id=str(palembang.pk)).latest("pk")
    assert event.after["below_gate"] is True


def test_the_secretariat_withdraws_while_the_stage_is_open(client_for, palembang) -> None:
    secretariat = client_for("secretariat")
    _submit(secretariat, palembang, confirm_below_gate="1")
    palembang.refresh_from_db()
    em = palembang.em_score
    detail = reverse("evaluations:evaluation_detail", args=[palembang.pk])
    assert "Tarik kiriman" in secretariat.get(detail).content.decode()
    assert "Tarik kiriman" not in client_for("opd").get(detail).content.decode()
    withdraw = reverse("evaluations:evaluation_withdraw", args=[palembang.pk])
    assert client_for("opd").post(withdraw).status_code == 403
    assert client_for("other_secretariat").post(withdraw).status_code == 404

    response = secretariat.post(withdraw)
    assert response.status_code == 302 and _messages(response)[-1].startswith("Kiriman ditarik")
    palembang.refresh_from_db()
    assert palembang.status == Evaluation.Status.DRAFT and palembang.is_editable
    assert palembang.em_score is None and palembang.em_snapshot is None and palembang.submitted_at is None
    assert set(Entry.objects.filter(evaluation=palembang).values_list("status", flat=True)) == {"open"}
    event = AuditEvent.objects.get(action="kla.evaluation.withdrawn", object_id=str(palembang.pk))
    assert event.before["em_score"] == str(em) and event.after == {"status": "draft"}

    again = secretariat.post(withdraw)
    assert "belum dikirim" in _messages(again)[-1]


def test_no_withdrawal_after_the_stage_nor_once_a_review_started(client_for, user_of, palembang) -> None:
    secretariat = client_for("secretariat")
    _submit(secretariat, palembang, confirm_below_gate="1")
    withdraw = reverse("evaluations:evaluation_withdraw", args=[palembang.pk])
    _close_self_assessment(palembang)
    page = secretariat.get(reverse("evaluations:evaluation_detail", args=[palembang.pk])).content.decode()
    assert "Tarik kiriman" not in page
    message = _messages(secretariat.post(withdraw))[-1]
    assert "tahap evaluasi mandiri berakhir" in message
    palembang.refresh_from_db()
    assert palembang.status == Evaluation.Status.SUBMITTED
    # the stage extended for this kab/kota: withdrawn until the deadline in force for it
    extension = StageExtension.objects.create(
        cycle=palembang.cycle,
        stage=Stage.SELF_ASSESSMENT,
        region_id="16.71",
        ends_at=timezone.now() + dt.timedelta(days=2),
        reason="Banjir",
    )
    assert (
        "Tarik kiriman"
        in secretariat.get(reverse("evaluations:evaluation_detail", args=[palembang.pk])).content.decode()
    )
    province = client_for("province")
    early = _messages(province.post(reverse("verification:step", args=[palembang.pk]), {"step": "stop_at_gate"}))[-1]
    assert "masih dapat menarik kiriman ini" in early
    extension.delete()
    Evaluation.objects.filter(pk=palembang.pk).update(status=Evaluation.Status.PROVINCE_REVIEW)
    message = _messages(secretariat.post(withdraw))[-1]
    assert "Verifikasi administrasi provinsi" in message and "mengembalikan indikatornya" in message


def test_the_province_closes_it_at_the_gate_and_it_reads_as_final(client_for, palembang) -> None:
    _submit(client_for("secretariat"), palembang, confirm_below_gate="1")
    province = client_for("province")
    review = reverse("verification:evaluation", args=[palembang.pk])
    page = province.get(review).content.decode()
    assert 'value="stop_at_gate"' in page and 'value="start_province_review"' not in page
    assert "tidak melebihi ambang batas 500" in page

    step = reverse("verification:step", args=[palembang.pk])
    early = _messages(province.post(step, {"step": "start_province_review"}))[-1]
    assert "harus lebih dari 500" in early and "Tutup: tidak memenuhi ambang batas" in early
    early = _messages(province.post(step, {"step": "stop_at_gate"}))[-1]
    assert "masih dapat menarik kiriman ini" in early  # the self-assessment stage is still open
    assert client_for("secretariat").post(step, {"step": "stop_at_gate"}).status_code == 403

    _close_self_assessment(palembang)
    done = _messages(province.post(step, {"step": "stop_at_gate"}))[-1]
    assert done == "Tahap sekarang: Tidak memenuhi ambang batas."
    palembang.refresh_from_db()
    assert palembang.status == Evaluation.Status.BELOW_GATE
    event = AuditEvent.objects.get(action="kla.evaluation.stop_at_gate", object_id=str(palembang.pk))
    assert event.after["em_score"] == str(palembang.em_score) and event.after["gate"].startswith("500")

    page = province.get(review).content.decode()
    assert "Tidak memenuhi ambang batas" in page and 'name="step"' not in page  # no start-review button
    shown = client_for("secretariat").get(reverse("evaluations:evaluation_detail", args=[palembang.pk]))
    text = shown.content.decode()
    assert 'data-testid="below-gate"' in text and "Tidak memenuhi ambang batas" in text
    assert f"{palembang.em_score:.2f}".replace(".", ",") in text


def test_an_em_above_the_gate_is_never_closed_at_the_gate(user_of) -> None:
    evaluation = Evaluation.objects.select_related("cycle__framework").get(
        cycle__code="evaluasi-kla-demo", region_id="16.71"
    )
    fill_answers(evaluation, seed=7, strength=0.8)
    from kla.evaluations.services import evaluation_submit

    evaluation_submit(evaluation=evaluation, by=None, acknowledge_missing=True)
    later = timezone.now() + dt.timedelta(days=45)
    with pytest.raises(steps.StepRefused, match="melebihi ambang batas"):
        steps.advance(evaluation=evaluation, step=steps.Step.STOP_AT_GATE, by=user_of("province"), now=later)


def test_the_page_offers_the_acknowledgement_for_every_missing_item_it_will_be_refused_for(client_for) -> None:
    """All questions answered, required evidence not attached: the page lists it beside the acknowledgement (it
    offered none, and the submission was refused without a way to acknowledge)."""
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    fill_answers(evaluation, seed=11, strength=0.8)
    secretariat = client_for("secretariat")
    page = secretariat.get(reverse("evaluations:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert 'name="acknowledge_missing"' in page and "bukti dukung wajib belum dilampirkan" in page
    assert 'name="confirm_below_gate"' not in page  # EM above the gate: nothing to confirm
    assert _submit(secretariat, evaluation)[-1].startswith("Evaluasi mandiri dikirim")
