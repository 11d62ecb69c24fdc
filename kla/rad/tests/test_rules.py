"""RAD KLA's pure rules: periods and years, the legal basis, nomenclature codes, amounts, quarters, overspending."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kla.core.formatting import format_number
from kla.rad import rules
from kla.rad.rules import AmountError, Level

D = dt.date
PURE = ("rules.py", "analytics.py")


@pytest.mark.parametrize("name", PURE)
def test_the_rule_modules_import_no_django(name: str) -> None:
    """Also to be listed in tests/test_pure_modules.py and [tool.mutmut] (shared files, left to the lead)."""
    tree = ast.parse((Path(rules.__file__).parent / name).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert not {m for m in imported if m.split(".")[0] == "django"}
    assert {m for m in imported if m.startswith("kla.")} <= {"kla.core.formatting", "kla.core.marking", "kla.rad.rules"}


# --- periods and years ---------------------------------------------------------------------------------------------


def test_a_five_year_period_is_accepted() -> None:
    assert rules.period_refusal(2025, 2029) is None
    assert rules.period_refusal(2025, 2025) is None
    assert rules.period_years(2025, 2029) == (2025, 2026, 2027, 2028, 2029)


def test_reversed_long_and_absurd_periods_are_refused() -> None:
    assert (
        rules.period_refusal(2029, 2025)
        == "Tahun akhir (2025) tidak boleh sebelum tahun awal (2029). Tukar kedua tahun itu."
    )
    long = rules.period_refusal(2025, 2030)
    assert long is not None and "paling lama 5 tahun" in long and "6 tahun" in long
    assert rules.period_refusal(1999, 2001) is not None
    assert rules.period_refusal(2099, 2101) is not None
    assert rules.period_refusal(2000, 2004) is None and rules.period_refusal(2096, 2100) is None


def test_a_year_outside_the_period_is_refused_with_the_period() -> None:
    assert rules.year_refusal(2025, 2025, 2029) is None
    assert rules.year_refusal(2029, 2025, 2029) is None
    assert rules.year_refusal(2030, 2025, 2029) == (
        "Tahun 2030 di luar periode rencana (2025–2029). Pilih tahun 2025 sampai 2029."
    )
    assert rules.year_refusal(2024, 2025, 2029) is not None


# --- legal basis -----------------------------------------------------------------------------------------------------


def test_the_basis_fits_the_kind_of_region() -> None:
    today = D(2025, 6, 1)
    assert rules.basis_refusal("perwal", "kota", "12", D(2025, 3, 1), today) is None
    assert rules.basis_refusal("perda", "kota", "3", D(2025, 3, 1), today) is None
    assert rules.basis_refusal("perbup", "kabupaten", "3", D(2025, 3, 1), today) is None
    assert rules.basis_refusal("pergub", "provinsi", "3", D(2025, 3, 1), today) is None
    wrong = rules.basis_refusal("perbup", "kota", "12", D(2025, 3, 1), today)
    assert wrong == "Peraturan Bupati tidak menetapkan rencana wilayah ini. Gunakan Perda atau Peraturan Wali Kota."
    assert rules.basis_refusal("sk", "kota", "12", D(2025, 3, 1), today) is not None


def test_the_basis_needs_a_number_and_a_date_not_in_the_future() -> None:
    today = D(2025, 6, 1)
    assert rules.basis_refusal("perwal", "kota", "  ", D(2025, 3, 1), today) == (
        "Isi nomor peraturan yang menetapkan rencana terlebih dahulu."
    )
    assert rules.basis_refusal("perwal", "kota", "12", None, today) is not None
    future = rules.basis_refusal("perwal", "kota", "12", D(2025, 6, 2), today)
    assert future is not None and "masa depan" in future
    assert rules.basis_refusal("perwal", "kota", "12", today, today) is None


# --- nomenclature codes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "code"),
    [
        (Level.PROGRAMME, "1.02.02"),
        (Level.PROGRAMME, "X.XX.01"),
        (Level.ACTIVITY, "1.02.02.2.01"),
        (Level.SUB_ACTIVITY, "1.02.02.2.01.0001"),
        (Level.SUB_ACTIVITY, " 1.03.03.2.01.0012 "),
        (Level.ACTIVITY, ""),
    ],
)
def test_nomenclature_codes_of_the_right_shape_pass(level: Level, code: str) -> None:
    assert rules.code_refusal(level, code) is None


@pytest.mark.parametrize(
    ("level", "code"),
    [
        (Level.PROGRAMME, "1.2.2"),
        (Level.PROGRAMME, "9.02.02"),
        (Level.PROGRAMME, "1.02.02.2.01"),
        (Level.ACTIVITY, "1.02.02"),
        (Level.ACTIVITY, "1.02.02.2.1"),
        (Level.SUB_ACTIVITY, "1.02.02.2.01.001"),
        (Level.SUB_ACTIVITY, "1.02.02.2.01.0001.1"),
        (Level.ACTIVITY, "abc"),
    ],
)
def test_nomenclature_codes_of_another_shape_are_refused_with_an_example(level: Level, code: str) -> None:
    refusal = rules.code_refusal(level, code)
    assert refusal is not None and rules.CODE_EXAMPLES[level] in refusal and refusal.endswith(".")


def test_a_code_extends_its_parents_code() -> None:
    assert rules.code_refusal(Level.ACTIVITY, "1.02.02.2.01", "1.02.02") is None
    assert rules.code_refusal(Level.ACTIVITY, "1.02.02.2.01", "") is None
    refusal = rules.code_refusal(Level.ACTIVITY, "1.03.02.2.01", "1.02.02")
    assert refusal == 'Kode kegiatan "1.03.02.2.01" harus diawali kode induknya (1.02.02). Periksa kodenya.'
    assert rules.code_refusal(Level.SUB_ACTIVITY, "1.02.02.2.01.0001", "1.02.02.2.01") is None
    assert rules.code_refusal(Level.SUB_ACTIVITY, "1.02.02.2.011.0001", "1.02.02.2.01") is not None


# --- amounts -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "exact"),
    [
        ("1.250.000.000", Decimal("1250000000.00")),
        ("1.250.000.000,50", Decimal("1250000000.50")),
        ("Rp 1.250.000.000", Decimal("1250000000.00")),
        ("Rp1.250.000", Decimal("1250000.00")),
        ("0", Decimal("0.00")),
        ("750000", Decimal("750000.00")),
        (Decimal("12.5"), Decimal("12.50")),
        (3, Decimal("3.00")),
    ],
)
def test_amounts_are_read_the_indonesian_way_and_exactly(typed: str | Decimal | int, exact: Decimal) -> None:
    value = rules.read_amount(typed)
    assert value == exact and value.as_tuple().exponent == -2


def test_an_ambiguous_amount_is_refused_with_a_hint() -> None:
    with pytest.raises(AmountError) as caught:
        rules.read_amount("1,250")
    assert caught.value.code == "ambiguous"
    assert "Tulis 1.250 jika maksudnya ribuan" in caught.value.message


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("-5.000", "negative"),
        (Decimal("-0.01"), "negative"),
        ("lima juta", "invalid"),
        ("", "empty"),
        ("1.5", "decimal_point"),
        ("1.000.000.000.000.000", "too_large"),
        (Decimal("1E+20"), "too_large"),
        ("1,255", "ambiguous"),
        ("1,2555", "places"),
        (Decimal("NaN"), "invalid"),
        (Decimal("Infinity"), "invalid"),
        (1.5, "invalid"),
        (True, "invalid"),
    ],
)
def test_bad_amounts_are_refused(typed: object, code: str) -> None:
    with pytest.raises(AmountError) as caught:
        rules.read_amount(typed)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert caught.value.message.endswith(".") or caught.value.message.endswith(").")


def test_the_cap_is_just_above_the_largest_accepted_amount() -> None:
    largest = rules.AMOUNT_CAP - Decimal("0.01")
    assert rules.read_amount(largest) == largest
    with pytest.raises(AmountError) as caught:
        rules.read_amount(rules.AMOUNT_CAP)
    assert format_number(rules.AMOUNT_CAP) in caught.value.message


def test_values_have_their_own_cap() -> None:
    assert rules.read_value("12,5") == Decimal("12.50")
    with pytest.raises(AmountError):
        rules.read_value(rules.VALUE_CAP)
    with pytest.raises(AmountError) as caught:
        rules.read_value("-1")
    assert caught.value.message.startswith("Nilai tidak boleh negatif")


@given(st.decimals(min_value=0, max_value=rules.AMOUNT_CAP - 1, places=2, allow_nan=False, allow_infinity=False))
def test_every_formatted_amount_reads_back_exactly(amount: Decimal) -> None:
    """What the platform shows ("1.250.000,50") is what it reads back, to the sen."""
    assert rules.read_amount(format_number(amount, 2)) == amount
    assert rules.read_amount("Rp " + format_number(amount, 2)) == amount


# --- quarters and overspending ---------------------------------------------------------------------------------------


def test_quarter_bounds() -> None:
    assert [rules.quarter_start(2025, q) for q in rules.QUARTERS] == [
        D(2025, 1, 1),
        D(2025, 4, 1),
        D(2025, 7, 1),
        D(2025, 10, 1),
    ]
    assert [rules.quarter_end(2025, q) for q in rules.QUARTERS] == [
        D(2025, 3, 31),
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
    ]
    assert not rules.quarter_ended(2025, 1, D(2025, 3, 31))
    assert rules.quarter_ended(2025, 1, D(2025, 4, 1))


def test_realisation_waits_for_the_quarter_to_start() -> None:
    assert rules.quarter_refusal(2025, 2, 2025, 2029, D(2025, 4, 1)) is None
    early = rules.quarter_refusal(2025, 2, 2025, 2029, D(2025, 3, 31))
    assert early == "Triwulan 2 tahun 2025 belum dimulai. Catat realisasinya setelah triwulan itu berjalan."
    assert rules.quarter_refusal(2025, 5, 2025, 2029, D(2026, 1, 1)) == "Pilih triwulan I, II, III, atau IV."
    assert rules.quarter_refusal(2025, 0, 2025, 2029, D(2026, 1, 1)) is not None
    outside = rules.quarter_refusal(2024, 4, 2025, 2029, D(2026, 1, 1))
    assert outside is not None and "di luar periode" in outside


def test_spending_above_plan_needs_an_explanation() -> None:
    planned = Decimal("1000000.00")
    assert not rules.overspent(planned, planned)
    assert rules.overspent(planned, planned + Decimal("0.01"))
    assert rules.overspend_refusal(planned, planned, "") is None
    refusal = rules.overspend_refusal(planned, Decimal("1500000.00"), "  ")
    assert refusal is not None and "Rp 1.500.000" in refusal and "Rp 1.000.000" in refusal
    assert rules.overspend_refusal(planned, Decimal("1500000.00"), "Harga material naik.") is None


# --- every sentence word for word, and the edges (what mutation testing asked for) -----------------------------------


def test_the_period_edges_and_its_length_message() -> None:
    assert rules.period_refusal(2100, 2100) is None
    assert rules.period_refusal(2000, 2000) is None
    assert rules.period_refusal(2025, 2030) == (
        "Periode rencana paling lama 5 tahun, mengikuti RPJMD; 2025–2030 adalah 6 tahun. Perpendek periodenya."
    )
    assert rules.period_refusal(1999, 2001) == (
        "Tahun periode rencana harus antara 2000 dan 2100. Periksa tahun awal dan akhirnya."
    )


def test_every_basis_sentence() -> None:
    today = D(2025, 6, 1)
    assert rules.basis_refusal("sk", "kota", "12", D(2025, 3, 1), today) == (
        "Pilih jenis dasar hukum: Perda, Perbup, Perwal, atau Pergub."
    )
    assert rules.basis_refusal("perwal", "kota", "12", None, today) == (
        "Isi tanggal peraturan yang menetapkan rencana terlebih dahulu."
    )
    assert rules.basis_refusal("perwal", "kota", "12", D(2025, 6, 2), today) == (
        "Tanggal peraturan tidak boleh di masa depan. Tetapkan rencana setelah peraturannya ditandatangani."
    )
    # a kind of region no head-of-region regulation fits: only a Perda
    assert rules.basis_refusal("perwal", "desa", "12", D(2025, 3, 1), today) == (
        "Peraturan Wali Kota tidak menetapkan rencana wilayah ini. Gunakan Perda."
    )
    assert rules.basis_refusal("perda", "desa", "12", D(2025, 3, 1), today) is None


def test_the_code_sentence() -> None:
    assert rules.code_refusal(Level.ACTIVITY, "1.02") == (
        'Kode kegiatan "1.02" tidak sesuai nomenklatur, contohnya 1.02.02.2.01. Salin kode dari dokumen anggaran atau '
        "kosongkan."
    )


def test_every_amount_sentence() -> None:
    def message(typed: object, reader: object = rules.read_amount) -> str:
        with pytest.raises(AmountError) as caught:
            reader(typed)  # type: ignore[operator]
        assert str(caught.value) == caught.value.message
        return caught.value.message

    assert message(Decimal("NaN")) == "Isi angka seperti 1.250.000 atau 1.250.000,50."
    assert message(1.5) == "Isi angka seperti 1.250.000 atau 1.250.000,50."
    assert message("-1") == "Anggaran tidak boleh negatif. Isi 0 bila tidak ada."
    assert message(Decimal("0.001")) == "Anggaran paling banyak 2 angka di belakang koma."
    assert message(Decimal("2000000000000000")) == (
        "Anggaran 2.000.000.000.000.000 terlalu besar; periksa jumlah digitnya (batas di bawah 1.000.000.000.000.000)."
    )
    assert message(Decimal("-1"), rules.read_value) == "Nilai tidak boleh negatif. Isi 0 bila tidak ada."
    assert rules.read_amount(Decimal("0.10")) == Decimal("0.10")
    assert str(rules.read_amount(Decimal("7"))) == "7.00"


def test_the_overspend_sentence_shows_sen() -> None:
    assert rules.overspend_refusal(Decimal("1000000.00"), Decimal("1000000.50"), "") == (
        "Realisasi tahun ini (Rp 1.000.000,50) melebihi anggaran yang direncanakan (Rp 1.000.000). Isi penjelasan "
        "mengapa realisasi melebihi rencana."
    )
