from __future__ import annotations

import pytest

from kla.evaluations.models import Entry, Evaluation


@pytest.fixture
def palembang_eval(db) -> Evaluation:
    return Evaluation.objects.select_related("cycle__framework").get(cycle__code="evaluasi-kla-demo", region_id="16.71")


@pytest.fixture
def entry_of(palembang_eval):
    def get(number: int, evaluation: Evaluation | None = None) -> Entry:
        return (
            (evaluation or palembang_eval)
            .entries.select_related("indicator", "evaluation__cycle")
            .get(indicator__number=number)
        )

    return get
