"""Fixtures of the field-verification tests: files in a temporary MEDIA_ROOT, the evaluation in field verification."""

from __future__ import annotations

from pathlib import Path

import pytest

from kla.evaluations.models import Evaluation
from kla.fieldvisits.models import FieldPlan, FieldSite
from kla.fieldvisits.tests import matrix


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def evaluation(db) -> Evaluation:
    """Palembang's demo evaluation in field verification, with the ministry's VA score of every indicator."""
    return matrix.field_evaluation()


@pytest.fixture
def plan(evaluation: Evaluation) -> FieldPlan:
    return matrix.field_plan(evaluation)


@pytest.fixture
def site(plan: FieldPlan) -> FieldSite:
    return matrix.field_site(plan)
