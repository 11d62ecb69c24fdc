"""Input and output shapes of /api/v1 (they are the public contract: change them only compatibly)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

# A primary key: the database's ids are positive 64-bit integers; a bigger number cannot name a row (and SQLite
# refuses to even compare with it), so it is refused as invalid input rather than looked up.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


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


# --- verification and results (kla.api.verification) ----------------------------------------------------------


class StepIn(Schema):
    acknowledge_missing: bool = False  # only for "submit": send although items are still missing
    confirm_below_gate: bool = False  # only for "submit": send an EM score that does not pass the gate


class EvaluationStateOut(Schema):
    id: int
    status: str
    status_label: str
    status_changed_at: datetime | None


class VerdictIn(Schema):
    decision: Literal["accepted", "corrected", "returned"]  # the values of kla.verification.models.Verdict.Decision
    points: Decimal | str | None = None  # with "corrected"; "12,5" is read as 12.5
    reason: str = ""


class VerdictOut(Schema):
    id: int
    entry_id: int
    indicator: str
    question: str | None  # None: a field-verification verdict on the whole indicator
    stage: str
    decision: str
    points: Decimal | None
    reason: str
    decided_at: datetime


class ReturnedEntryOut(Schema):
    id: int
    indicator: str
    indicator_name: str
    reason: str
    deadline: datetime | None
    returned_at: datetime | None


class ReviewsOut(Schema):
    verdicts: list[VerdictOut]  # reviewers only, and only the stages the seal lets them see
    returned_entries: list[ReturnedEntryOut]


class EntriesAcceptIn(Schema):
    entries: list[Id]
    comment: str = ""


class EntriesReturnIn(Schema):
    entries: list[Id]
    reason: str = ""
    deadline: datetime


class AcceptedOut(Schema):
    accepted: int  # questions newly accepted


class ReturnedOut(Schema):
    returned: int  # entries returned


class EntryStateOut(Schema):
    id: int
    indicator: str
    status: str


class PredicateOut(Schema):
    code: str
    name: str


class ScoresOut(Schema):
    stages: dict[str, Decimal]
    predicate: PredicateOut | None
    sealed: bool
    published: bool


class PredicateRecordOut(Schema):
    year: int
    predicate: PredicateOut | None
    source: str
    cycle_code: str | None
    score: Decimal | None = None  # present only when the cycle publishes detailed scores


class ExportIn(Schema):
    kind: str = Field(description="Jenis laporan: `rekap-evaluasi` atau `rincian-indikator`.", max_length=40)
    cycle: str = Field(description="Kode siklus evaluasi (bukan yang masih disiapkan).", max_length=40)
    format: Literal["xlsx", "csv"] = "xlsx"


class ExportOut(Schema):
    id: int
    kind: str
    label: str
    cycle: str
    evaluation_id: int | None
    entry_id: int | None  # an evidence pack of one indicator
    format: str
    status: Literal["pending", "running", "ready", "failed"]
    status_label: str
    rows_done: int
    rows_total: int | None
    percent: int
    error: str
    note: str  # what a ready file lacks (an evidence pack with files missing from storage)
    requested_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None
    download_url: str | None  # while ready and not expired
