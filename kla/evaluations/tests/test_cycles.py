"""Cycles: created and opened by the ministry; opening creates one evaluation per kab/kota, one entry per indicator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kla.core.models import AuditEvent
from kla.evaluations.models import Cycle, Entry, Evaluation
from kla.evaluations.services import cycle_create, cycle_open
from kla.evaluations.stages import STAGE_ORDER
from kla.indicators.models import Framework

pytestmark = pytest.mark.django_db


def _deadlines():
    now = timezone.now()
    return {
        s: (now + dt.timedelta(days=10 * i), now + dt.timedelta(days=10 * i + 9)) for i, s in enumerate(STAGE_ORDER)
    }


def test_demo_cycle_covers_sumatera_selatan() -> None:
    cycle = Cycle.objects.get(code="evaluasi-kla-demo")
    assert cycle.status == "open"
    assert cycle.evaluations.count() == 17
    assert Entry.objects.filter(evaluation__cycle=cycle).count() == 17 * 24
    assert cycle.framework.locked_at is not None  # the framework in use is immutable


def test_only_the_ministry_administrator_creates_a_cycle(user_of) -> None:
    framework = Framework.objects.get(code="kla-2024-ref")
    with pytest.raises(PermissionDenied):
        cycle_create(
            code="x-2026", name="X", year=2026, framework=framework, deadlines=_deadlines(), by=user_of("province")
        )
    cycle = cycle_create(
        code="x-2026", name="X", year=2026, framework=framework, deadlines=_deadlines(), by=user_of("ministry_admin")
    )
    assert cycle.deadlines.count() == 6
    assert AuditEvent.objects.filter(action="kla.cycle.created", object_id=str(cycle.pk)).exists()


def test_opening_for_all_kabkota_in_bulk(user_of, django_assert_max_num_queries) -> None:
    framework = Framework.objects.get(code="kla-2024-ref")
    cycle = cycle_create(
        code="nasional", name="Nasional", year=2026, framework=framework, deadlines=_deadlines(), by=None
    )
    with django_assert_max_num_queries(40):
        n = cycle_open(cycle=cycle, region_codes=None, by=user_of("ministry_admin"))
    assert n == 514
    assert Entry.objects.filter(evaluation__cycle=cycle).count() == 514 * 24
    with pytest.raises(ValidationError, match="sudah dibuka"):
        cycle_open(cycle=cycle, by=None)


def test_bad_calendar_and_duplicate_code_are_refused() -> None:
    framework = Framework.objects.get(code="kla-2024-ref")
    now = timezone.now()
    bad = {STAGE_ORDER[0]: (now, now - dt.timedelta(days=1))}
    with pytest.raises(ValidationError, match="sebelum tanggal mulainya"):
        cycle_create(code="y", name="Y", year=2026, framework=framework, deadlines=bad, by=None)
    with pytest.raises(ValidationError, match="sudah dipakai"):
        cycle_create(
            code="evaluasi-kla-demo", name="Y", year=2026, framework=framework, deadlines=_deadlines(), by=None
        )
    assert not Evaluation.objects.filter(cycle__code="y").exists()


def test_cycle_pages_for_the_ministry(client_for) -> None:
    admin = client_for("ministry_admin")
    response = admin.post(
        "/siklus/baru/",
        {
            "code": "evaluasi-kla-2027",
            "name": "Evaluasi KLA 2027",
            "year": 2027,
            "framework": Framework.objects.get(code="kla-2024-ref").pk,
            "field_rule": "all",  # and no province review: the ministry verifies first, as before 2023
            **{f"{s.value}_start": f"2027-0{i + 1}-01" for i, s in enumerate(STAGE_ORDER)},
            **{f"{s.value}_end": f"2027-0{i + 1}-28" for i, s in enumerate(STAGE_ORDER)},
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Cycle.objects.get(code="evaluasi-kla-2027")
    assert created.workflow_config.field_rule == "all" and not created.workflow_config.province_review
    response = admin.post("/siklus/evaluasi-kla-2027/buka/", {"scope": "provinces", "provinces": ["16", "17"]})
    assert response.status_code == 302
    assert Evaluation.objects.filter(cycle__code="evaluasi-kla-2027").count() == 17 + 10
