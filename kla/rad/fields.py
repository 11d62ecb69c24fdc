"""Rupiah amounts stored exactly on every database the platform runs on.

A `DecimalField` is exact on PostgreSQL, but SQLite (the default database) keeps a decimal column as a binary float
and Django reads it back with 15 significant digits: 99.999.999.999.999,99 comes back as 100.000.000.000.000,00, and
a city's APBD with its sen (Rp 11.234.567.890.123,45, 16 digits) loses them. `SenField` keeps the amount as whole
sen in a BIGINT (exact up to Rp 92.233.720.368.547.758,07 on both databases, sums too) and gives Python a `Decimal`
with two places, so models, lookups (``amount__gte=0``), aggregates (``Sum("amount")``) and the code above them see
rupiah exactly as they would with a `DecimalField(max_digits=18, decimal_places=2)`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

PLACES = 2


def to_rupiah(sen: int) -> Decimal:
    """Whole sen → rupiah with two places (``123456`` → ``Decimal("1234.56")``)."""
    return Decimal(sen).scaleb(-PLACES)


def to_sen(value: Decimal | int | str) -> int:
    """Rupiah → whole sen; refuses a value with more than two decimals rather than round it."""
    if isinstance(value, (bool, float)):
        raise ValueError("jumlah rupiah harus Decimal, bukan bilangan pecahan biner")
    try:
        sen = Decimal(value).scaleb(PLACES)
    except InvalidOperation as exc:
        raise ValueError(f"jumlah rupiah tidak sah: {value!r}") from exc
    if not sen.is_finite() or sen != sen.to_integral_value():
        raise ValueError(f"jumlah rupiah lebih dari {PLACES} angka di belakang koma: {value!r}")
    return int(sen)


class SenField(models.BigIntegerField):  # type: ignore[type-arg]
    """A rupiah amount: `Decimal` (two places) in Python, whole sen in the database."""

    description = "Rupiah amount (stored as whole sen)"
    if TYPE_CHECKING:  # what the django-stubs plugin reads for a field's Python type
        _pyi_private_set_type: Decimal | int | str | Combinable  # type: ignore[assignment]
        _pyi_private_get_type: Decimal  # type: ignore[assignment]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        return None if value is None else to_rupiah(int(value))

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return to_rupiah(to_sen(value))
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc

    def get_prep_value(self, value: Any) -> Any:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        return to_sen(value)

    def formfield(self, **kwargs: Any) -> Any:
        return forms.DecimalField(max_digits=18, decimal_places=PLACES, **kwargs)
