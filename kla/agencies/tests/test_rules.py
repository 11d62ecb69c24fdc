"""The pure rules of agency fields and of a spreadsheet of agencies."""

from __future__ import annotations

from kla.agencies import rules
from kla.regions.levels import Level


def test_names_compare_without_case_and_extra_spaces() -> None:
    assert rules.clean_name("  Dinas   Kesehatan\t") == "Dinas Kesehatan"
    assert rules.name_key("DINAS kesehatan") == rules.name_key("Dinas  Kesehatan ")


def test_kind_problems() -> None:
    assert rules.kind_problem("dinkes", Level.KABKOTA) is None
    assert rules.kind_problem("XYZ", Level.KABKOTA) == "jenis instansi tidak dikenal: XYZ"
    assert rules.kind_problem(" ", Level.KABKOTA) == "jenis instansi tidak dikenal: (kosong)"
    assert rules.kind_problem("KEMENKUMHAM", Level.KABKOTA) == (
        "Kantor Wilayah Kementerian Hukum dan HAM berada di tingkat provinsi, bukan kabupaten/kota"
    )
    assert (
        rules.kind_problem("PN", Level.PROVINSI) == "Pengadilan Negeri berada di tingkat kabupaten/kota, bukan provinsi"
    )


def test_name_problems() -> None:
    assert rules.name_problem("  ") == "nama instansi wajib diisi"
    assert rules.name_problem("x" * 201) == "nama instansi paling panjang 200 huruf"
    assert rules.name_problem("Dinas", "s" * 61) == "singkatan paling panjang 60 huruf"
    assert rules.name_problem("Dinas", "s" * 60) is None


def test_header_must_name_kind_and_name() -> None:
    assert rules.header_problem(["Jenis", " nama ", "singkatan"]) is None
    problem = rules.header_problem(["kode", "nama"])
    assert problem is not None and "tidak ada kolom jenis" in problem


def test_rows_keep_their_spreadsheet_numbers_and_skip_blank_lines() -> None:
    rows = rules.rows_from([{"jenis": "DINKES", "nama": "A"}, {"jenis": "", "nama": " "}, {"jenis": "DINSOS"}])
    assert [(r.number, r.kind, r.name) for r in rows] == [(2, "DINKES", "A"), (4, "DINSOS", "")]


def test_check_rows_names_every_problem_once_per_cell() -> None:
    rows = [
        rules.Row(2, "DINKES", "Dinas Kesehatan", ""),
        rules.Row(3, "??", "Dinas Kesehatan", "x" * 61),
        rules.Row(4, "DINSOS", "Dinas Sosial", ""),
        rules.Row(5, "DINSOS", "DINAS SOSIAL", ""),
    ]
    errors = rules.check_rows(rows, level=Level.KABKOTA, existing_names=["Dinas Sosial"])
    assert [str(e) for e in errors] == [
        "Baris 3, kolom jenis: jenis instansi tidak dikenal: ??.",
        "Baris 3, kolom singkatan: singkatan paling panjang 60 huruf.",
        "Baris 4, kolom nama: Dinas Sosial sudah terdaftar di wilayah ini.",
        "Baris 5, kolom nama: DINAS SOSIAL sudah terdaftar di wilayah ini.",
    ]
