"""Provinsi Layak Anak (PROVILA): does a province meet its framework's province rule?

The rule is stored as JSON on ``Framework.province_rule`` (the shape of `ProvinceRuleSpec`): every kab/kota of
the province must hold at least `min_band`, and optionally a share of lower-level regions must hold a status
(`also_require`, e.g. 100% of kecamatan). `province_status` lists every blocker with its reason in Indonesian,
so a province sees which kab/kota, and how many points, stand between it and the status.

Pure module: no Django import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NotRequired, TypedDict

from kla.core.formatting import format_number
from kla.indicators.bands import BandRule, predicate_for
from kla.regions.levels import LEVEL_LABELS, Level


class CoverageJSON(TypedDict):
    level: str
    min_percent: str | int | float
    label: NotRequired[str | None]


class ProvinceRuleJSON(TypedDict):
    """``Framework.province_rule`` as stored (validated on loading by `framework_schema.ProvinceRuleSpec`)."""

    min_band: str
    description: NotRequired[str | None]
    also_require: NotRequired[Sequence[CoverageJSON] | None]


@dataclass(frozen=True, slots=True)
class CoverageRule:  # at least min_percent of the province's regions at `level` must hold the status in `label`
    level: str
    label: str
    min_percent: Decimal


@dataclass(frozen=True, slots=True)
class ProvinceRule:
    min_band: str
    description: str
    also_require: tuple[CoverageRule, ...] = ()

    @classmethod
    def from_json(cls, data: ProvinceRuleJSON | None) -> ProvinceRule | None:
        """Read ``Framework.province_rule``; None (a framework without the rule) gives None."""
        if data is None:
            return None
        rules = []
        for item in data.get("also_require") or ():
            level = str(item["level"])
            label = str(item.get("label") or (LEVEL_LABELS[Level(level)] if level in Level else level))
            rules.append(CoverageRule(level, label, Decimal(str(item["min_percent"]))))
        return cls(str(data["min_band"]), str(data.get("description") or ""), tuple(rules))


class Standing(StrEnum):
    """Where a kab/kota of the province stands in the cycle, beside its score."""

    RESULT = "result"  # an evaluation: judged by its score (None while no result is known to the viewer)
    NO_EVALUATION = "no_evaluation"  # the kab/kota has no evaluation in the cycle
    BELOW_GATE = "below_gate"  # stopped at the EM gate: never meets the rule in this cycle


@dataclass(frozen=True, slots=True)
class KabKotaStanding:
    code: str
    name: str
    score: Decimal | None  # None: no result (not submitted, not determined, or sealed for this viewer)
    standing: Standing = Standing.RESULT  # BELOW_GATE: `score` is the EM score, when the viewer may see it


@dataclass(frozen=True, slots=True)
class Blocker:  # one kab/kota below the rule, or one coverage requirement not met (code = the level)
    code: str
    name: str
    reason: str
    points_needed: Decimal | None  # score points a kab/kota lacks; None when unknown or not about a score


@dataclass(frozen=True)
class ProvilaStatus:
    eligible: bool
    min_band: BandRule
    total: int  # kab/kota in the province
    meeting: int  # kab/kota holding min_band or higher
    blockers: list[Blocker]  # kab/kota (most points needed first, no result last, then name), then coverage
    coverage: tuple[CoverageRule, ...] = ()  # the coverage requirements that were checked

    def summary(self) -> str:
        """Indonesian summary for the province page, one sentence per part of the rule."""
        band = f"berpredikat minimal {self.min_band.name}"
        if self.total == 0:
            head = "Belum memenuhi syarat: tidak ada kabupaten/kota di provinsi ini."
        elif self.eligible:
            head = f"Memenuhi syarat Provinsi Layak Anak: {self.meeting} dari {self.total} kabupaten/kota {band}."
        elif self.meeting < self.total:
            head = f"Belum memenuhi syarat: {self.total - self.meeting} dari {self.total} kabupaten/kota belum {band}."
        else:
            head = f"Belum memenuhi syarat: {self.meeting} dari {self.total} kabupaten/kota sudah {band}."
        if not self.coverage:
            return head
        levels = {r.level for r in self.coverage}
        failing = [b.reason for b in self.blockers if b.code in levels]
        if failing:
            return f"{head} Syarat cakupan belum terpenuhi: {'; '.join(failing)}."
        return f"{head} Syarat cakupan terpenuhi."


def _stopped_blocker(standing: KabKotaStanding, min_band: BandRule) -> Blocker:
    """A kab/kota without an evaluation in the cycle, or stopped at the EM gate: a blocker whatever its score."""
    if standing.standing == Standing.NO_EVALUATION:
        return Blocker(standing.code, standing.name, "Tidak ada evaluasi pada siklus ini", None)
    if standing.score is None:
        return Blocker(standing.code, standing.name, "Tidak memenuhi ambang batas evaluasi mandiri", None)
    short = max(Decimal(0), min_band.min_score - standing.score)
    reason = (
        f"Tidak memenuhi ambang batas evaluasi mandiri (nilai EM {format_number(standing.score, 2)}): "
        f"kurang {format_number(short, 2)} poin untuk {min_band.name} (minimal {format_number(min_band.min_score)})"
    )
    return Blocker(standing.code, standing.name, reason, short)


def _kabkota_blocker(standing: KabKotaStanding, min_band: BandRule, bands: Sequence[BandRule]) -> Blocker | None:
    if standing.standing != Standing.RESULT:
        return _stopped_blocker(standing, min_band)
    if standing.score is None:
        return Blocker(standing.code, standing.name, "Belum ada hasil evaluasi", None)
    band = predicate_for(standing.score, bands)
    if band is not None and band.min_score >= min_band.min_score:
        return None
    short = min_band.min_score - standing.score
    reason = (
        f"Nilai {format_number(standing.score, 2)} di bawah {min_band.name} "
        f"(minimal {format_number(min_band.min_score)}): "
        f"kurang {format_number(short, 2)} poin"
    )
    return Blocker(standing.code, standing.name, reason, short)


def _coverage_blocker(rule: CoverageRule, achieved: Decimal | None) -> Blocker | None:
    if achieved is None:
        return Blocker(rule.level, rule.label, f"Cakupan {rule.label} belum tercatat", None)
    if achieved >= rule.min_percent:
        return None
    reason = (
        f"Cakupan {rule.label} {format_number(achieved, 2)}% di bawah syarat {format_number(rule.min_percent)}%: "
        f"kurang {format_number(rule.min_percent - achieved, 2)} poin persentase"
    )
    return Blocker(rule.level, rule.label, reason, None)


def province_status(
    rule: ProvinceRule,
    standings: Sequence[KabKotaStanding],
    bands: Sequence[BandRule],
    coverage: Mapping[str, Decimal | None] | None = None,
) -> ProvilaStatus:
    """Check the rule against the latest result of every kab/kota and the achieved coverage per level (percent).

    Raises ValueError when `rule.min_band` is not among `bands`.
    """
    min_band = next((b for b in bands if b.code == rule.min_band), None)
    if min_band is None:
        raise ValueError(f"Predikat minimal '{rule.min_band}' tidak dikenal.")
    checked = [_kabkota_blocker(s, min_band, bands) for s in standings]
    below = [b for b in checked if b is not None]
    below.sort(key=lambda b: (b.points_needed is None, -(b.points_needed or 0), b.name))
    meeting = len(standings) - len(below)
    if not standings:
        below.append(Blocker("", "", "Tidak ada kabupaten/kota", None))
    achieved = coverage or {}
    covering = [_coverage_blocker(r, achieved.get(r.level)) for r in rule.also_require]
    blockers = below + [b for b in covering if b is not None]
    return ProvilaStatus(
        eligible=not blockers,
        min_band=min_band,
        total=len(standings),
        meeting=meeting,
        blockers=blockers,
        coverage=rule.also_require,
    )
