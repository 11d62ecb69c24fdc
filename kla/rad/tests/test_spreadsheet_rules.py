"""The RAD KLA sheet rules without a database: header and version checks, every conflict between rows named on the
later row with its column, realisation rows grouped by quarter."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kla.rad import spreadsheet_rules as sr
from kla.rad.spreadsheet_rules_realisation import parse_realisation

CTX = sr.PlanContext(2025, 2029, {"dinas pupr": 1, "pupr": 1, "disdukcapil": 2}, {"1.1": 10, "1.1 akta": 10})
KEY = "0b7f7c2e-6a54-4d57-9d0b-1e2f3a4b5c6d"


def row(**cells: Any) -> dict[str, object]:
    base: dict[str, object] = {
        "Indikator": "1.1",
        "Program": "Program",
        "Kegiatan": "Kegiatan",
        "Instansi penanggung jawab": "Dinas PUPR",
        "Tahun": 2025,
        "Sumber dana": "APBN",
        "Anggaran (Rp)": "1.000",
    }
    return base | cells


def parse(*rows: dict[str, object]) -> tuple[list[sr.ProgrammePlan], list[str]]:
    programmes, errors = sr.parse_plan(list(enumerate(rows, start=2)), CTX)
    return programmes, [str(e) for e in errors]


def test_a_plan_is_grouped_by_programme_activity_and_sub_activity() -> None:
    programmes, errors = parse(
        row(**{"Indikator keluaran": "Taman", "Satuan": "unit", "Target": "2"}),
        row(**{"Sumber dana": "DAK", "Anggaran (Rp)": 300000000.5, "Instansi penanggung jawab": "pupr"}),
        row(Kegiatan="Sosialisasi", **{"Sub kegiatan": "Sekolah", "Instansi penanggung jawab": "Disdukcapil"}),
    )
    assert errors == []
    (programme,) = programmes
    own, split = programme.activities.values()
    assert own.leaf.budget == {(2025, "apbn"): Decimal("1000.00"), (2025, "dak"): Decimal("300000000.50")}
    assert own.leaf.targets == {("Taman", 2025): Decimal("2.00")} and own.leaf.outputs == {"Taman": "unit"}
    assert list(split.subs) == ["sekolah"] and split.subs["sekolah"].agency_id == 2


def test_conflicts_between_rows_are_named_on_the_later_row() -> None:
    _, errors = parse(
        row(),
        row(),  # the same budget line again
        row(**{"Sub kegiatan": "Sub"}),  # money of its own and a sub-activity
        row(Kegiatan="Lain", **{"Instansi penanggung jawab": "Disdukcapil"}),
        row(Kegiatan="Lain", Tahun=2026, **{"Indikator keluaran": "X", "Satuan": "unit", "Target": "1"}),
        row(Kegiatan="Lain", Tahun=2026, **{"Sumber dana": "DAK", "Indikator keluaran": "X", "Satuan": "orang"}),
    )
    assert [e.split(":")[0] for e in errors] == [
        "Baris 3, kolom Sumber dana",
        "Baris 4, kolom Sub kegiatan",
        "Baris 6, kolom Instansi penanggung jawab",
        "Baris 7, kolom Instansi penanggung jawab",
        "Baris 7, kolom Satuan",
    ]
    assert "sudah diisi di baris 2" in errors[0]


def test_every_bad_cell_of_a_row_is_named() -> None:
    _, errors = parse(
        row(Indikator="", Tahun="dua ribu", **{"Anggaran (Rp)": "1,250", "Kode program": "1.2"}),
        row(**{"Anggaran (Rp)": "-5", "Target": "banyak"}),
    )
    assert [e.split(":")[0] for e in errors] == [
        "Baris 2, kolom Indikator",
        "Baris 2, kolom Kode program",
        "Baris 2, kolom Tahun",
        "Baris 2, kolom Anggaran (Rp)",
        "Baris 3, kolom Indikator keluaran",
        "Baris 3, kolom Anggaran (Rp)",
        "Baris 3, kolom Target",
    ]
    assert "tidak boleh negatif" in errors[5]


def test_header_and_version() -> None:
    with pytest.raises(sr.SheetError, match='kolom "Anggaran \\(Rp\\)"'):
        sr.header_map([c for c in sr.PLAN_COLUMNS if c != "Anggaran (Rp)"], sr.PLAN_COLUMNS, sr.PLAN_REQUIRED)
    with pytest.raises(sr.SheetError, match="bukan templat RAD KLA versi yang berlaku"):
        sr.check_mark("kla-rad-rencana-v0", sr.PLAN_MARK)
    columns = sr.header_map([" anggaran  (rp) ", *sr.PLAN_COLUMNS[:-2]], sr.PLAN_COLUMNS, sr.PLAN_REQUIRED)
    assert columns["Anggaran (Rp)"] == 0
    assert sr.records([[None] * 3, ["", " ", None], ["x"]], {"A": 0}) == [(4, {"A": "x"})]


def test_realisation_rows_are_grouped_by_quarter() -> None:
    cells = {"Kunci kegiatan": KEY, "Sumber dana": "APBN", "Tahun": 2025, "Triwulan": 1, "Realisasi (Rp)": "1.000"}
    groups, errors = parse_realisation(
        [
            (2, cells),
            (3, {**cells, "Sumber dana": "DAK", "Catatan": "Tahap 1"}),
            (4, {**cells, "Triwulan": 2}),
            (5, {"Kunci kegiatan": KEY, "Sumber dana": "APBN"}),  # prefilled, nothing reported
        ],
        keys=[KEY],
        start=2025,
        end=2029,
    )
    assert errors == []
    assert [(g.quarter, g.spent, g.rows) for g in groups] == [
        (1, {"apbn": Decimal("1000.00"), "dak": Decimal("1000.00")}, [2, 3]),
        (2, {"apbn": Decimal("1000.00")}, [4]),
    ]
    _, errors = parse_realisation(
        [(2, cells), (3, cells), (4, {**cells, "Kunci kegiatan": "lain", "Triwulan": 5, "Tahun": 2031})],
        keys=[KEY],
        start=2025,
        end=2029,
    )
    assert [str(e).split(":")[0] for e in errors] == [
        "Baris 3, kolom Sumber dana",
        "Baris 4, kolom Kunci kegiatan",
        "Baris 4, kolom Tahun",
        "Baris 4, kolom Triwulan",
    ]


OUT = "22222222-2222-4222-8222-222222222222"


def _realised(rows: list[tuple[int, dict[str, object]]]) -> tuple[list[Any], list[str]]:
    groups, errors = parse_realisation(rows, keys=[KEY], outputs={KEY: {OUT}}, start=2025, end=2029)
    return groups, [str(e) for e in errors]


def test_output_achieved_rows_join_the_quarter_of_their_activity() -> None:
    money = {"Kunci kegiatan": KEY, "Sumber dana": "APBN", "Tahun": 2025, "Triwulan": 1, "Realisasi (Rp)": "1.000"}
    output = {"Kunci kegiatan": KEY, "Kunci keluaran": OUT, "Tahun": 2025, "Triwulan": 1, "Capaian": "1.250,5"}
    groups, errors = _realised([(2, money), (3, output), (4, {**output, "Triwulan": 2, "Capaian": 3.0})])
    assert errors == []
    assert [(g.quarter, g.spent, g.achieved, g.rows) for g in groups] == [
        (1, {"apbn": Decimal("1000.00")}, {OUT: Decimal("1250.50")}, [2, 3]),
        (2, {}, {OUT: Decimal("3.00")}, [4]),
    ]
    prefilled = {"Kunci kegiatan": KEY, "Kunci keluaran": OUT, "Indikator keluaran": "Ruang bermain"}
    assert _realised([(2, money), (3, prefilled)])[1] == []


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("-1", "Baris 2, kolom Capaian: Nilai tidak boleh negatif."),
        ("banyak", 'Baris 2, kolom Capaian: "banyak" bukan angka.'),
        ("1,250", 'Baris 2, kolom Capaian: "1,250" dapat dibaca dua cara. Tulis 1.250 jika maksudnya ribuan'),
        ("1.000.000.000.000.000", "Baris 2, kolom Capaian: Nilai 1.000.000.000.000.000 terlalu besar"),
    ],
)
def test_bad_output_values_are_named_with_row_and_column(typed: str, said: str) -> None:
    output = {"Kunci kegiatan": KEY, "Kunci keluaran": OUT, "Tahun": 2025, "Triwulan": 1, "Capaian": typed}
    groups, errors = _realised([(2, output)])
    assert groups == [] and len(errors) == 1 and errors[0].startswith(said)


def test_bad_output_rows_are_each_named() -> None:
    base = {"Kunci kegiatan": KEY, "Tahun": 2025, "Triwulan": 1}
    _, errors = _realised(
        [
            (2, {**base, "Kunci keluaran": "lain", "Capaian": "1"}),
            (3, {**base, "Kunci keluaran": OUT, "Sumber dana": "APBN", "Capaian": "1"}),
            (4, {**base, "Capaian": "1"}),
            (5, {**base, "Kunci keluaran": OUT, "Capaian": "1", "Realisasi (Rp)": "5.000"}),
            (6, {**base, "Kunci keluaran": OUT}),
            (7, {**base, "Kunci keluaran": OUT, "Capaian": "2"}),
            (8, {**base, "Kunci keluaran": OUT, "Capaian": "3"}),
        ]
    )
    assert [e.split(":")[0] for e in errors] == [
        "Baris 2, kolom Kunci keluaran",
        "Baris 3, kolom Kunci keluaran",
        "Baris 4, kolom Sumber dana",
        "Baris 5, kolom Realisasi (Rp)",
        "Baris 6, kolom Capaian",
        "Baris 8, kolom Kunci keluaran",
    ]
    assert "sudah diisi di baris 7" in errors[-1]
