"""The seal on verified results: which score stages and which predicate each viewer may see, and when."""

from __future__ import annotations

from decimal import Decimal as D
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kla.evaluations.seal import (
    SCORE_STAGE_LABELS,
    SCORE_STAGE_SHORT,
    ScoreStage,
    Viewer,
    predicate_visible,
    redact,
    visible_predicate,
    visible_stages,
)
from kla.indicators.framework_schema import parse_framework
from kla.indicators.scoring import BandRule, predicate_for

FRAMEWORK = Path(__file__).resolve().parents[2] / "indicators" / "frameworks" / "kla-2024.yaml"
FAST = settings(max_examples=300, deadline=None)

EM, PROV, KEM, VL, FINAL = (
    ScoreStage.EM,
    ScoreStage.PROVINCE_VA,
    ScoreStage.MINISTRY_VA,
    ScoreStage.VL,
    ScoreStage.FINAL,
)
ALL = frozenset(ScoreStage)
SHEET = {EM: D("812.50"), PROV: D("760.00"), KEM: D("705.25"), VL: D("650.00"), FINAL: D("640.00")}


@cache
def bands() -> list[BandRule]:
    spec = parse_framework(yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8")))
    return [BandRule(b.code, b.name, b.min, b.max) for b in spec.bands]


def band(code: str) -> BandRule:
    return next(b for b in bands() if b.code == code)


def test_every_stage_has_labels() -> None:
    assert set(SCORE_STAGE_LABELS) == set(SCORE_STAGE_SHORT) == ALL


# --- visible_stages: the whole table -----------------------------------------------------------------------------

TABLE: list[tuple[Viewer, bool, bool, frozenset[ScoreStage]]] = [
    # viewer, published, public_details → visible stages
    (Viewer.MINISTRY, False, False, ALL),
    (Viewer.MINISTRY, False, True, ALL),
    (Viewer.MINISTRY, True, False, ALL),
    (Viewer.MINISTRY, True, True, ALL),
    (Viewer.PROVINCE, False, False, frozenset({EM, PROV})),
    (Viewer.PROVINCE, False, True, frozenset({EM, PROV})),
    (Viewer.PROVINCE, True, False, ALL),
    (Viewer.PROVINCE, True, True, ALL),
    (Viewer.REGION, False, False, frozenset({EM})),
    (Viewer.REGION, False, True, frozenset({EM})),
    (Viewer.REGION, True, False, ALL),
    (Viewer.REGION, True, True, ALL),
    (Viewer.PUBLIC, False, False, frozenset()),
    (Viewer.PUBLIC, False, True, frozenset()),
    (Viewer.PUBLIC, True, False, frozenset()),
    (Viewer.PUBLIC, True, True, frozenset({FINAL})),
]


def test_table_covers_every_combination() -> None:
    assert {(v, p, d) for v, p, d, _ in TABLE} == {
        (v, p, d) for v in Viewer for p in (False, True) for d in (False, True)
    }


@pytest.mark.parametrize(("viewer", "published", "details", "expected"), TABLE)
def test_visible_stages(viewer: Viewer, published: bool, details: bool, expected: frozenset[ScoreStage]) -> None:
    assert visible_stages(viewer, published=published, public_details=details) == expected


@pytest.mark.parametrize(("viewer", "published", "details", "expected"), TABLE)
def test_redact_follows_the_table(
    viewer: Viewer, published: bool, details: bool, expected: frozenset[ScoreStage]
) -> None:
    assert redact(SHEET, viewer, published=published, public_details=details) == {
        s: v for s, v in SHEET.items() if s in expected
    }


def test_public_details_default_is_off() -> None:
    assert visible_stages(Viewer.PUBLIC, published=True) == frozenset()
    assert redact(SHEET, Viewer.PUBLIC, published=True) == {}


def test_before_publication_nobody_but_the_ministry_sees_verified_scores() -> None:
    verified = {KEM, VL, FINAL}
    for viewer in (Viewer.PROVINCE, Viewer.REGION, Viewer.PUBLIC):
        for details in (False, True):
            assert not visible_stages(viewer, published=False, public_details=details) & verified


# --- predicates --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", list(Viewer))
@pytest.mark.parametrize("published", [False, True])
def test_predicate_visible(viewer: Viewer, published: bool) -> None:
    assert predicate_visible(viewer, published=published) is (viewer == Viewer.MINISTRY or published)


@pytest.mark.parametrize("viewer", list(Viewer))
@pytest.mark.parametrize("published", [False, True])
def test_no_predicate_without_a_final_score(viewer: Viewer, published: bool) -> None:
    scores = {EM: D("950"), PROV: D("920"), KEM: D("910"), VL: D("905")}
    assert visible_predicate(scores, bands(), viewer, published=published) is None
    assert visible_predicate({}, bands(), viewer, published=published) is None


@pytest.mark.parametrize("viewer", [Viewer.PROVINCE, Viewer.REGION, Viewer.PUBLIC])
def test_no_predicate_for_others_before_publication(viewer: Viewer) -> None:
    assert visible_predicate(SHEET, bands(), viewer, published=False) is None


def test_ministry_sees_the_predicate_before_publication() -> None:
    assert visible_predicate(SHEET, bands(), Viewer.MINISTRY, published=False) == band("madya")


@pytest.mark.parametrize("viewer", list(Viewer))
def test_everybody_sees_the_predicate_after_publication(viewer: Viewer) -> None:
    assert visible_predicate(SHEET, bands(), viewer, published=True) == band("madya")


def test_predicate_comes_from_the_final_score_only() -> None:
    # EM says KLA, the intermediate stages say Utama/Nindya; the final score is below every band.
    scores = {EM: D("950"), PROV: D("850"), KEM: D("750"), VL: D("650"), FINAL: D("480")}
    assert visible_predicate(scores, bands(), Viewer.MINISTRY, published=True) is None
    scores[FINAL] = D("500")
    assert visible_predicate(scores, bands(), Viewer.MINISTRY, published=True) == band("pratama")
    scores[FINAL] = D("901")
    assert visible_predicate(scores, bands(), Viewer.PUBLIC, published=True) == band("kla")


def test_an_em_score_alone_never_leaks_a_predicate() -> None:
    for viewer in Viewer:
        for published in (False, True):
            assert visible_predicate({EM: D("1000")}, bands(), viewer, published=published) is None


# --- properties --------------------------------------------------------------------------------------------------

scores_strategy = st.dictionaries(
    st.sampled_from(ScoreStage),
    st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False),
)


@FAST
@given(scores_strategy, st.sampled_from(Viewer), st.booleans())
def test_visible_predicate_is_sealed_and_from_final(
    scores: dict[ScoreStage, D], viewer: Viewer, published: bool
) -> None:
    result = visible_predicate(scores, bands(), viewer, published=published)
    if result is not None:
        assert viewer == Viewer.MINISTRY or published
        assert FINAL in scores
        assert result == predicate_for(scores[FINAL], bands())
    if (viewer == Viewer.MINISTRY or published) and FINAL in scores:
        assert result == predicate_for(scores[FINAL], bands())
    # changing any other stage never changes the predicate
    others = {s: D("1000") - v for s, v in scores.items() if s != FINAL}
    if FINAL in scores:
        others[FINAL] = scores[FINAL]
    assert visible_predicate(others, bands(), viewer, published=published) == result


@FAST
@given(scores_strategy, st.sampled_from(Viewer), st.booleans(), st.booleans())
def test_redact_only_returns_allowed_stages(
    scores: dict[ScoreStage, D], viewer: Viewer, published: bool, details: bool
) -> None:
    allowed = visible_stages(viewer, published=published, public_details=details)
    shown = redact(scores, viewer, published=published, public_details=details)
    assert set(shown) <= allowed
    assert set(shown) == set(scores) & allowed
    assert all(shown[s] == scores[s] for s in shown)
    if not published and viewer != Viewer.MINISTRY:
        assert not set(shown) & {KEM, VL, FINAL}


@FAST
@given(st.sampled_from(Viewer), st.booleans(), st.booleans())
def test_publication_and_details_only_ever_widen_the_view(viewer: Viewer, published: bool, details: bool) -> None:
    seen = visible_stages(viewer, published=published, public_details=details)
    assert seen <= visible_stages(viewer, published=True, public_details=details)
    assert seen <= visible_stages(viewer, published=published, public_details=True)
    assert seen <= visible_stages(Viewer.MINISTRY, published=published, public_details=details)
