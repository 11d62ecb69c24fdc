"""Validation errors said in Indonesian with the path of the field (kla.core.validation_messages), from error
details shaped as pydantic and django-ninja give them."""

from __future__ import annotations

import pytest

from kla.core.validation_messages import describe_error, field_path


@pytest.mark.parametrize(
    ("loc", "skip", "path"),
    [
        (("clusters", 1, "indicators", 0, "max_points"), (), "clusters[1].indicators[0].max_points"),
        ((0, "code"), (), "[0].code"),
        (("query", "cycle"), ("query",), "cycle"),
        (("body", "payload", "items", 2), ("body", "payload"), "items[2]"),
        (("filters", "region", "body", "code"), ("body", "filters"), "region.code"),  # skipped in the middle too
        ((), (), "(berkas)"),
        (("query",), ("query",), "(berkas)"),
    ],
)
def test_field_path(loc: tuple[int | str, ...], skip: tuple[str, ...], path: str) -> None:
    assert field_path(loc, skip) == path


@pytest.mark.parametrize(
    ("error", "line"),
    [
        ({"type": "missing", "loc": ("gate",), "msg": "Field required"}, "gate: wajib diisi"),
        ({"type": "brand_new", "loc": ["x"], "msg": "Something new"}, "x: Something new"),
        ({"type": "value_error", "loc": ("bands",), "msg": "Value error, ganda", "ctx": {"error": "ada celah"}},
         "bands: ada celah"),
        ({"type": "value_error", "loc": ("bands",), "msg": "Value error, ganda"}, "bands: Value error, ganda"),
        ({"type": "enum", "loc": ("type",), "msg": "Input should be", "ctx": {"expected": "'option' or 'number'"}},
         "type: nilai tidak dikenal (pilihan: 'option' or 'number')"),
        ({"type": "literal_error", "loc": ("level",), "msg": "x", "ctx": {"expected": "'kabkota'"}},
         "level: nilai tidak dikenal (pilihan: 'kabkota')"),
        ({"type": "enum", "loc": ("type",), "msg": "x"}, "type: nilai tidak dikenal"),
        ({"type": "missing", "loc": ("a",), "msg": "x", "ctx": {"expected": "b"}}, "a: wajib diisi"),
        ({"type": "greater_than_equal", "loc": ("min",), "msg": "x", "ctx": {"ge": 0}}, "min: harus paling kecil 0"),
        ({"type": "greater_than_equal", "loc": ("min",), "msg": "x"}, "min: di bawah batas"),
        ({"type": "less_than_equal", "loc": ("max",), "msg": "x", "ctx": {"le": 1000}}, "max: harus paling besar 1000"),
        ({"type": "less_than_equal", "loc": ("max",), "msg": "x", "ctx": {"ge": 0}}, "max: melebihi batas"),
        ({"type": "missing", "loc": ("max",), "msg": "x", "ctx": {"le": 3, "ge": 1}}, "max: wajib diisi"),
        ({"type": "missing", "loc": ("max",), "msg": "x", "ctx": "not a mapping"}, "max: wajib diisi"),
        ({"type": "missing", "loc": "max", "msg": "x"}, "(berkas): wajib diisi"),
    ],
)  # fmt: skip
def test_describe_error(error: dict[str, object], line: str) -> None:
    assert describe_error(error) == line


def test_describe_error_skips_the_request_parts_ninja_adds() -> None:
    error = {"type": "int_parsing", "loc": ["query", "page"], "msg": "Input should be a valid integer"}
    assert describe_error(error, skip=("query",)) == "page: harus bilangan bulat"
