"""Extending a stage's deadline (ministry only), the calendar order of the new-cycle form, and every deadline check
asking the region's deadline in force. Real HTTP through the test client on the demo data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kla.core.models import AuditEvent
from kla.evaluations.models import Cycle, Entry, Evaluation, StageDeadline, StageExtension
from kla.evaluations.services import deadline_of
from kla.evaluations.stages import STAGE_ORDER, Stage
from kla.indicators.models import Framework, Question

pytestmark = pytest.mark.django_db

CYCLE = "evaluasi-kla-demo"
PALEMBANG, LUBUKLINGGAU = "16.71", "16.73"
URL = reverse("evaluations:cycle_extend", args=[CYCLE])


def _evaluation(region: str) -> Evaluation:
    return Evaluation.objects.get(cycle__code=CYCLE, region_id=region)


def _close_self_assessment() -> StageDeadline:
    """The self-assessment of the demo cycle ended an hour ago."""
    deadline = StageDeadline.objects.get(cycle__code=CYCLE, stage=Stage.SELF_ASSESSMENT)
    deadline.ends_at = timezone.now() - dt.timedelta(hours=1)
    deadline.save(update_fields=["ends_at"])
    return deadline


def _in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _extend(client, **data):  # type: ignore[no-untyped-def]
    body = {"stage": "self_assessment", "ends_on": _in_days(5), "scope": "all", "reason": "Banjir di Palembang"}
    return client.post(URL, {**body, **data})


def _save_answer(client, region: str):  # type: ignore[no-untyped-def]
    entry = Entry.objects.get(evaluation=_evaluation(region), indicator__number=4)
    question = Question.objects.filter(indicator=entry.indicator, answer_type="percentage").order_by("position")[0]
    url = reverse("evaluations:answer_save", args=[entry.pk, question.pk])
    return client.post(url, {"numerator": "90", "denominator": "100", "version": ""})


# --- the new-cycle form ---------------------------------------------------------------------------------------------


def _cycle_post(**dates: str) -> dict[str, object]:
    return {
        "code": "evaluasi-kla-2027",
        "name": "Evaluasi KLA 2027",
        "year": 2027,
        "framework": Framework.objects.get(code="kla-2024-ref").pk,
        "province_review": "on",
        "field_rule": "level_rise",
        **{f"{s.value}_start": f"2027-0{i + 1}-01" for i, s in enumerate(STAGE_ORDER)},
        **{f"{s.value}_end": f"2027-0{i + 1}-28" for i, s in enumerate(STAGE_ORDER)},
        **dates,
    }


def test_the_new_cycle_form_fills_its_dates_in_iso_for_the_browser(client_for) -> None:
    body = client_for("ministry_admin").get(reverse("evaluations:cycle_create")).content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="self_assessment_start" value="{today}"' in body
    values = re.findall(r'type="date" name="\w+" value="([^"]*)"', body)
    assert len(values) == 2 * len(STAGE_ORDER) and all(re.fullmatch(r"\d{4}-\d\d-\d\d", v) for v in values)
    assert "satu tingkat atau lebih" in body  # the published field rule is offered


def test_the_new_cycle_form_refuses_stages_in_reverse_order(client_for) -> None:
    reverse_dates = {
        **{f"{s.value}_start": f"2027-0{6 - i}-01" for i, s in enumerate(STAGE_ORDER)},
        **{f"{s.value}_end": f"2027-0{6 - i}-28" for i, s in enumerate(STAGE_ORDER)},
    }
    response = client_for("ministry_admin").post(reverse("evaluations:cycle_create"), _cycle_post(**reverse_dates))
    body = response.content.decode()
    assert response.status_code == 200 and not Cycle.objects.filter(code="evaluasi-kla-2027").exists()
    assert (
        "Tahap verifikasi administrasi oleh provinsi dimulai (1 Mei 2027) sebelum tahap evaluasi mandiri (EM) "
        "dimulai (1 Juni 2027)." in body
    )
    assert "Batas waktu tahap pengumuman (28 Januari 2027) sebelum batas waktu tahap verifikasi akhir" in body


def test_the_new_cycle_form_refuses_a_deadline_before_the_previous_one(client_for) -> None:
    post = _cycle_post(province_review_end="2027-01-20")  # province review: 1 Feb to 20 Jan
    response = client_for("ministry_admin").post(reverse("evaluations:cycle_create"), post)
    body = response.content.decode()
    assert "Batas waktu tahap verifikasi administrasi oleh provinsi (20 Januari 2027) sebelum tanggal mulainya" in body
    assert "sebelum batas waktu tahap evaluasi mandiri (EM) (28 Januari 2027)" in body
    assert not Cycle.objects.filter(code="evaluasi-kla-2027").exists()


def test_the_new_cycle_form_keeps_the_published_field_rule(client_for) -> None:
    response = client_for("ministry_admin").post(reverse("evaluations:cycle_create"), _cycle_post())
    assert response.status_code == 302
    cycle = Cycle.objects.get(code="evaluasi-kla-2027")
    assert cycle.workflow_config.field_rule == "level_rise"
    detail = client_for("ministry_admin").get(reverse("evaluations:cycle_detail", args=[cycle.code]))
    assert "satu tingkat atau lebih" in detail.content.decode()


# --- who may extend -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["opd", "secretariat", "province", "ministry_verifier", "field_verifier"])
def test_only_the_ministry_administrator_extends(client_for, persona: str) -> None:
    client = client_for(persona)
    assert client.get(URL).status_code == 403
    assert _extend(client).status_code == 403
    assert not AuditEvent.objects.filter(action="kla.cycle.deadline_extended").exists()


def test_anonymous_is_sent_to_sign_in_and_an_unknown_cycle_is_404(client_for) -> None:
    assert client_for("anonymous").get(URL).status_code == 302
    unknown = reverse("evaluations:cycle_extend", args=["tidak-ada"])
    assert client_for("ministry_admin").get(unknown).status_code == 404
    assert client_for("province").get(unknown).status_code == 403  # refused by role before any lookup


def test_the_page_shows_the_calendar_and_is_linked_from_the_cycle(client_for) -> None:
    admin = client_for("ministry_admin")
    assert URL in admin.get(reverse("evaluations:cycle_detail", args=[CYCLE])).content.decode()
    body = admin.get(URL).content.decode()
    assert "Jadwal yang berlaku" in body and "Evaluasi mandiri (EM)" in body and "WIB" in body
    assert f'value="{PALEMBANG}"' in body and "Kota Palembang (16.71)" in body


# --- extending for chosen regions -----------------------------------------------------------------------------------


def test_an_extended_region_still_answers_and_submits_after_the_deadline_while_another_cannot(
    client_for, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    original = _close_self_assessment()
    assert _save_answer(client_for("other_secretariat"), LUBUKLINGGAU).status_code == 422
    assert _save_answer(client_for("secretariat"), PALEMBANG).status_code == 422

    with django_capture_on_commit_callbacks(execute=True):
        response = _extend(client_for("ministry_admin"), scope="regions", regions=[PALEMBANG])
    assert response.status_code == 302, response.content.decode()[:3000]
    extension = StageExtension.objects.get(cycle__code=CYCLE, stage=Stage.SELF_ASSESSMENT)
    assert extension.region_id == PALEMBANG and extension.reason == "Banjir di Palembang"
    assert timezone.localtime(extension.ends_at).date().isoformat() == _in_days(5)
    original.refresh_from_db()
    assert original.ends_at < timezone.now()  # the calendar itself did not move

    # audited per region, and the secretariat of Palembang alone is told
    event = AuditEvent.objects.get(action="kla.cycle.deadline_extended")
    assert event.region_code == PALEMBANG and event.reason == "Banjir di Palembang"
    assert event.after is not None and dt.datetime.fromisoformat(event.after["ends_at"]) == extension.ends_at
    (mail,) = mailoutbox
    assert mail.to == ["gt-palembang@demo.kla.invalid"]
    assert "Perpanjangan batas waktu Evaluasi mandiri (EM)" in mail.subject
    assert "Banjir di Palembang" in mail.body and "pukul 23.59 WIB" in mail.body
    assert reverse("evaluations:evaluation_detail", args=[_evaluation(PALEMBANG).pk]) in mail.body

    # Palembang's dashboard shows its deadline in force; Lubuk Linggau's the calendar's
    palembang_page = client_for("secretariat").get(
        reverse("evaluations:evaluation_detail", args=[_evaluation(PALEMBANG).pk])
    )
    assert "diperpanjang oleh Kementerian" in palembang_page.content.decode()
    assert palembang_page.context["deadline"].ends_at == extension.ends_at
    other_page = client_for("other_secretariat").get(
        reverse("evaluations:evaluation_detail", args=[_evaluation(LUBUKLINGGAU).pk])
    )
    assert "diperpanjang oleh Kementerian" not in other_page.content.decode()

    # Palembang answers and submits; Lubuk Linggau still cannot
    assert _save_answer(client_for("secretariat"), PALEMBANG).status_code == 302
    assert _save_answer(client_for("other_secretariat"), LUBUKLINGGAU).status_code == 422
    submit = {"acknowledge_missing": "on", "confirm_below_gate": "1"}
    for persona, region in (("secretariat", PALEMBANG), ("other_secretariat", LUBUKLINGGAU)):
        url = reverse("evaluations:evaluation_submit", args=[_evaluation(region).pk])
        client_for(persona).post(url, submit)
    assert _evaluation(PALEMBANG).status != Evaluation.Status.DRAFT
    assert _evaluation(LUBUKLINGGAU).status == Evaluation.Status.DRAFT


def test_the_deadline_in_force_is_the_later_one(client_for) -> None:
    cycle = Cycle.objects.prefetch_related("deadlines").get(code=CYCLE)
    calendar = deadline_of(cycle, Stage.SELF_ASSESSMENT)
    assert calendar is not None and not calendar.extended
    StageExtension.objects.create(
        cycle=cycle,
        stage=Stage.SELF_ASSESSMENT,
        region_id=PALEMBANG,
        ends_at=calendar.ends_at - dt.timedelta(days=1),
        reason="x",
    )
    earlier = deadline_of(cycle, Stage.SELF_ASSESSMENT, PALEMBANG)
    assert earlier is not None and earlier.ends_at == calendar.ends_at and not earlier.extended
    StageExtension.objects.filter(region_id=PALEMBANG).update(ends_at=calendar.ends_at + dt.timedelta(days=1))
    later = deadline_of(cycle, Stage.SELF_ASSESSMENT, PALEMBANG)
    assert later is not None and later.extended and later.ends_at == calendar.ends_at + dt.timedelta(days=1)
    other = deadline_of(cycle, Stage.SELF_ASSESSMENT, LUBUKLINGGAU)
    assert other is not None and other.ends_at == calendar.ends_at


def test_a_province_means_its_kabupaten_kota(client_for, django_capture_on_commit_callbacks, mailoutbox) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _extend(client_for("ministry_admin"), ends_on=_in_days(40), scope="regions", regions=["16"])
    assert response.status_code == 302
    n = Evaluation.objects.filter(cycle__code=CYCLE).count()
    assert StageExtension.objects.filter(cycle__code=CYCLE).count() == n == 17
    assert AuditEvent.objects.filter(action="kla.cycle.deadline_extended").count() == n
    assert {m.to[0] for m in mailoutbox} >= {"gt-palembang@demo.kla.invalid", "gt-lubuklinggau@demo.kla.invalid"}


# --- extending the whole cycle --------------------------------------------------------------------------------------


def test_a_whole_cycle_extension_moves_the_calendar(client_for, django_capture_on_commit_callbacks, mailoutbox) -> None:
    _close_self_assessment()
    with django_capture_on_commit_callbacks(execute=True):
        response = _extend(client_for("ministry_admin"), ends_on=_in_days(3), reason="Gangguan jaringan nasional")
    assert response.status_code == 302
    deadline = StageDeadline.objects.get(cycle__code=CYCLE, stage=Stage.SELF_ASSESSMENT)
    assert timezone.localtime(deadline.ends_at).date().isoformat() == _in_days(3)
    assert not StageExtension.objects.exists()
    event = AuditEvent.objects.get(action="kla.cycle.deadline_extended")
    assert event.before is not None and event.after is not None
    assert event.after["regions"] == "semua" and event.before["ends_at"] < event.after["ends_at"]
    recipients = {m.to[0] for m in mailoutbox}
    assert {"gt-palembang@demo.kla.invalid", "gt-lubuklinggau@demo.kla.invalid"} <= recipients
    assert all("seluruh kabupaten/kota peserta" in m.body for m in mailoutbox)
    assert _save_answer(client_for("other_secretariat"), LUBUKLINGGAU).status_code == 302
    follow = client_for("ministry_admin").get(reverse("evaluations:cycle_detail", args=[CYCLE]))
    assert follow.status_code == 200


# --- refusals -------------------------------------------------------------------------------------------------------


def test_an_extension_past_the_next_stage_is_refused_and_changes_nothing(client_for, mailoutbox) -> None:
    response = _extend(client_for("ministry_admin"), ends_on=_in_days(400), scope="regions", regions=[PALEMBANG])
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kota Palembang: Batas waktu baru" in body
    assert "Perpanjang tahap verifikasi administrasi oleh provinsi terlebih dahulu" in body
    assert not StageExtension.objects.exists() and not mailoutbox
    assert not AuditEvent.objects.filter(action="kla.cycle.deadline_extended").exists()


def test_an_extension_that_does_not_move_the_deadline_is_refused(client_for) -> None:
    response = _extend(client_for("ministry_admin"), ends_on=_in_days(1))  # the demo's EM ends in 29 days
    assert "tidak lebih lambat dari batas waktu tahap evaluasi mandiri (EM) yang berlaku" in response.content.decode()


def test_the_form_asks_for_a_reason_and_for_regions(client_for) -> None:
    body = _extend(client_for("ministry_admin"), reason="  ", scope="regions").content.decode()
    assert "Pilih paling sedikit satu provinsi atau kabupaten/kota." in body
    assert not StageExtension.objects.exists()


def test_a_region_outside_the_cycle_is_refused(client_for) -> None:
    response = _extend(client_for("ministry_admin"), scope="regions", regions=["11.01"])
    assert response.status_code == 200 and not StageExtension.objects.exists()


def test_the_extension_page_runs_the_same_queries_with_more_extensions(
    client_for, django_assert_max_num_queries
) -> None:
    admin = client_for("ministry_admin")
    admin.get(URL)
    connection.queries_log.clear()  # a full log (9000 queries) would make every capture read 0
    with django_assert_max_num_queries(30) as few:
        assert admin.get(URL).status_code == 200
    few_extensions = len(few)  # read now: the capture reads the log lazily
    _extend(admin, ends_on=_in_days(40), scope="regions", regions=["16"])
    assert StageExtension.objects.count() == 17
    connection.queries_log.clear()
    with django_assert_max_num_queries(few_extensions):
        assert admin.get(URL).status_code == 200
