"""The schema of an instrument (framework) file, and its validation.

Pure module: no Django import. A framework file (YAML or JSON) describes one version of an evaluation instrument:
clusters, indicators, questions with answer types and points, evidence requirements, predicate bands, the
self-assessment gate and the province rule. `parse_framework(data)` returns a validated `FrameworkSpec` or raises
`FrameworkError` whose messages each name the field (a dotted path such as
``clusters[1].indicators[0].questions[2].options``) and the problem, in Indonesian.

The JSON Schema committed beside the data (`frameworks/framework.schema.json`) is generated from these models
(`manage.py framework_schema`), so editors can validate files too; a test keeps it in sync.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kla.agencies.catalogue import CODES as AGENCY_CODES
from kla.core.validation_messages import describe_error

SCHEMA_VERSION = 1

Points = Annotated[Decimal, Field(ge=0, max_digits=7, decimal_places=2)]
Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class AnswerType(StrEnum):
    OPTION = "option"
    YES_NO = "yes_no"
    NUMBER = "number"
    PERCENTAGE = "percentage"
    DATE = "date"
    TEXT = "text"


class EvidenceType(StrEnum):
    REGULATION = "regulation"
    DECREE = "decree"
    BUDGET = "budget"
    REPORT = "report"
    MINUTES = "minutes"
    PHOTO = "photo"
    VIDEO = "video"
    DATA_TABLE = "data_table"


# Labels shown to users (Indonesian, English).
ANSWER_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "option": ("Pilihan", "Choice"),
    "yes_no": ("Ya/Tidak", "Yes/No"),
    "number": ("Angka", "Number"),
    "percentage": ("Persentase (pembilang/penyebut)", "Percentage (numerator/denominator)"),
    "date": ("Tanggal", "Date"),
    "text": ("Teks", "Text"),
}
EVIDENCE_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "regulation": ("Regulasi", "Regulation"),
    "decree": ("SK/Keputusan", "Decree"),
    "budget": ("Dokumen anggaran", "Budget document"),
    "report": ("Laporan", "Report"),
    "minutes": ("Notulen", "Minutes"),
    "photo": ("Foto", "Photo"),
    "video": ("Video", "Video"),
    "data_table": ("Tabel data", "Data table"),
}
LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "provinsi": ("provinsi", "province"),
    "kabkota": ("kabupaten/kota", "regency/city"),
    "kecamatan": ("kecamatan", "district"),
    "desa": ("desa/kelurahan", "village"),
}


class RegionLevel(StrEnum):
    PROVINSI = "provinsi"
    KABKOTA = "kabkota"
    KECAMATAN = "kecamatan"
    DESA = "desa"


class RecordKind(StrEnum):
    """Facts the platform keeps outside the self-assessment that a question may offer as its answer and evidence."""

    TASKFORCE_DECREE = "taskforce_decree"  # the Gugus Tugas decree in force and its file
    TASKFORCE_MEETINGS = "taskforce_meetings"  # coordination meetings held in the last 12 months, their minutes
    TASKFORCE_MEMBERS = "taskforce_members"  # the task force's members by group (government, vertical, community)


class WeightStatus(StrEnum):
    REFERENCE = "reference"
    OFFICIAL = "official"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class OptionSpec(_Strict):
    code: Code
    label: Text
    label_en: Text
    points: Points


class ThresholdSpec(_Strict):
    """One step of a number/percentage rubric: `at_least` (higher is better) or `at_most` (lower is better)."""

    at_least: Decimal | None = None
    at_most: Decimal | None = None
    points: Points

    @model_validator(mode="after")
    def _one_bound(self) -> Self:
        if (self.at_least is None) == (self.at_most is None):
            raise ValueError("isi tepat satu dari at_least atau at_most")
        return self


class EvidenceSpec(_Strict):
    type: EvidenceType
    description: Text
    description_en: Text
    required: bool = True


class QuestionSpec(_Strict):
    code: Code
    text: Text
    text_en: Text
    type: AnswerType
    max_points: Points
    guidance: str = ""
    guidance_en: str = ""
    unit: str = ""
    numerator_label: str = ""
    denominator_label: str = ""
    options: list[OptionSpec] = []
    thresholds: list[ThresholdSpec] = []
    evidence: list[EvidenceSpec] = []
    # where the platform's own records (the task force's decree, meetings, members) answer this question: the entry
    # page offers those facts and files, attached as evidence by reference
    records: list[RecordKind] = []

    @model_validator(mode="after")
    def _rubric_matches_type(self) -> Self:
        t = self.type
        if t == AnswerType.OPTION:
            if len(self.options) < 2:
                raise ValueError("jawaban bertipe option butuh paling sedikit 2 pilihan (options)")
            dupes = _duplicates(o.code for o in self.options)
            if dupes:
                raise ValueError(f"kode pilihan ganda: {', '.join(dupes)}")
            best = max(o.points for o in self.options)
            if best != self.max_points:
                raise ValueError(f"poin pilihan tertinggi ({best}) harus sama dengan max_points ({self.max_points})")
        elif self.options:
            raise ValueError(f"options hanya untuk jawaban bertipe option, bukan {t.value}")
        if t in (AnswerType.NUMBER, AnswerType.PERCENTAGE):
            if not self.thresholds:
                raise ValueError(f"jawaban bertipe {t.value} butuh rubrik thresholds")
            kinds = {"at_least" if th.at_least is not None else "at_most" for th in self.thresholds}
            if len(kinds) > 1:
                raise ValueError("semua thresholds harus searah: semuanya at_least atau semuanya at_most")
            best = max(th.points for th in self.thresholds)
            if best != self.max_points:
                raise ValueError(f"poin threshold tertinggi ({best}) harus sama dengan max_points ({self.max_points})")
            if t == AnswerType.PERCENTAGE:
                for th in self.thresholds:
                    bound = th.at_least if th.at_least is not None else th.at_most
                    if bound is not None and not (0 <= bound <= 100):
                        raise ValueError(f"batas persentase {bound} harus di antara 0 dan 100")
        elif self.thresholds:
            raise ValueError(f"thresholds hanya untuk jawaban bertipe number atau percentage, bukan {t.value}")
        if t in (AnswerType.DATE, AnswerType.TEXT) and self.max_points != 0:
            raise ValueError(f"jawaban bertipe {t.value} bersifat keterangan: max_points harus 0")
        if t == AnswerType.YES_NO and self.max_points == 0:
            raise ValueError("jawaban bertipe yes_no harus bernilai poin (max_points > 0)")
        return self


class IndicatorSpec(_Strict):
    number: Annotated[int, Field(ge=1, le=999)]
    code: Code
    name: Text
    name_en: Text
    short_name: str = ""
    description: str = ""
    description_en: str = ""
    max_points: Points
    agencies: list[str] = Field(min_length=1)
    questions: list[QuestionSpec] = Field(min_length=1)

    @field_validator("agencies")
    @classmethod
    def _known_agencies(cls, value: list[str]) -> list[str]:
        unknown = [a for a in value if a not in AGENCY_CODES]
        if unknown:
            raise ValueError(f"kode instansi tidak dikenal: {', '.join(unknown)} (lihat kla/agencies/catalogue.py)")
        return value

    @model_validator(mode="after")
    def _points_add_up(self) -> Self:
        dupes = _duplicates(q.code for q in self.questions)
        if dupes:
            raise ValueError(f"kode pertanyaan ganda: {', '.join(dupes)}")
        total = sum((q.max_points for q in self.questions), Decimal(0))
        if total != self.max_points:
            raise ValueError(
                f"jumlah max_points pertanyaan ({total}) tidak sama dengan max_points indikator ({self.max_points})"
            )
        return self


class ClusterSpec(_Strict):
    code: Code
    number: Annotated[int, Field(ge=0, le=99)]
    name: Text
    name_en: Text
    indicators: list[IndicatorSpec] = Field(min_length=1)


class BandSpec(_Strict):
    code: Code
    name: Text
    min: Points
    max: Points

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) lebih besar dari max ({self.max})")
        return self


class GateSpec(_Strict):
    """The self-assessment score must be strictly above `min_exclusive` to proceed to verification."""

    score: Literal["em"] = "em"
    min_exclusive: Points


class CoverageRequirement(_Strict):
    """A stricter province rule: a share of lower-level regions must hold a status (e.g. all kecamatan KELANA)."""

    level: RegionLevel
    label: Text
    min_percent: Annotated[Decimal, Field(ge=0, le=100)]


class ProvinceRuleSpec(_Strict):
    """Provinsi Layak Anak: every kab/kota of the province holds at least `min_band`, plus optional coverage."""

    min_band: Code
    description: Text
    description_en: Text
    also_require: list[CoverageRequirement] = []


class WeightsSpec(_Strict):
    status: WeightStatus
    note: Text
    note_en: Text


class FrameworkSpec(_Strict):
    schema_version: Literal[1]
    code: Code
    year: Annotated[int, Field(ge=2000, le=2100)]
    name: Text
    name_en: Text
    level: RegionLevel
    source: str = ""
    weights: WeightsSpec
    max_total: Points
    gate: GateSpec
    bands: list[BandSpec] = Field(min_length=1)
    province_rule: ProvinceRuleSpec | None = None
    clusters: list[ClusterSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for label, values in (
            ("kode klaster", [c.code for c in self.clusters]),
            ("nomor klaster", [str(c.number) for c in self.clusters]),
            ("nomor indikator", [str(i.number) for i in self.indicators]),
            ("kode indikator", [i.code for i in self.indicators]),
            ("kode pertanyaan", [q.code for i in self.indicators for q in i.questions]),
            ("kode predikat", [b.code for b in self.bands]),
        ):
            dupes = _duplicates(values)
            if dupes:
                raise ValueError(f"{label} ganda: {', '.join(dupes)}")
        total = sum((i.max_points for i in self.indicators), Decimal(0))
        if total != self.max_total:
            raise ValueError(
                f"jumlah max_points semua indikator ({total}) tidak sama dengan max_total ({self.max_total})"
            )
        previous: BandSpec | None = None
        for band in self.bands:
            if band.max > self.max_total:
                raise ValueError(f"predikat {band.code}: max ({band.max}) melebihi max_total ({self.max_total})")
            if previous is not None and band.min <= previous.max:
                raise ValueError(
                    f"predikat {band.code}: min ({band.min}) harus lebih besar dari max predikat "
                    f"{previous.code} ({previous.max}); urutkan predikat dari yang terendah"
                )
            if previous is not None and band.min - previous.max > 1:
                raise ValueError(f"ada celah nilai antara predikat {previous.code} dan {band.code}")
            previous = band
        if self.gate.min_exclusive > self.max_total:
            raise ValueError("gate.min_exclusive melebihi max_total")
        if self.province_rule is not None and self.province_rule.min_band not in {b.code for b in self.bands}:
            raise ValueError(f"province_rule.min_band '{self.province_rule.min_band}' bukan kode predikat di bands")
        return self

    @property
    def indicators(self) -> list[IndicatorSpec]:
        return [i for c in self.clusters for i in c.indicators]


class FrameworkError(ValueError):
    """A framework file that cannot be loaded; `messages` name the field and the problem, one per line."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


def parse_framework(data: object) -> FrameworkSpec:
    """Validate parsed YAML/JSON data; raise `FrameworkError` listing every problem found."""
    if not isinstance(data, dict):
        raise FrameworkError(["(berkas): isi berkas harus berupa objek YAML/JSON, bukan daftar atau teks"])
    try:
        return FrameworkSpec.model_validate(data)
    except ValidationError as exc:
        raise FrameworkError([describe_error(e) for e in exc.errors()]) from None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a framework file (committed as frameworks/framework.schema.json)."""
    schema = FrameworkSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Instrumen evaluasi KLA (framework file)"
    return schema


def _duplicates(values: Iterable[str]) -> list[str]:
    return sorted(v for v, n in Counter(values).items() if n > 1)
