"""A returned indicator's fix deadline, told before it passes: two days and one day before, to the kab/kota's
secretariat and the operators of the agencies assigned to the indicator; each once (`Occasions`). After the deadline
the escalation takes over (`escalation.escalate`, once the service level is passed)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from kla.evaluations.models import Entry
from kla.notifications import selectors as who
from kla.notifications import wording
from kla.notifications.models import Kind
from kla.notifications.occasions import Occasions, threshold
from kla.notifications.services import Message, deliver
from kla.regions.zones import zone_of

DAYS_BEFORE = (1, 2)


def fix_reminders(now: dt.datetime) -> int:
    """One notification per person and evaluation for the entries whose fix deadline reaches a threshold in this
    run (entries returned together share it, one line each). Returns the number of notifications written or
    extended."""
    soon = Entry.objects.filter(
        status=Entry.Status.RETURNED,
        return_deadline__gt=now,
        return_deadline__lte=now + dt.timedelta(days=max(DAYS_BEFORE)),
    )
    entries = list(
        soon.select_related("indicator", "evaluation__region", "evaluation__cycle").order_by(
            "evaluation_id", "indicator__position"
        )
    )
    if not entries:
        return 0
    occasions = Occasions("fixdue:")
    sent = 0
    for entry in entries:
        assert entry.return_deadline is not None
        days = threshold(entry.return_deadline, now, DAYS_BEFORE)
        returned = entry.returned_at.isoformat() if entry.returned_at else ""
        key = f"fixdue:{entry.pk}:{returned}:{days}"
        if days is None or occasions.seen(key):
            continue
        sent += _tell(entry, days, now)
        occasions.mark(key, now)
    return sent


def _tell(entry: Entry, days: int, now: dt.datetime) -> int:
    evaluation = entry.evaluation
    deadline = entry.return_deadline
    assert deadline is not None
    agencies = entry.assignments.values_list("agency_id", flat=True)
    people = {u.pk: u for u in [*who.secretariat_of([evaluation.region_id]), *who.operators_of(agencies)]}

    def build() -> Message:
        return Message(
            kind=Kind.DEADLINE,
            title=_("%(days)s hari lagi: batas perbaikan indikator yang dikembalikan · %(region)s")
            % {"days": days, "region": evaluation.region.name},
            body=_("%(number)s. %(name)s: perbaiki dan kirim ulang sebelum %(deadline)s.")
            % {
                "number": entry.indicator.number,
                "name": entry.indicator.name,
                "deadline": wording.at(deadline, zone_of(evaluation.region_id)),
            },
            url=reverse("evaluations:entry_detail", args=[entry.pk]),
            key=f"fixdue:{evaluation.pk}:{deadline.isoformat()}:{days}",
            merge=True,
            object_type=evaluation._meta.label_lower,
            object_id=str(evaluation.pk),
        )

    return deliver(people.values(), build, now=now)
