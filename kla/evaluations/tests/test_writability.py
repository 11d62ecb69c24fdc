"""When an entry's answers and evidence may change: the rule itself (no database), then its one fresh read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kla.agencies.models import Agency
from kla.evaluations.models import Entry
from kla.evaluations.services import (
    EvaluationClosed,
    answer_save,
    assignment_set,
    entry_closed,
    require_can_change_entry,
)

NOW = dt.datetime(2026, 8, 1, 12, 0, tzinfo=dt.UTC)
BEFORE, AFTER = NOW - dt.timedelta(hours=1), NOW + dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("entry_status", "return_deadline", "evaluation_editable", "ends", "closed"),
    [
        ("open", None, True, AFTER, None),
        ("open", None, True, None, None),  # no deadline set: open
        ("open", None, True, BEFORE, "Batas waktu evaluasi mandiri sudah lewat"),
        ("open", None, False, AFTER, "Evaluasi ini sudah dikirim"),
        ("submitted", None, True, AFTER, "Entri ini sudah dikirim"),
        ("submitted", None, False, AFTER, "Evaluasi ini sudah dikirim"),
        # a returned entry follows its own deadline, whatever the evaluation and the self-assessment deadline say
        ("returned", AFTER, False, BEFORE, None),
        ("returned", None, False, BEFORE, None),
        ("returned", BEFORE, True, AFTER, "Batas waktu perbaikan entri ini sudah lewat"),
    ],
)
def test_entry_closed(entry_status, return_deadline, evaluation_editable, ends, closed) -> None:
    reason = entry_closed(
        entry_status=entry_status,
        return_deadline=return_deadline,
        evaluation_editable=evaluation_editable,
        self_assessment_ends=ends,
        now=NOW,
    )
    assert reason == closed if closed is None else reason is not None and reason.startswith(closed)


@pytest.mark.django_db
def test_a_write_reads_the_assignment_fresh_not_from_the_loaded_entry(entry_of, user_of) -> None:
    entry = entry_of(4)
    question = entry.indicator.questions.order_by("position").first()
    operator, raw = user_of("opd"), {"numerator": "95", "denominator": "100"}
    require_can_change_entry(entry, operator, timezone.now())  # assigned when the page was loaded
    other = Agency.objects.filter(region_id="16.71").exclude(pk__in=operator.memberships.values("agency_id")).first()
    assignment_set(entry=entry, agencies=[other], by=None)  # reassigned since
    with pytest.raises(PermissionDenied, match="tidak ditugaskan"):
        answer_save(entry=entry, question=question, raw_value=raw, expected_version=None, by=operator)
    # the secretariat answers any entry of its kab/kota, assigned or not
    answer_save(entry=entry, question=question, raw_value=raw, expected_version=None, by=user_of("secretariat"))


@pytest.mark.django_db
def test_a_write_reads_the_status_fresh_not_from_the_loaded_entry(entry_of, user_of) -> None:
    entry = entry_of(4)
    Entry.objects.filter(pk=entry.pk).update(status=Entry.Status.SUBMITTED)
    assert entry.status == Entry.Status.OPEN  # the object in hand is stale
    with pytest.raises(EvaluationClosed, match="Entri ini sudah dikirim"):
        require_can_change_entry(entry, user_of("opd"), timezone.now())
    with pytest.raises(EvaluationClosed, match="Entri ini sudah dikirim"):
        require_can_change_entry(entry, None, timezone.now())  # the platform itself: no assignment to read
