"""What every RAD KLA write shares: the plan lock, the draft check, agencies and indicators by id within scope, and
amounts read into exact decimals (refusals as `ValidationError` with one Indonesian sentence)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from kla.agencies.models import Agency
from kla.core import typed_numbers
from kla.core.wording import say
from kla.indicators.models import Indicator
from kla.rad import rules
from kla.rad.models import Plan, Version
from kla.regions.models import Region

type AmountInput = Decimal | int | str

UNKNOWN_AGENCY = gettext_lazy(
    "Instansi yang dipilih tidak terdaftar di wilayah ini. Pilih dari daftar instansi wilayah "
    "(atau instansi tingkat provinsi di provinsinya); bila instansinya belum ada, daftarkan "
    "terlebih dahulu."
)
UNKNOWN_INDICATOR = gettext_lazy(
    "Indikator yang dipilih tidak ada dalam instrumen rencana ini. Pilih dari daftar indikator."
)
NOT_DRAFT = gettext_lazy(
    "Versi {number} sudah ditetapkan dan tidak dapat diubah. Mulai revisi untuk mengubah rencana yang ditetapkan."
)


def lock_plan(plan: Plan) -> Plan:
    """Serialise the writes of one plan (two adoptions or revisions at once cannot both succeed)."""
    return Plan.objects.select_for_update().select_related("region", "framework").get(pk=plan.pk)


def locked_draft(version: Version) -> Version:
    """The version, re-read under its plan's lock, refused unless it is still a draft."""
    lock_plan(version.plan)
    fresh = Version.objects.select_related("plan__region", "plan__framework").get(pk=version.pk)
    if not fresh.is_draft:
        raise ValidationError(NOT_DRAFT.format(number=fresh.number), code="not_draft")
    return fresh


def region_codes(region: Region) -> list[str]:
    """A kab/kota's plan may name its own agencies and the provincial bodies of its province."""
    return [region.code] if region.parent_id is None else [region.code, region.parent_id]


def agency_in_scope(agency_id: int | None, region: Region) -> Agency:
    """The active agency of this id that may be responsible in the region's plan; any other id (missing, another
    region's, deactivated) is refused with the same sentence."""
    agency = (
        Agency.objects.filter(pk=agency_id, region_id__in=region_codes(region), is_active=True).first()
        if agency_id is not None
        else None
    )
    if agency is None:
        raise ValidationError(UNKNOWN_AGENCY, code="agency_unknown")
    return agency


def indicator_of(indicator_id: int | None, plan: Plan) -> Indicator:
    indicator = (
        Indicator.objects.select_related("cluster").filter(pk=indicator_id, framework_id=plan.framework_id).first()
        if indicator_id is not None
        else None
    )
    if indicator is None:
        raise ValidationError(UNKNOWN_INDICATOR, code="indicator_unknown")
    return indicator


def amount(value: AmountInput, where: str = "") -> Decimal:
    """A rupiah amount typed in the page's language (see `rules.read_amount`), or a `ValidationError` that names
    `where` it was typed."""
    try:
        return rules.read_amount(value, typed_numbers.style())
    except rules.AmountError as exc:
        raise ValidationError(f"{where}{_said(exc)}", code=exc.code) from exc


def value(value: AmountInput, where: str = "") -> Decimal:
    """An output target or achievement (see `rules.read_value`)."""
    try:
        return rules.read_value(value, typed_numbers.style())
    except rules.AmountError as exc:
        raise ValidationError(f"{where}{_said(exc)}", code=exc.code) from exc


def _said(error: rules.AmountError) -> str:
    """A refused typed number in the reader's language (numbers are typed in the page's language)."""
    return typed_numbers.said(error.unread) if error.unread else say(error.message)


def check_year(year: int, plan: Plan, where: str = "") -> None:
    refusal = rules.year_refusal(year, plan.start_year, plan.end_year)
    if refusal:
        raise ValidationError(f"{where}{say(refusal)}", code="year_outside")


def source(text: str, where: str = "") -> rules.Source:
    try:
        return rules.Source(text)
    except ValueError:
        known = ", ".join(rules.SOURCE_LABELS.values())
        raise ValidationError(
            gettext("%(where)sSumber dana tidak dikenal. Pilih salah satu: %(known)s.")
            % {"where": where, "known": known},
            code="source",
        ) from None


def raise_all(errors: list[ValidationError]) -> None:
    """Nothing is written while one cell is wrong: every refusal at once."""
    if errors:
        raise ValidationError(errors)
