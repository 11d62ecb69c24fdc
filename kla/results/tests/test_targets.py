"""Gap to a target predicate: points needed, ranked opportunities, the covering prefix and the summary."""

from __future__ import annotations

from decimal import Decimal as D
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kla.indicators.framework_schema import parse_framework
from kla.indicators.scoring import BandRule
from kla.results.targets import IndicatorStanding, Opportunity, TargetGap, gap_to_target

FRAMEWORK = Path(__file__).resolve().parents[2] / "indicators" / "frameworks" / "kla-2024.yaml"
FAST = settings(max_examples=200, deadline=None)


@cache
def bands() -> tuple[BandRule, ...]:
    spec = parse_framework(yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8")))
    return tuple(BandRule(b.code, b.name, b.min, b.max) for b in spec.bands)


def standing(code: str, points: str, max_points: str, *agencies: str, cluster: str = "KL") -> IndicatorStanding:
    return IndicatorStanding(code, f"Indikator {code}", cluster, D(points), D(max_points), agencies)


# A kab/kota at 527.60 (Pratama): indicators of kla-2024 with their reference maxima.
STANDINGS = (
    standing("1", "40", "60", "Bappeda", "Bagian Hukum", "Dinas PPPA"),  # 20 open
    standing("2", "80", "110", "Bappeda", "Dinas PPPA"),  # 30 open
    standing("4", "45", "45", "Disdukcapil", cluster="K1"),  # full: no opportunity
    standing("10", "15", "40", "Dinas Pendidikan", cluster="K2"),  # 25 open
    standing("13", "30", "55", "Dinas Kesehatan", cluster="K3"),  # 25 open, ties with 10
    standing("21", "50.40", "60", "Dinas Sosial", cluster="K5"),  # 9.60 open
)


def test_bands_are_those_of_kla_2024() -> None:
    assert [(b.code, b.min_score, b.max_score) for b in bands()] == [
        ("pratama", 500, 600), ("madya", 601, 700), ("nindya", 701, 800), ("utama", 801, 900), ("kla", 901, 1000)
    ]  # fmt: skip


def test_worked_example_pratama_to_madya() -> None:
    gap = gap_to_target(D("527.60"), STANDINGS, bands(), "madya")
    assert gap.current is not None and gap.current.code == "pratama"
    assert gap.target.code == "madya"
    assert gap.points_needed == D("73.40")
    assert not gap.reached and gap.enough
    assert [(o.code, o.attainable) for o in gap.opportunities] == [
        ("2", D(30)), ("10", D(25)), ("13", D(25)), ("1", D(20)), ("21", D("9.60"))
    ]  # fmt: skip
    assert [o.code for o in gap.covering()] == ["2", "10", "13"]  # 30 + 25 + 25 = 80 ≥ 73.40
    assert gap.opportunities[0] == Opportunity(
        "2", "Indikator 2", "KL", D(80), D(110), D(30), ("Bappeda", "Dinas PPPA")
    )
    assert gap.summary() == (
        "Perlu 73,40 poin lagi untuk predikat Madya (minimal 601). 3 indikator teratas dapat menutup kekurangan ini."
    )


def test_below_every_band_to_pratama() -> None:
    gap = gap_to_target(D("480"), STANDINGS, bands(), "pratama")
    assert gap.current is None
    assert gap.points_needed == D(20)
    assert [o.code for o in gap.covering()] == ["2"]
    assert gap.summary().startswith("Perlu 20,00 poin lagi untuk predikat Pratama (minimal 500). 1 indikator")


def test_reached_target() -> None:
    gap = gap_to_target(D("640"), STANDINGS, bands(), "madya")
    assert gap.reached and gap.enough
    assert gap.points_needed == 0
    assert gap.covering() == []
    assert gap.opportunities  # still listed: they raise the score further
    assert gap.summary() == "Target Madya sudah tercapai (nilai 640,00)."


def test_exactly_at_the_minimum_is_reached() -> None:
    gap = gap_to_target(D("601.00"), (), bands(), "madya")
    assert gap.reached and gap.points_needed == 0 and gap.current == gap.target


def test_unknown_target() -> None:
    with pytest.raises(ValueError, match=r"^Predikat target 'emas' tidak dikenal\.$"):
        gap_to_target(D(550), STANDINGS, bands(), "emas")


def test_ties_are_ranked_by_code_in_natural_order() -> None:
    tied = [standing(c, "0", "10") for c in ("10", "2", "1.b", "1.a", "B", "A")]
    gap = gap_to_target(D(0), tied, bands(), "pratama")
    assert [o.code for o in gap.opportunities] == ["1.a", "1.b", "2", "10", "A", "B"]


def test_covering_is_the_shortest_prefix() -> None:
    items = [standing("1", "0", "30"), standing("2", "0", "20"), standing("3", "0", "10")]
    assert [o.code for o in gap_to_target(D(470), items, bands(), "pratama").covering()] == ["1"]  # 30 needed
    assert [o.code for o in gap_to_target(D("469.99"), items, bands(), "pratama").covering()] == ["1", "2"]
    assert [o.code for o in gap_to_target(D(440), items, bands(), "pratama").covering()] == ["1", "2", "3"]


def test_not_enough_open_points() -> None:
    gap = gap_to_target(D("527.60"), STANDINGS, bands(), "kla")
    assert gap.points_needed == D("373.40")
    assert not gap.enough and not gap.reached
    assert gap.covering() == gap.opportunities
    assert gap.summary() == (
        "Perlu 373,40 poin lagi untuk predikat KLA (minimal 901). Seluruh poin yang masih terbuka (109,60) belum cukup."
    )


def test_no_open_points_at_all() -> None:
    gap = gap_to_target(D(300), [standing("4", "45", "45")], bands(), "pratama")
    assert gap.opportunities == [] and gap.covering() == [] and not gap.enough
    assert gap.summary().endswith("Seluruh poin yang masih terbuka (0,00) belum cukup.")


def test_negative_attainable_is_clamped() -> None:
    # Points above the maximum (a framework whose maxima were lowered) leave nothing open, never a negative.
    gap = gap_to_target(D(550), [standing("1", "70", "60"), standing("2", "5", "10")], bands(), "madya")
    assert [(o.code, o.attainable) for o in gap.opportunities] == [("2", D(5))]


def test_score_above_the_top_band_is_refused() -> None:
    with pytest.raises(ValueError):
        gap_to_target(D("1000.01"), (), bands(), "kla")


# Properties.
hundredths = st.integers(min_value=0, max_value=100_000).map(lambda n: D(n).scaleb(-2))
standings = st.lists(
    st.builds(
        lambda code, points, max_points: IndicatorStanding(code, code, "K1", points, max_points, ()),
        st.text("0123456789.", min_size=1, max_size=4),
        st.integers(min_value=0, max_value=15_000).map(lambda n: D(n).scaleb(-2)),
        st.integers(min_value=0, max_value=12_000).map(lambda n: D(n).scaleb(-2)),
    ),
    max_size=24,
)
target_codes = st.sampled_from(["pratama", "madya", "nindya", "utama", "kla"])


@FAST
@given(hundredths, standings, target_codes)
def test_property_gap(score: D, items: list[IndicatorStanding], target_code: str) -> None:
    gap: TargetGap = gap_to_target(score, items, bands(), target_code)
    assert gap.points_needed == max(D(0), gap.target.min_score - score)
    assert gap.reached == (gap.points_needed == 0)
    assert all(o.attainable > 0 for o in gap.opportunities)
    assert [o.attainable for o in gap.opportunities] == sorted((o.attainable for o in gap.opportunities), reverse=True)
    open_points = sum((o.attainable for o in gap.opportunities), D(0))
    assert open_points == sum((max(D(0), s.max_points - s.points) for s in items), D(0))
    assert gap.enough == (open_points >= gap.points_needed)
    covering = gap.covering()
    assert covering == gap.opportunities[: len(covering)]
    if gap.enough and not gap.reached:
        assert sum((o.attainable for o in covering), D(0)) >= gap.points_needed
        assert sum((o.attainable for o in covering[:-1]), D(0)) < gap.points_needed  # shortest such prefix
