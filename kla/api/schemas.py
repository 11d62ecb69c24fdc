"""Input and output shapes of /api/v1 (they are the public contract: change them only compatibly)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Schema


class Error(Schema):
    detail: str


class RegionRef(Schema):
    code: str
    name: str
    level: str


class RegionOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None


class RegionDetail(RegionOut):
    parent: RegionRef | None
    children_count: int


class FrameworkSummary(Schema):
    code: str
    year: int
    name: str
    name_en: str
    level: str
    weights_status: str
    max_total: Decimal
    indicator_count: int


class BandOut(Schema):
    code: str
    name: str
    min_score: Decimal
    max_score: Decimal


class QuestionOut(Schema):
    code: str
    text: str
    text_en: str
    answer_type: str
    max_points: Decimal
    guidance: str
    rubric: dict[str, Any]


class IndicatorOut(Schema):
    number: int
    code: str
    name: str
    name_en: str
    short_name: str
    max_points: Decimal
    agencies: list[str]
    questions: list[QuestionOut]


class ClusterOut(Schema):
    code: str
    number: int
    name: str
    name_en: str
    max_points: Decimal
    indicators: list[IndicatorOut]


class FrameworkDetail(FrameworkSummary):
    source: str
    weights_note: str
    weights_note_en: str
    gate_min_exclusive: Decimal
    province_rule: dict[str, Any] | None
    bands: list[BandOut]
    clusters: list[ClusterOut]


class MembershipOut(Schema):
    role: str
    role_label: str
    region_code: str | None
    agency: str | None


class MeOut(Schema):
    username: str
    full_name: str
    memberships: list[MembershipOut]
