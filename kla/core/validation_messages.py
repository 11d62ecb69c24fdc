"""Validation errors from pydantic, said in Indonesian with the path of the field. Pure module: no Django import."""

from __future__ import annotations

from collections.abc import Mapping

# Pydantic's built-in messages are English; the common ones are said again in Indonesian.
_MESSAGES_ID: dict[str, str] = {
    "missing": "wajib diisi",
    "extra_forbidden": "kolom tidak dikenal (periksa ejaan)",
    "string_type": "harus berupa teks",
    "string_too_short": "tidak boleh kosong",
    "string_too_long": "terlalu panjang",
    "string_pattern_mismatch": "hanya boleh huruf, angka, titik, garis bawah atau tanda hubung",
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "decimal_parsing": "harus berupa angka",
    "decimal_type": "harus berupa angka",
    "decimal_max_digits": "terlalu banyak digit",
    "decimal_max_places": "paling banyak 2 angka di belakang koma",
    "greater_than_equal": "di bawah batas",
    "less_than_equal": "melebihi batas",
    "list_type": "harus berupa daftar",
    "too_short": "daftar tidak boleh kosong",
    "enum": "nilai tidak dikenal",
    "literal_error": "nilai tidak dikenal",
    "model_type": "harus berupa objek (pasangan kunci: nilai)",
    "model_attributes_type": "harus berupa objek (pasangan kunci: nilai)",
    "bool_parsing": "harus true atau false",
    "bool_type": "harus true atau false",
}


def field_path(loc: tuple[int | str, ...], skip: tuple[str, ...] = ()) -> str:
    """A dotted path with list indexes in brackets; `skip` drops location prefixes such as ``query``."""
    out = ""
    for part in loc:
        if part in skip:
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(berkas)"


def describe_error(error: Mapping[str, object], skip: tuple[str, ...] = ()) -> str:
    """One line: ``clusters[1].indicators[0].max_points: harus berupa angka``.

    `error` is one of pydantic's error details (``type``, ``loc``, ``msg`` and maybe ``ctx``), as a TypedDict from
    pydantic or as a plain dict from django-ninja.
    """
    kind = str(error["type"])
    found = error.get("ctx")
    ctx: Mapping[str, object] = found if isinstance(found, Mapping) else {}
    if kind == "value_error":
        text = str(ctx.get("error", error["msg"]))
    else:
        text = _MESSAGES_ID.get(kind, str(error["msg"]))
        if kind in ("enum", "literal_error") and "expected" in ctx:
            text += f" (pilihan: {ctx['expected']})"
        elif kind == "greater_than_equal" and "ge" in ctx:
            text = f"harus paling kecil {ctx['ge']}"
        elif kind == "less_than_equal" and "le" in ctx:
            text = f"harus paling besar {ctx['le']}"
    loc = error["loc"]
    return f"{field_path(tuple(loc) if isinstance(loc, list | tuple) else (), skip)}: {text}"
