"""Points and deadlines as people read and type them: Indonesian numbers through kla.core.formatting, deadlines with
their zone, in refusals and in the returned-entries email."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kla.evaluations.models import Evaluation, StageDeadline
from kla.evaluations.stages import Stage
from kla.evaluations.workflow import Step
from kla.indicators.models import Question
from kla.verification.services import returns, steps, verdicts
from kla.verification.services.verdicts import parse_points
from kla.verification.tests.test_flow import palembang, refused, submitted  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12,5", Decimal("12.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1.500", Decimal("1500")),  # a dot groups thousands: never read as 1.5
        ("12.5", Decimal("12.5")),  # a dot that cannot group thousands is the decimal point (API clients)
        (" 7 ", Decimal("7")),
        (Decimal("3.25"), Decimal("3.25")),
        (4, Decimal("4")),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_points_are_read_the_indonesian_way(typed: object, value: Decimal | None) -> None:
    assert parse_points(typed) == value  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,250", "dapat dibaca dua cara"),  # a thousand in English, one and a quarter in Indonesian
        ("dua belas", "Poin harus berupa angka, misalnya 12,5."),
        ("Rp 2.5", "Poin harus berupa angka"),
        ("NaN", "Poin harus berupa angka"),
    ],
)
def test_unreadable_or_ambiguous_points_are_refused_with_a_hint(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_points(typed)
    assert message in " ".join(caught.value.messages)


def test_deadlines_are_written_with_their_zone(
    palembang: Evaluation,  # noqa: F811
    user_of,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
    mailoutbox,  # type: ignore[no-untyped-def]
) -> None:
    province = user_of("province")
    evaluation = submitted(palembang, user_of)
    steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=province)
    entry = evaluation.entries.select_related("indicator").get(indicator__number=4)

    # the email to the secretariat names the deadline with its zone
    deadline = dt.datetime(2099, 12, 9, 3, 30, tzinfo=dt.UTC)  # 10.30 in Jakarta
    with django_capture_on_commit_callbacks(execute=True):
        returns.entries_return(
            evaluation=evaluation, entries=[entry], reason="Lengkapi.", deadline=deadline, by=province
        )
    (mail,) = [m for m in mailoutbox if m.to == ["gt-palembang@demo.kla.invalid"]]  # the operators are told too
    assert "(batas perbaikan 9 Desember 2099 pukul 10.30 WIB)" in mail.body

    # a verdict after the stage's deadline: the refusal names the deadline the same way
    other = evaluation.entries.select_related("indicator").get(indicator__number=5)
    question = Question.objects.filter(indicator=other.indicator).order_by("position").first()
    ended = timezone.now() - dt.timedelta(days=1)
    StageDeadline.objects.filter(cycle=evaluation.cycle, stage=Stage.PROVINCE_REVIEW).update(
        starts_at=ended - dt.timedelta(days=10), ends_at=ended
    )
    message = refused(verdicts.verdict_record, entry=other, question=question, decision="accepted", by=province)
    local = timezone.localtime(ended)
    assert f"sudah lewat ({local.day} " in message and f"{local:%H}.{local:%M} WIB)." in message
