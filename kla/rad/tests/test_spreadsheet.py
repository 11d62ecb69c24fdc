"""RAD KLA spreadsheets: the template (drop-downs on a hidden sheet, version mark), the all-or-nothing import with a
per-row report naming row and column, and a round trip (download, fill, upload, the plan is what was typed)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kla.accounts.models import User
from kla.rad import selectors, spreadsheet, spreadsheet_import
from kla.rad import spreadsheet_rules as sr
from kla.rad.models import BudgetLine, Node, Realisation, Target
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db


def fill(template: bytes, rows: list[list[Any]], *, name: str = "rad.xlsx") -> SimpleUploadedFile:
    """The template with its data rows (prefilled ones too) replaced by `rows`."""
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    if sheet.max_row > 1:
        sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def _labels() -> tuple[str, str, str]:
    first, second = b.indicators()[0], b.indicators()[1]
    return (
        f"{first.code} {first.short_name or first.name}",
        f"{second.code} {second.short_name or second.name}",
        b.agency("DPUPR").name,
    )


def _plan_rows() -> list[list[Any]]:
    first, second, pupr = _labels()
    dukcapil = b.agency("DISDUKCAPIL").name
    return [
        [second, "Program penataan ruang", "1.03.02", "Pembangunan ruang bermain", "1.03.02.2.01", None, None, pupr,
         "Ruang bermain dibangun", "unit", 2025, "APBD kabupaten/kota", "1.250.000.000", "2"],
        [second, "Program penataan ruang", None, "Pembangunan ruang bermain", None, None, None, pupr,
         "Ruang bermain dibangun", "unit", 2025, "DAK", "Rp 300.000.000,50", None],
        [second, "Program penataan ruang", None, "Pembangunan ruang bermain", None, None, None, pupr,
         "Ruang bermain dibangun", "unit", 2026, "APBD kabupaten/kota", 900000000, 3],
        [first, "Program pendaftaran penduduk", None, "Sosialisasi dokumen anak", None, "Di sekolah", None,
         dukcapil, None, None, "2025", "APBN", 25000000.25, None],
        [first, "Program pendaftaran penduduk", None, "Sosialisasi dokumen anak", None, "Di kelurahan", None,
         dukcapil, None, None, "2025", "APBN", "35.000.000", None],
    ]  # fmt: skip


def test_the_template_has_drop_downs_and_a_version_mark() -> None:
    plan = b.plan()
    book = load_workbook(io.BytesIO(spreadsheet.plan_template(plan)))
    assert book.sheetnames == ["Rencana", sr.MARK_SHEET, sr.LIST_SHEET]
    assert book[sr.MARK_SHEET]["A1"].value == sr.PLAN_MARK and book[sr.MARK_SHEET].sheet_state == "hidden"
    lists = book[sr.LIST_SHEET]
    assert lists.sheet_state == "hidden"
    columns = {lists.cell(row=1, column=c).value: c for c in range(1, 5)}
    agencies = [lists.cell(row=r, column=columns["Instansi"]).value for r in range(2, lists.max_row + 1)]
    agencies = [a for a in agencies if a]
    assert b.agency("DPUPR").name in agencies
    assert "Dunia usaha/CSR" in [lists.cell(row=r, column=columns["Sumber dana"]).value for r in range(2, 9)]
    sheet = book["Rencana"]
    assert [c.value for c in sheet[1]] == list(sr.PLAN_COLUMNS)
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert f"{sr.LIST_SHEET}!$B$2:$B${len(agencies) + 1}" in formulas


def test_round_trip_the_plan_is_what_was_typed() -> None:
    plan = b.plan()
    upload = fill(spreadsheet.plan_template(plan), _plan_rows())
    assert spreadsheet.import_plan(plan=plan, upload=upload, by=None) == 5
    tree = selectors.plan_tree(plan.versions.get())
    assert tree.planned(2025) == Decimal("1610000000.75") and tree.planned(2026) == Decimal("900000000.00")
    play = Node.objects.get(name="Pembangunan ruang bermain")
    assert play.code == "1.03.02.2.01" and play.agency == b.agency("DPUPR") and play.parent.code == "1.03.02"
    lines = {(x.year, x.source): x.amount for x in BudgetLine.objects.filter(node=play)}
    assert lines == {
        (2025, "apbd_kabkota"): Decimal("1250000000.00"),
        (2025, "dak"): Decimal("300000000.50"),
        (2026, "apbd_kabkota"): Decimal("900000000.00"),
    }
    assert {t.year: t.value for t in Target.objects.filter(output__node=play)} == {2025: 2, 2026: 3}
    split = Node.objects.get(name="Sosialisasi dokumen anak")
    assert [c.name for c in split.children.order_by("position")] == ["Di sekolah", "Di kelurahan"]
    assert not split.budget_lines.exists()


def _refused(plan: Any, upload: SimpleUploadedFile) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        spreadsheet.import_plan(plan=plan, upload=upload, by=None)
    assert not Node.objects.filter(version__plan=plan).exists()
    return caught.value.messages


def test_one_broken_row_among_a_thousand_imports_nothing() -> None:
    plan = b.plan()
    first, _second, pupr = _labels()
    rows = [
        [first, "Program", None, f"Kegiatan {n}", None, None, None, pupr, None, None, 2025, "APBN", "1.000.000", None]
        for n in range(1000)
    ]
    rows[637][12] = "1,250"  # ambiguous: row 639 of the sheet
    messages = _refused(plan, fill(spreadsheet.plan_template(plan), rows))
    assert messages[0].startswith("Tidak ada yang diimpor: 1 baris")
    assert len(messages) == 2 and messages[1].startswith("Baris 639, kolom Anggaran (Rp):")


def test_unknown_agency_and_indicator_are_named() -> None:
    plan = b.plan()
    first, _second, pupr = _labels()
    rows = [
        ["99 Tidak ada", "P", None, "K", None, None, None, pupr, None, None, 2025, "APBN", "1", None],
        [first, "P", None, "K2", None, None, None, "Dinas Rahasia", None, None, 2031, "Arisan", "-5", None],
    ]
    messages = _refused(plan, fill(spreadsheet.plan_template(plan), rows))
    assert messages[1].startswith("Baris 2, kolom Indikator: ") and "tidak ada dalam instrumen" in messages[1]
    assert [m.split(":")[0] for m in messages[2:]] == [
        "Baris 3, kolom Instansi penanggung jawab",
        "Baris 3, kolom Tahun",
        "Baris 3, kolom Sumber dana",
        "Baris 3, kolom Anggaran (Rp)",
    ]


def test_wrong_template_version_and_missing_column_are_refused() -> None:
    plan = b.plan()
    book = load_workbook(io.BytesIO(spreadsheet.plan_template(plan)))
    book[sr.MARK_SHEET]["A1"] = "kla-rad-rencana-v0"
    out = io.BytesIO()
    book.save(out)
    messages = _refused(plan, SimpleUploadedFile("lama.xlsx", out.getvalue()))
    assert "bukan templat RAD KLA versi yang berlaku" in messages[0]
    book[sr.MARK_SHEET]["A1"] = sr.PLAN_MARK
    book["Rencana"]["M1"] = "Pagu"
    out = io.BytesIO()
    book.save(out)
    messages = _refused(plan, SimpleUploadedFile("kolom.xlsx", out.getvalue()))
    assert messages == ['Baris 1 tidak memuat kolom "Anggaran (Rp)". Gunakan templat tanpa mengubah judul kolomnya.']
    realisation = spreadsheet_import.realisation_template  # a realisation file is not a plan file
    built = b.built_plan(code=b.LUBUKLINGGAU, adopt=True)
    user = User.objects.get(username="gt-lubuklinggau")
    messages = _refused(plan, SimpleUploadedFile("r.xlsx", realisation(built.plan, user)))
    assert sr.REALISATION_MARK in messages[0] or "bukan templat" in messages[0]


def test_realisation_round_trip_and_refusals() -> None:
    built = b.built_plan(adopt=True)
    operator = User.objects.get(username="opd-palembang")  # Disdukcapil
    template = spreadsheet_import.realisation_template(built.plan, operator)
    sheet = load_workbook(io.BytesIO(template))["Realisasi"]
    keys = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    assert str(built.birth.key) in keys and str(built.play.key) not in keys  # only their agency's activities
    key = str(built.birth.key)
    upload = fill(template, [[key, None, None, "APBD kabupaten/kota", 2025, 1, "50.000.000", "Keliling."]])
    assert spreadsheet_import.import_realisation(plan=built.plan, upload=upload, by=operator) == 1
    recorded = Realisation.objects.get()
    assert recorded.activity_key == built.birth.key and recorded.spends.get().amount == Decimal("50000000.00")
    bad = fill(template, [[str(built.play.key), None, None, "APBN", 2025, 2, "1"]])
    with pytest.raises(ValidationError) as caught:
        spreadsheet_import.import_realisation(plan=built.plan, upload=bad, by=operator)
    assert any("kolom Kunci kegiatan" in m for m in caught.value.messages)
    assert Realisation.objects.count() == 1


def test_pure_rules_import_no_django() -> None:
    import ast
    from pathlib import Path

    for module in ("spreadsheet_rules.py", "spreadsheet_rules_realisation.py"):
        tree = ast.parse((Path(sr.__file__).parent / module).read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(n.startswith("django") for n in names), module


def test_amount_cells_are_read_exactly() -> None:
    assert sr.number_text(300000000.5) == Decimal("300000000.5")
    assert sr.number_text("Rp 1.250.000.000,50") == "Rp 1.250.000.000,50"
    assert sr.text(2025.0) == "2025"


def test_prefilled_activities_left_blank_are_not_reported() -> None:
    built = b.built_plan(adopt=True)
    secretariat = User.objects.get(username="gt-palembang")
    template = spreadsheet_import.realisation_template(built.plan, secretariat)
    book = load_workbook(io.BytesIO(template))
    sheet = book["Realisasi"]
    assert sheet.max_row == 1 + 6  # play (APBD kab/kota, DAK, its output), birth, two sub-activities (APBN)
    first = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == str(built.birth.key))
    for column, value in ((5, 2025), (6, 2), (7, 10_000_000)):
        sheet.cell(row=first, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("r.xlsx", out.getvalue())
    assert spreadsheet_import.import_realisation(plan=built.plan, upload=upload, by=secretariat) == 1
    assert Realisation.objects.get().quarter == 2
    empty = SimpleUploadedFile("kosong.xlsx", template)
    with pytest.raises(ValidationError) as caught:
        spreadsheet_import.import_realisation(plan=built.plan, upload=empty, by=secretariat)
    assert "tidak ada realisasi yang diisi" in caught.value.messages[1]


def test_realisation_sheet_carries_output_achieved_all_or_nothing() -> None:
    built = b.built_plan(adopt=True)
    secretariat = User.objects.get(username="gt-palembang")
    template = spreadsheet_import.realisation_template(built.plan, secretariat)
    sheet = load_workbook(io.BytesIO(template))["Realisasi"]
    out_key, play = str(built.play_output.key), str(built.play.key)
    prefilled = [[c.value for c in r] for r in sheet.iter_rows(min_row=2) if r[9].value == out_key]
    assert [r[:4] + r[9:13] for r in prefilled] == [
        [
            play,
            b.agency("DPUPR").name,
            built.play.name,
            None,
            out_key,
            "Ruang bermain ramah anak dibangun",
            "unit",
            None,
        ]
    ]
    money = [play, None, None, "APBD kabupaten/kota", 2025, 2, "100.000.000"]
    output = [play, None, None, None, 2025, 2, None, None, None, out_key, None, None, "1"]
    upload = fill(template, [money, output])
    assert spreadsheet_import.import_realisation(plan=built.plan, upload=upload, by=secretariat) == 1
    recorded = Realisation.objects.get()
    assert [(str(a.output_key), a.value) for a in recorded.achievements.all()] == [(out_key, Decimal("1.00"))]
    birth = [str(built.birth.key), None, None, "APBD kabupaten/kota", 2025, 3, "5.000.000"]
    for typed, said in (("1,250", "dapat dibaca dua cara"), ("-2", "tidak boleh negatif"), ("dua", "bukan angka")):
        bad = fill(template, [birth, money, [*output[:12], typed]])
        with pytest.raises(ValidationError) as caught:
            spreadsheet_import.import_realisation(plan=built.plan, upload=bad, by=secretariat)
        assert caught.value.messages[0].startswith("Tidak ada yang diimpor: 1 baris")
        assert caught.value.messages[1].startswith("Baris 4, kolom Capaian:") and said in caught.value.messages[1]
    assert Realisation.objects.count() == 1  # the birth row of the refused files was not recorded
    assert recorded.achievements.get().value == Decimal("1.00")


def test_a_realisation_sheet_of_the_first_version_is_refused() -> None:
    built = b.built_plan(adopt=True)
    secretariat = User.objects.get(username="gt-palembang")
    book = load_workbook(io.BytesIO(spreadsheet_import.realisation_template(built.plan, secretariat)))
    book[sr.MARK_SHEET]["A1"] = "kla-rad-realisasi-v1"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError) as caught:
        spreadsheet_import.import_realisation(
            plan=built.plan, upload=SimpleUploadedFile("lama.xlsx", out.getvalue()), by=secretariat
        )
    assert 'tanda versi "kla-rad-realisasi-v1", seharusnya "kla-rad-realisasi-v2"' in caught.value.messages[0]
