"""`manage.py import_predicates`: all rows or none, Indonesian errors with line numbers, non-zero exit on error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kla.evaluations.models import Cycle
from kla.results.management.commands.import_predicates import Command
from kla.results.models import PredicateRecord

pytestmark = pytest.mark.django_db

HEADER = "kode_wilayah,tahun,predikat,nilai,catatan\n"
GOOD = HEADER + (
    '16.71,2015,Pratama,"512,5",dari arsip\n'  # a comma as decimal separator, quoted
    "16.71,2016,madya,640.25,\n"
    "16.73,2016,-,,tanpa predikat\n"
)


def _file(tmp_path, text: str):
    path = tmp_path / "riwayat.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _run(path, *extra: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_predicates", str(path), "--framework", "kla-2024-ref", *extra, stdout=out)
    return out.getvalue()


def _imported() -> set[tuple[str, int]]:
    return set(PredicateRecord.objects.filter(year__in=[2015, 2016, 2024]).values_list("region_id", "year"))


def test_good_file_is_imported_and_counted(tmp_path) -> None:
    output = _run(_file(tmp_path, GOOD), "--by", "kemen-admin")
    assert "3 baris riwayat predikat diimpor" in output
    rows = {(r.region_id, r.year): r for r in PredicateRecord.objects.filter(year__in=[2015, 2016])}
    assert rows[("16.71", 2015)].band_name == "Pratama" and rows[("16.71", 2015)].score == Decimal("512.50")
    assert rows[("16.71", 2016)].band_code == "madya"
    assert rows[("16.73", 2016)].band_code == "" and rows[("16.73", 2016)].note == "tanpa predikat"
    assert all(r.source == PredicateRecord.Source.IMPORT for r in rows.values())


def test_a_bad_region_code_rejects_the_whole_file(tmp_path) -> None:
    text = GOOD + "99.99,2016,Pratama,,\n16,2016,Pratama,,\n"
    with pytest.raises(CommandError) as info:
        _run(_file(tmp_path, text))
    message = str(info.value)
    assert "tidak ada yang diubah" in message
    assert "Baris 5: '99.99' bukan kode kabupaten/kota." in message
    assert "Baris 6: '16' bukan kode kabupaten/kota." in message  # a province is not a kab/kota
    assert _imported() == set()


def test_an_unknown_predicate_rejects_the_whole_file(tmp_path) -> None:
    with pytest.raises(CommandError) as info:
        _run(_file(tmp_path, GOOD + "16.72,2016,Emas,,\n"))
    assert 'Baris 5: predikat "Emas" tidak dikenal.' in str(info.value)
    assert _imported() == set()


def test_a_year_from_a_platform_cycle_is_never_overwritten(tmp_path) -> None:
    cycle = Cycle.objects.get(code="evaluasi-kla-demo")
    PredicateRecord.objects.create(
        region_id="16.71", year=2024, band_code="nindya", band_name="Nindya", cycle=cycle, source="cycle"
    )
    with pytest.raises(CommandError) as info:
        _run(_file(tmp_path, GOOD + "16.71,2024,Pratama,,\n"))
    assert "Baris 5: predikat 16.71 tahun 2024 sudah tercatat dari siklus di platform." in str(info.value)
    assert _imported() == {("16.71", 2024)}
    assert PredicateRecord.objects.get(region_id="16.71", year=2024).band_code == "nindya"


def test_bad_year_and_score_are_named(tmp_path) -> None:
    with pytest.raises(CommandError) as info:
        _run(_file(tmp_path, HEADER + "16.71,dua ribu,Pratama,,\n16.71,2015,Pratama,banyak,\n"))
    assert 'Baris 2: tahun "dua ribu" bukan angka.' in str(info.value)
    assert 'Baris 3: nilai "banyak" bukan angka.' in str(info.value)


def test_scores_are_read_the_indonesian_way(tmp_path) -> None:
    """Through kla.core.formatting.parse_number: a dot groups thousands, a comma marks decimals; a dot that cannot
    group thousands ("640.25" above) is a decimal point; a comma before exactly three digits is refused as ambiguous."""
    _run(_file(tmp_path, HEADER + '16.71,2015,Pratama,"1.234,5",\n16.73,2015,Pratama,1.000,\n'))
    scores = dict(PredicateRecord.objects.filter(year=2015).values_list("region_id", "score"))
    assert scores == {"16.71": Decimal("1234.50"), "16.73": Decimal("1000.00")}
    with pytest.raises(CommandError) as info:
        _run(_file(tmp_path, HEADER + '16.71,2016,Pratama,"1,250",\n'))
    assert 'Baris 2: "1,250" dapat dibaca dua cara.' in str(info.value)


def test_wrong_columns_missing_file_unknown_framework_and_non_admin(tmp_path) -> None:
    with pytest.raises(CommandError, match="kolom"):
        _run(_file(tmp_path, "kode,tahun\n16.71,2015\n"))
    with pytest.raises(CommandError, match="tidak ditemukan"):
        _run(tmp_path / "tidak-ada.csv")
    with pytest.raises(CommandError, match="Instrumen 'kla-1999' tidak ditemukan"):
        call_command("import_predicates", str(_file(tmp_path, GOOD)), "--framework", "kla-1999")
    with pytest.raises(CommandError, match="bukan administrator"):
        _run(_file(tmp_path, GOOD), "--by", "gt-palembang")
    with pytest.raises(CommandError, match="Pengguna 'siapa' tidak ditemukan"):
        _run(_file(tmp_path, GOOD), "--by", "siapa")
    assert _imported() == set()


def test_errors_exit_non_zero_from_the_command_line(tmp_path, capsys, monkeypatch) -> None:
    from django.core.management import base

    # run_from_argv closes every connection when it ends, which would close the test's own (PostgreSQL)
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    path = _file(tmp_path, GOOD + "16.72,2016,Emas,,\n")
    with pytest.raises(SystemExit) as info:
        Command().run_from_argv(["manage.py", "import_predicates", str(path), "--framework", "kla-2024-ref"])
    assert info.value.code == 1
    assert "Baris 5" in capsys.readouterr().err
    assert _imported() == set()
