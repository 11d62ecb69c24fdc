"""The pure rules of field verification: checklists, site suggestions, photo locations. No database."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from kla.fieldvisits import checklists, geo
from kla.fieldvisits.checklists import SiteKind

APP = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("module", ["checklists.py", "geo.py"])
def test_rule_modules_import_no_django(module: str) -> None:
    tree = ast.parse((APP / module).read_text(encoding="utf-8"))
    imported = {
        name
        for node in ast.walk(tree)
        for name in (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    }
    assert not {n for n in imported if n.split(".")[0] in ("django", "kla")}, imported


def test_every_kind_has_a_label_and_a_default_checklist() -> None:
    for kind in SiteKind:
        items = checklists.default_checklist(kind)
        assert kind in checklists.SITE_KIND_LABELS
        assert items and all(i == {"label": i["label"], "done": False} and i["label"] for i in items)


@pytest.mark.parametrize(
    ("name", "short_name", "kind"),
    [
        ("Satuan Pendidikan Ramah Anak (SRA)", "Sekolah Ramah Anak", SiteKind.SCHOOL),
        ("Fasilitas Kesehatan dengan Pelayanan Ramah Anak", "Puskesmas Ramah Anak", SiteKind.HEALTH),
        ("Lembaga Konsultasi Penyedia Layanan Pengasuhan Anak bagi Orang Tua/Keluarga", "PUSPAGA", SiteKind.PUSPAGA),
        ("Pelembagaan Partisipasi Anak", "Partisipasi Anak", SiteKind.FORUM),
        ("Fasilitas Kegiatan Budaya, Kreativitas, dan Rekreatif yang Ramah Anak", "", SiteKind.PLAY),
        ("Kepemilikan Kutipan Akta Kelahiran", "Akta Kelahiran", SiteKind.OFFICE),
        ("Peraturan Daerah (Perda) tentang KLA", "Perda KLA", None),
    ],
)
def test_indicators_suggest_a_kind_of_site(name: str, short_name: str, kind: SiteKind | None) -> None:
    assert checklists.suggest_kind(name, short_name) == kind


def test_ticking_changes_only_the_named_items() -> None:
    items = checklists.default_checklist(SiteKind.PLAY)
    items[2]["done"] = True
    new, changed = checklists.apply_checks(items, {0: True, 2: True})
    assert [i["done"] for i in new][:3] == [True, False, True]
    assert changed == [items[0]["label"]]  # item 2 was already ticked
    assert items[0]["done"] is False  # the input is not modified


def test_an_item_can_be_added_and_unknown_positions_are_refused() -> None:
    new, changed = checklists.apply_checks([], {}, add="  Ada   jalur  difabel ")
    assert new == [{"label": "Ada jalur difabel", "done": False}] and changed == ["Ada jalur difabel"]
    with pytest.raises(ValueError, match="tidak ditemukan"):
        checklists.apply_checks(new, {5: True})
    with pytest.raises(ValueError, match="paling banyak"):
        checklists.apply_checks([{"label": str(i), "done": False} for i in range(checklists.MAX_ITEMS)], {}, "lagi")


def test_progress() -> None:
    assert checklists.progress([{"done": True}, {"done": False}, {"done": True}]) == checklists.Progress(2, 3)
    assert checklists.Progress(2, 3).percent == 67 and checklists.Progress(0, 0).percent == 0


def test_location_is_optional_and_rounded() -> None:
    assert geo.parse_location("", None, "12") is None
    found = geo.parse_location("-2,99166712", "104.7541674", "8.46")
    assert found == geo.Location(Decimal("-2.991667"), Decimal("104.754167"), Decimal("8.5"))


@pytest.mark.parametrize(
    ("lat", "lon", "acc", "message"),
    [
        ("-90.5", "104", "", "Lintang"),
        ("91", "104", "", "Lintang"),
        ("-2.9", "180.01", "", "Bujur"),
        ("-2.9", "-181", "", "Bujur"),
        ("-2.9", "", "", "bersama"),
        ("", "104", "", "bersama"),
        ("utara", "104", "", "angka"),
        ("NaN", "104", "", "angka"),
        ("-2.9", "104", "-1", "Akurasi"),
        ("-2.9", "104", "200000", "Akurasi"),
    ],
)
def test_implausible_locations_are_refused(lat: str, lon: str, acc: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        geo.parse_location(lat, lon, acc)


def test_the_edges_of_the_globe_are_accepted() -> None:
    assert geo.parse_location("90", "-180", "0") == geo.Location(Decimal(90), Decimal(-180), Decimal(0))
    assert geo.parse_location("-90", "180") is not None
