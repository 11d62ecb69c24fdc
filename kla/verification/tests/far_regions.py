"""Evaluations of the demo cycle outside Sumatera Selatan, for what depends on a region's time zone: Kota Makassar
(WITA) and Kota Jayapura (WIT), each with a secretariat member who has an email address."""

from __future__ import annotations

import datetime as dt

from kla.accounts.models import Membership, User
from kla.accounts.roles import Role
from kla.evaluations.models import Cycle, Entry, Evaluation
from kla.indicators.models import Indicator

MAKASSAR, JAYAPURA = "73.71", "91.71"
# 9.00 UTC: 16.00 WIB, 17.00 WITA, 18.00 WIT
DEADLINE = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def evaluation_in(region: str, cycle_code: str = "evaluasi-kla-demo") -> Evaluation:
    """The region's evaluation in the cycle, with one entry per indicator (as opening the cycle makes them)."""
    cycle = Cycle.objects.get(code=cycle_code)
    evaluation = Evaluation.objects.create(cycle=cycle, region_id=region)
    indicators = Indicator.objects.filter(framework_id=cycle.framework_id)
    Entry.objects.bulk_create(Entry(evaluation=evaluation, indicator=i) for i in indicators)
    return evaluation


def secretariat_of(region: str) -> User:
    user = User.objects.create(username=f"gt-{region}", email=f"gt-{region}@contoh.invalid", full_name="Sekretariat")
    Membership.objects.create(user=user, role=Role.SECRETARIAT, region_id=region)
    return user


def returned_entry(evaluation: Evaluation, number: int = 4) -> Entry:
    """An entry of the evaluation returned for a fix by `DEADLINE`."""
    entry = Entry.objects.select_related("indicator").get(evaluation=evaluation, indicator__number=number)
    entry.status = Entry.Status.RETURNED
    entry.return_reason = "Bukti dukung belum ditandatangani."
    entry.return_deadline = DEADLINE
    entry.returned_at = DEADLINE - dt.timedelta(days=3)
    entry.save()
    return entry
