"""Provinsi Layak Anak: the province rule read from JSON and checked against kab/kota results and coverage."""

from __future__ import annotations

import json
from decimal import Decimal as D
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kla.indicators.framework_schema import ProvinceRuleSpec, parse_framework
from kla.indicators.scoring import BandRule
from kla.results.provila import Blocker, CoverageRule, KabKotaStanding, ProvinceRule, Standing, province_status

FRAMEWORK = Path(__file__).resolve().parents[2] / "indicators" / "frameworks" / "kla-2024.yaml"
FAST = settings(max_examples=200, deadline=None)
KECAMATAN = {"level": "kecamatan", "label": "Kecamatan Layak Anak (KELANA)", "min_percent": "100"}


@cache
def framework() -> Any:
    return yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))


@cache
def bands() -> tuple[BandRule, ...]:
    return tuple(BandRule(b.code, b.name, b.min, b.max) for b in parse_framework(framework()).bands)


def stored(spec: ProvinceRuleSpec) -> Any:  # as services.py stores it: Decimals become strings
    return json.loads(spec.model_dump_json())


@cache
def bundled_rule() -> ProvinceRule:
    spec = parse_framework(framework()).province_rule
    assert spec is not None
    rule = ProvinceRule.from_json(stored(spec))
    assert rule is not None
    return rule


def strict_rule() -> ProvinceRule:  # the stricter variant: every kecamatan a KELANA as well
    rule = ProvinceRule.from_json({"min_band": "pratama", "description": "Ketat", "also_require": [KECAMATAN]})
    assert rule is not None
    return rule


def province(*scores: str | None) -> list[KabKotaStanding]:  # Jambi-like: 16.01, 16.02, …
    return [
        KabKotaStanding(f"16.{i:02d}", f"Kab/Kota {i:02d}", None if s is None else D(s))
        for i, s in enumerate(scores, 1)
    ]


ALL_MEETING = ("500", "600.50", "640", "755.25", "820", "999.99", "1000")


def test_from_json_round_trip_of_the_bundled_rule() -> None:
    rule = bundled_rule()
    assert rule.min_band == "pratama" and rule.also_require == ()
    assert rule.description.startswith("Provinsi Layak Anak (PROVILA): seluruh kabupaten/kota")


def test_from_json_round_trip_with_coverage() -> None:
    spec = ProvinceRuleSpec.model_validate(
        {"min_band": "madya", "description": "D", "description_en": "E", "also_require": [KECAMATAN]}
    )
    rule = ProvinceRule.from_json(stored(spec))
    assert rule == ProvinceRule("madya", "D", (CoverageRule("kecamatan", "Kecamatan Layak Anak (KELANA)", D(100)),))


def test_from_json_tolerates_missing_parts_and_numbers() -> None:
    assert ProvinceRule.from_json(None) is None
    assert ProvinceRule.from_json({"min_band": "pratama"}) == ProvinceRule("pratama", "")
    rule = ProvinceRule.from_json(
        {"min_band": "pratama", "description": "x", "also_require": [
            {"level": "kecamatan", "label": "K", "min_percent": 100},
            {"level": "desa", "min_percent": 87.5},
        ]}
    )  # fmt: skip
    assert rule is not None
    assert rule.also_require == (
        CoverageRule("kecamatan", "K", D(100)),
        CoverageRule("desa", "Desa/Kelurahan", D("87.5")),
    )


def test_all_kab_kota_meeting() -> None:
    status = province_status(bundled_rule(), province(*ALL_MEETING), bands())
    assert status.eligible and status.blockers == []
    assert (status.total, status.meeting, status.min_band.code) == (7, 7, "pratama")
    assert (
        status.summary() == "Memenuhi syarat Provinsi Layak Anak: 7 dari 7 kabupaten/kota berpredikat minimal Pratama."
    )


def test_one_without_result() -> None:
    status = province_status(bundled_rule(), province(*ALL_MEETING, None), bands())
    assert not status.eligible and status.meeting == 7 and status.total == 8
    assert status.blockers == [Blocker("16.08", "Kab/Kota 08", "Belum ada hasil evaluasi", None)]
    assert status.summary() == "Belum memenuhi syarat: 1 dari 8 kabupaten/kota belum berpredikat minimal Pratama."


def test_one_below_with_exact_points_needed() -> None:
    status = province_status(bundled_rule(), province("480", *ALL_MEETING), bands())
    assert status.blockers == [
        Blocker("16.01", "Kab/Kota 01", "Nilai 480,00 di bawah Pratama (minimal 500): kurang 20,00 poin", D(20))
    ]
    assert status.meeting == 7


def test_blockers_sorted_by_points_needed_then_missing_then_name() -> None:
    status = province_status(bundled_rule(), province(None, "499.99", "350", "480", "480", "510"), bands())
    assert [(b.code, b.points_needed) for b in status.blockers] == [
        ("16.03", D(150)), ("16.04", D(20)), ("16.05", D(20)), ("16.02", D("0.01")), ("16.01", None)
    ]  # fmt: skip
    assert status.summary() == "Belum memenuhi syarat: 5 dari 6 kabupaten/kota belum berpredikat minimal Pratama."


def test_higher_min_band() -> None:  # 600.50 is still Pratama (bands are lower bounds), so it misses Madya by 0.50
    status = province_status(ProvinceRule("madya", ""), province("600.50", "601"), bands())
    assert [(b.code, b.points_needed) for b in status.blockers] == [("16.01", D("0.50"))]
    assert status.blockers[0].reason == "Nilai 600,50 di bawah Madya (minimal 601): kurang 0,50 poin"


def test_empty_province_is_not_eligible() -> None:
    status = province_status(bundled_rule(), [], bands())
    assert not status.eligible and (status.total, status.meeting) == (0, 0)
    assert status.blockers == [Blocker("", "", "Tidak ada kabupaten/kota", None)]
    assert status.summary() == "Belum memenuhi syarat: tidak ada kabupaten/kota di provinsi ini."


def test_unknown_min_band() -> None:
    with pytest.raises(ValueError, match="'emas' tidak dikenal"):
        province_status(ProvinceRule("emas", ""), province("700"), bands())


def test_coverage_unknown() -> None:
    for coverage in (None, {}, {"kecamatan": None}):
        status = province_status(strict_rule(), province(*ALL_MEETING), bands(), coverage)
        assert not status.eligible and status.meeting == status.total == 7
        assert status.blockers == [
            Blocker(
                "kecamatan",
                "Kecamatan Layak Anak (KELANA)",
                "Cakupan Kecamatan Layak Anak (KELANA) belum tercatat",
                None,
            )
        ]
    assert status.summary() == (
        "Belum memenuhi syarat: 7 dari 7 kabupaten/kota sudah berpredikat minimal Pratama. "
        "Syarat cakupan belum terpenuhi: Cakupan Kecamatan Layak Anak (KELANA) belum tercatat."
    )


def test_coverage_below() -> None:
    status = province_status(strict_rule(), province("480", *ALL_MEETING), bands(), {"kecamatan": D("92.5")})
    assert [b.code for b in status.blockers] == ["16.01", "kecamatan"]  # kab/kota first, then coverage
    assert status.blockers[1].reason == (
        "Cakupan Kecamatan Layak Anak (KELANA) 92,50% di bawah syarat 100%: kurang 7,50 poin persentase"
    )
    assert status.blockers[1].points_needed is None
    assert status.summary().endswith("Syarat cakupan belum terpenuhi: " + status.blockers[1].reason + ".")


def test_two_coverage_rules_below_are_named_in_one_sentence() -> None:
    desa = CoverageRule("desa", "Desa/Kelurahan Layak Anak", D(80))
    rule = ProvinceRule("pratama", "", (CoverageRule("kecamatan", "KELANA", D(100)), desa))
    status = province_status(rule, province(*ALL_MEETING), bands(), {"kecamatan": D(90), "desa": D(60)})
    assert [(b.code, b.name) for b in status.blockers] == [
        ("kecamatan", "KELANA"),
        ("desa", "Desa/Kelurahan Layak Anak"),
    ]
    assert status.summary() == (
        "Belum memenuhi syarat: 7 dari 7 kabupaten/kota sudah berpredikat minimal Pratama. Syarat cakupan belum "
        "terpenuhi: Cakupan KELANA 90,00% di bawah syarat 100%: kurang 10,00 poin persentase; Cakupan Desa/Kelurahan "
        "Layak Anak 60,00% di bawah syarat 80%: kurang 20,00 poin persentase."
    )


def test_a_coverage_level_that_is_not_a_region_level_is_its_own_label() -> None:
    rule = ProvinceRule.from_json({"min_band": "pratama", "also_require": [{"level": "sekolah", "min_percent": 50}]})
    assert rule is not None and rule.also_require == (CoverageRule("sekolah", "sekolah", D(50)),)


def test_coverage_met() -> None:
    status = province_status(strict_rule(), province(*ALL_MEETING), bands(), {"kecamatan": D(100)})
    assert status.eligible and status.blockers == []
    assert status.summary().endswith("berpredikat minimal Pratama. Syarat cakupan terpenuhi.")


# Properties.
scores = st.one_of(st.none(), st.integers(min_value=0, max_value=100_000).map(lambda n: D(n).scaleb(-2)))
percents = st.one_of(st.none(), st.integers(min_value=0, max_value=10_000).map(lambda n: D(n).scaleb(-2)))


@FAST
@given(st.lists(scores, max_size=20), st.sampled_from([b.code for b in bands()]), st.booleans(), percents)
def test_property_status(values: list[D | None], min_band: str, strict: bool, percent: D | None) -> None:
    rule = ProvinceRule(min_band, "", (CoverageRule("kecamatan", "KELANA", D(100)),) if strict else ())
    standings = province(*(None if v is None else str(v) for v in values))
    status = province_status(rule, standings, bands(), {"kecamatan": percent})
    assert status.eligible == (not status.blockers)
    codes = {s.code for s in standings}
    kabkota = [b for b in status.blockers if b.code in codes]
    assert status.meeting + len(kabkota) == status.total == len(standings)
    floor = status.min_band.min_score
    assert status.meeting == sum(v is not None and v >= floor for v in values)
    for b in kabkota:
        value = values[int(b.code[3:]) - 1]
        assert b.points_needed == (None if value is None else floor - value)


# --- every kab/kota counts (issue 21 item 2) ------------------------------------------------------------------------


def test_a_kabkota_without_an_evaluation_blocks_the_status() -> None:
    standings = [*province(*ALL_MEETING), KabKotaStanding("16.99", "Kab Uji", None, Standing.NO_EVALUATION)]
    status = province_status(bundled_rule(), standings, bands())
    assert not status.eligible and (status.meeting, status.total) == (7, 8)
    assert status.blockers == [Blocker("16.99", "Kab Uji", "Tidak ada evaluasi pada siklus ini", None)]
    assert status.summary().startswith("Belum memenuhi syarat: 1 dari 8 kabupaten/kota")


def test_a_kabkota_stopped_at_the_gate_blocks_whatever_its_score_with_the_points_lacking() -> None:
    stopped = KabKotaStanding("16.08", "Kab/Kota 08", D("45"), Standing.BELOW_GATE)
    status = province_status(bundled_rule(), [*province(*ALL_MEETING), stopped], bands())
    [blocker] = status.blockers
    assert blocker.code == "16.08" and blocker.points_needed == D("455")
    assert blocker.reason == (
        "Tidak memenuhi ambang batas evaluasi mandiri (nilai EM 45,00): kurang 455,00 poin untuk Pratama (minimal 500)"
    )
    unseen = KabKotaStanding("16.08", "Kab/Kota 08", None, Standing.BELOW_GATE)  # the EM sealed for this viewer
    [blocker] = province_status(bundled_rule(), [*province(*ALL_MEETING), unseen], bands()).blockers
    assert (blocker.reason, blocker.points_needed) == ("Tidak memenuhi ambang batas evaluasi mandiri", None)
    high = KabKotaStanding("16.08", "Kab/Kota 08", D("900"), Standing.BELOW_GATE)  # never meets it in this cycle
    [blocker] = province_status(bundled_rule(), [*province(*ALL_MEETING), high], bands()).blockers
    assert blocker.points_needed == 0 and blocker.reason.startswith("Tidak memenuhi ambang batas")
