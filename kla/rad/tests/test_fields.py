"""Rupiah amounts are exact in the database too: whole sen in a BIGINT, a two-place Decimal in Python (SQLite would
read a decimal column back with 15 significant digits)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from kla.rad import rules
from kla.rad.fields import SenField, to_rupiah, to_sen
from kla.rad.models import RegionBudget
from kla.rad.tests import builders as b

M = Decimal
LARGE = ["999999999999999.99", "11234567890123.45", "99999999999999.99", "0.10", "0.01", "0.00", "1250000000.50"]


def test_sen_and_rupiah() -> None:
    assert to_sen(M("1234.56")) == 123456 and to_sen(7) == 700 and to_sen("0.1") == 10
    assert str(to_rupiah(123456)) == "1234.56" and str(to_rupiah(0)) == "0.00" and str(to_rupiah(100)) == "1.00"
    for bad in (M("0.001"), 1.5, True, "abc", M("NaN")):
        with pytest.raises(ValueError):
            to_sen(bad)  # type: ignore[arg-type]
    field = SenField()
    assert field.to_python("12.5") == M("12.50") and field.to_python(None) is None
    with pytest.raises(ValidationError):
        field.to_python("1.234")


@pytest.mark.django_db
def test_amounts_up_to_the_cap_come_back_to_the_sen_and_sum_exactly() -> None:
    region = b.region()
    for year, text in enumerate(LARGE, start=2030):
        RegionBudget.objects.create(region=region, year=year, amount=M(text))
    rows = RegionBudget.objects.filter(region=region, year__gte=2030).order_by("year")
    assert [str(a) for a in rows.values_list("amount", flat=True)] == LARGE
    assert rows.aggregate(total=Sum("amount"))["total"] == sum((M(t) for t in LARGE), M(0))
    assert rows.filter(amount__gte=M("99999999999999.99")).count() == 2
    largest = rules.AMOUNT_CAP - M("0.01")
    row = RegionBudget.objects.create(region=region, year=2040, amount=largest)
    row.refresh_from_db()
    assert row.amount == largest
