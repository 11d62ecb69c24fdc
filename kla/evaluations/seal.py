"""Which scores a viewer may see, and when: the seal on verified results. Pure module: no Django import.

Scores are stored per stage (self-assessment EM, province administrative verification, ministry administrative
verification, field verification VL, final). Before a cycle is published, only the ministry sees verified scores and
predicates; a region sees its own EM, and a province also sees the administrative verification it made itself.
After publication the region and its province see the whole score sheet, and the public sees predicates (and final
totals only when the cycle allows it). Every view, export, notification and API response asks this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum

from kla.core.marking import gettext_noop
from kla.indicators.bands import BandRule, predicate_for


class ScoreStage(StrEnum):
    EM = "em"
    PROVINCE_VA = "province_va"
    MINISTRY_VA = "ministry_va"
    VL = "vl"
    FINAL = "final"


SCORE_STAGE_LABELS: dict[ScoreStage, str] = {  # Indonesian; a page shows them through gettext
    ScoreStage.EM: gettext_noop("Evaluasi mandiri (EM)"),
    ScoreStage.PROVINCE_VA: gettext_noop("Verifikasi administrasi provinsi"),
    ScoreStage.MINISTRY_VA: gettext_noop("Verifikasi administrasi Kementerian"),
    ScoreStage.VL: gettext_noop("Verifikasi lapangan (VL)"),
    ScoreStage.FINAL: gettext_noop("Nilai akhir"),
}
SCORE_STAGE_SHORT: dict[ScoreStage, str] = {
    ScoreStage.EM: "EM",
    ScoreStage.PROVINCE_VA: "VA Prov",
    ScoreStage.MINISTRY_VA: "VA Kem",
    ScoreStage.VL: "VL",
    ScoreStage.FINAL: "Akhir",
}


class Viewer(StrEnum):
    """How a person stands towards one region's evaluation."""

    MINISTRY = "ministry"  # national roles
    PROVINCE = "province"  # the province reviewer whose province holds the region
    REGION = "region"  # the kab/kota's own task force and agencies
    PUBLIC = "public"  # anyone else, signed in or not


def visible_stages(viewer: Viewer, *, published: bool, public_details: bool = False) -> frozenset[ScoreStage]:
    """The score stages `viewer` may see for a region's evaluation."""
    if viewer == Viewer.MINISTRY or (published and viewer in (Viewer.PROVINCE, Viewer.REGION)):
        return frozenset(ScoreStage)
    if viewer == Viewer.PROVINCE:
        return frozenset({ScoreStage.EM, ScoreStage.PROVINCE_VA})
    if viewer == Viewer.REGION:
        return frozenset({ScoreStage.EM})
    return frozenset({ScoreStage.FINAL}) if published and public_details else frozenset()


def predicate_visible(viewer: Viewer, *, published: bool) -> bool:
    """Predicates are sealed like verified scores: the ministry before publication, everybody after it."""
    return viewer == Viewer.MINISTRY or published


def visible_predicate(
    scores: Mapping[ScoreStage, Decimal], bands: list[BandRule], viewer: Viewer, *, published: bool
) -> BandRule | None:
    """The predicate `viewer` may see: only ever from the final score, and only when predicates are visible to them.

    A predicate is never derived from the self-assessment or from an intermediate stage, so an EM score can never
    leak a sealed predicate.
    """
    if not predicate_visible(viewer, published=published) or ScoreStage.FINAL not in scores:
        return None
    return predicate_for(scores[ScoreStage.FINAL], bands)


def redact(
    scores: Mapping[ScoreStage, Decimal], viewer: Viewer, *, published: bool, public_details: bool = False
) -> dict[ScoreStage, Decimal]:
    """Only the stages `viewer` may see."""
    allowed = visible_stages(viewer, published=published, public_details=public_details)
    return {stage: value for stage, value in scores.items() if stage in allowed}
