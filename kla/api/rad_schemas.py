"""Input and output shapes of the RAD KLA part of /api/v1 (`kla/api/rad.py`): amounts are exact decimals written as
strings, never floats."""

from __future__ import annotations

from ninja import Field, Schema

from kla.api.schemas import Id

AMOUNT = "an exact decimal amount in rupiah as a string with two places, e.g. '1250000000.00' (never a float)"
Amount = str


class RadVersionOut(Schema):
    id: int
    number: int
    status: str
    status_label: str
    based_on: int | None
    basis_kind: str
    basis_number: str
    basis_date: str | None


class RadPlanOut(Schema):
    id: int
    region_code: str
    region_name: str
    framework: str
    title: str
    start_year: int
    end_year: int
    versions: list[RadVersionOut]


class RadTargetOut(Schema):
    year: int
    value: str = Field(description="the target as an exact decimal string")


class RadOutputOut(Schema):
    id: int
    key: str
    name: str
    unit: str
    targets: list[RadTargetOut]


class RadBudgetCell(Schema):
    year: int
    source: str
    amount: Amount = Field(description=AMOUNT)


class RadLeafOut(Schema):
    id: int
    key: str = Field(description="stable across revisions; realisation follows it")
    level: str
    code: str
    name: str
    agency_id: int | None
    agency: str | None
    planned: Amount = Field(description="every year and source of this node and those below it; " + AMOUNT)
    outputs: list[RadOutputOut]
    budget: list[RadBudgetCell]


class RadActivityOut(RadLeafOut):
    children: list[RadLeafOut]


class RadProgrammeOut(RadLeafOut):
    children: list[RadActivityOut]


class RadIndicatorTree(Schema):
    id: int
    code: str
    name: str
    planned: Amount = Field(description=AMOUNT)
    programmes: list[RadProgrammeOut]


class RadClusterTree(Schema):
    id: int
    name: str
    planned: Amount = Field(description=AMOUNT)
    indicators: list[RadIndicatorTree]


class RadPlanTreeOut(RadPlanOut):
    version: RadVersionOut = Field(description="the version shown: the one in force, or the draft before adoption")
    planned: Amount = Field(description="the whole plan, every year; " + AMOUNT)
    clusters: list[RadClusterTree]


class RadPart(Schema):
    planned: Amount = Field(description=AMOUNT)
    realised: Amount = Field(description=AMOUNT)


class RadAgencyPart(RadPart):
    agency: str
    agency_id: int | None = Field(description="None for activities without an agency or no longer in the plan")


class RadSourcePart(RadPart):
    source: str
    label: str


class RadClusterPart(RadPart):
    cluster: str
    cluster_id: int | str


class RadBudgetOut(Schema):
    """Every list's `planned` sums exactly to `total.planned` and its `realised` to `total.realised`."""

    year: int
    total: RadPart
    by_agency: list[RadAgencyPart]
    by_source: list[RadSourcePart]
    by_cluster: list[RadClusterPart]
    share_of_region_budget: str | None = Field(
        description="planned ÷ the region's total budget (APBD) of the year × 100, an exact decimal string with "
        "four places, half up; null when the region's budget of the year is not entered"
    )


class RadYearFilter(Schema):
    year: int | None = Field(
        None, ge=2000, le=2100, description="the budget year; by default this year (the plan's first before it)"
    )


class RadPlanIn(Schema):
    framework: str = Field(description="the instrument's code")
    start_year: int
    end_year: int
    title: str = ""


class RadNodeIn(Schema):
    level: str = Field(description="programme, activity or sub_activity")
    name: str
    parent_id: Id | None = None
    indicator_id: Id | None = Field(None, description="for a programme")
    agency_id: Id | None = Field(None, description="the responsible agency of an activity or sub-activity")
    code: str = ""


class RadOutputIn(Schema):
    name: str
    unit: str


class RadBudgetIn(Schema):
    cells: list[RadBudgetCell] = Field(description="an empty amount or '0' removes the cell; typed '1.250.000.000' too")


class RadTargetsIn(Schema):
    targets: dict[int, str] = Field(description="year → target ('' removes it)")


class RadRealisationIn(Schema):
    year: int
    quarter: int = Field(ge=1, le=4)
    spent: dict[str, str] = Field(description="source → amount spent in the quarter")
    achieved: dict[str, str] = Field({}, description="output key → value achieved")
    notes: str = ""
    explanation: str = Field("", description="required when the year's spending exceeds the plan")


class RadRealisationOut(Schema):
    id: int
    activity_key: str
    year: int
    quarter: int
    spent: dict[str, Amount] = Field(description="source → " + AMOUNT)
    achieved: dict[str, str]
    notes: str
    overspend_explanation: str
