"""Labels and messages built in Python use the house formats (kla.core.formatting): "7 Des 2026", never
"07-12-2026", and a time with the viewer's zone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kla.evaluations.models import StageDeadline
from kla.evaluations.stages import Stage
from kla.fieldvisits.models import FieldPlan
from kla.indicators.framework_schema import FrameworkError
from kla.indicators.models import Framework
from kla.indicators.services import framework_load
from kla.indicators.tests.test_loading import _text

START = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)  # 1 December 00.00 WIB
END = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Jakarta", "1 Des 2026 s.d. 7 Des 2026 16.00 WIB"),
        ("Asia/Jayapura", "1 Des 2026 s.d. 7 Des 2026 18.00 WIT"),
    ],
)
def test_a_stage_deadline_reads_in_the_viewer_zone(zone: str, expected: str) -> None:
    deadline = StageDeadline(stage=Stage.SELF_ASSESSMENT, starts_at=START, ends_at=END)
    with timezone.override(zone):
        assert str(deadline).endswith(f": {expected}")


def test_a_field_plan_is_named_with_its_date_as_tables_write_it() -> None:
    assert str(FieldPlan(evaluation_id=5, visit_date=dt.date(2026, 12, 7))) == "VL 5 · 7 Des 2026"


@pytest.mark.django_db
def test_the_locked_instrument_message_gives_the_date_in_words() -> None:
    locked = timezone.localdate(Framework.objects.get(code="kla-2024-ref").locked_at)
    with pytest.raises(FrameworkError) as caught:
        framework_load(text=_text(name="Diubah diam-diam"), by=None)
    message = " ".join(caught.value.errors) if hasattr(caught.value, "errors") else str(caught.value)
    assert f"sejak {locked.day} " in message and str(locked.year) in message
    assert f"{locked:%d-%m-%Y}" not in message
