"""The queue's compiled page (`kla.verification.queue_reads`) reads what `selectors.reviewable` reads: the same
evaluations in the same order for every reviewer, stage filter and page, with their total."""

from __future__ import annotations

from typing import Any

import pytest

from kla.verification import queue_reads, selectors
from kla.verification.tests.test_views import _in_province_review

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["province", "ministry_verifier", "field_verifier", "ministry_admin"])
def test_the_compiled_page_reads_what_reviewable_reads(user_of: Any, persona: str, monkeypatch: Any) -> None:
    _in_province_review("16.71", user_of)
    _in_province_review("16.73", user_of)
    user = user_of(persona)
    monkeypatch.setattr(queue_reads, "PER_PAGE", 1)
    queue_reads._query.cache_clear()
    try:
        for states in ([], ["province_review"], ["submitted", "province_review"], ["draft"]):
            expected = list(selectors.reviewable(user).filter(**({"status__in": states} if states else {})))
            for number in ("1", "2", "9", "x", "0"):
                found = queue_reads.queue_page(user, states, number)
                assert found.page.paginator.count == len(expected)
                start = (found.page.number - 1) * queue_reads.PER_PAGE
                assert [e.pk for e in found.evaluations] == [e.pk for e in expected[start : start + 1]]
    finally:
        queue_reads._query.cache_clear()
