"""The framework file schema: good files parse, bad files are refused with the field and the problem named."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from kla.indicators.framework_schema import FrameworkError, json_schema, parse_framework

FRAMEWORKS = Path(__file__).resolve().parents[1] / "frameworks"


def minimal() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "code": "mini-2024",
        "year": 2024,
        "name": "Instrumen mini",
        "name_en": "Mini instrument",
        "level": "kabkota",
        "weights": {"status": "reference", "note": "Bobot referensi", "note_en": "Reference weights"},
        "max_total": 100,
        "gate": {"min_exclusive": 50},
        "bands": [
            {"code": "pratama", "name": "Pratama", "min": 50, "max": 60},
            {"code": "madya", "name": "Madya", "min": 61, "max": 100},
        ],
        "province_rule": {"min_band": "pratama", "description": "Semua kab/kota", "description_en": "All"},
        "clusters": [
            {
                "code": "KL",
                "number": 0,
                "name": "Kelembagaan",
                "name_en": "Institutions",
                "indicators": [
                    {
                        "number": 1,
                        "code": "1",
                        "name": "Perda KLA",
                        "name_en": "KLA regulation",
                        "max_points": 100,
                        "agencies": ["BAPPEDA", "DPPPA"],
                        "questions": [
                            {
                                "code": "1.1",
                                "text": "Ada Gugus Tugas",
                                "text_en": "Task force",
                                "type": "yes_no",
                                "max_points": 30,
                            },
                            {
                                "code": "1.2",
                                "text": "Bentuk regulasi",
                                "text_en": "Form",
                                "type": "option",
                                "max_points": 40,
                                "options": [
                                    {"code": "perda", "label": "Perda", "label_en": "Regulation", "points": 40},
                                    {"code": "sk", "label": "SK", "label_en": "Decree", "points": 12.5},
                                ],
                            },
                            {
                                "code": "1.3",
                                "text": "Cakupan akta",
                                "text_en": "Coverage",
                                "type": "percentage",
                                "max_points": 30,
                                "numerator_label": "anak berakta",
                                "denominator_label": "anak",
                                "thresholds": [{"at_least": 90, "points": 30}, {"at_least": 50, "points": 10}],
                            },
                            {"code": "1.4", "text": "Tanggal", "text_en": "Date", "type": "date", "max_points": 0},
                        ],
                    }
                ],
            }
        ],
    }


def test_minimal_file_parses_with_exact_decimals() -> None:
    spec = parse_framework(minimal())
    assert spec.code == "mini-2024"
    assert len(spec.indicators) == 1
    option = spec.indicators[0].questions[1].options[1]
    assert option.points == Decimal("12.5")


def _problems(data: Any) -> list[str]:
    with pytest.raises(FrameworkError) as exc:
        parse_framework(data)
    return exc.value.messages


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    node: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    last = parts[-1]
    if value is _DELETE:
        del node[int(last) if last.isdigit() else last]
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return data


_DELETE = object()
Q = "clusters.0.indicators.0.questions"


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("name", _DELETE, "name: wajib diisi"),
        ("colour", "red", "colour: kolom tidak dikenal"),
        ("year", "dua ribu", "year: harus bilangan bulat"),
        ("level", "negara", "level: nilai tidak dikenal"),
        ("max_total", 90, "jumlah max_points semua indikator (100) tidak sama dengan max_total (90)"),
        ("clusters.0.indicators.0.max_points", 90, "clusters[0].indicators[0]: jumlah max_points pertanyaan (100)"),
        ("clusters.0.indicators.0.agencies", ["DINAS_X"], "agencies: kode instansi tidak dikenal: DINAS_X"),
        (f"{Q}.1.options.1.points", "banyak", "clusters[0].indicators[0].questions[1].options[1].points: harus"),
        (f"{Q}.1.options.1.points", -1, "options[1].points: harus paling kecil 0"),
        (f"{Q}.1.options", [{"code": "a", "label": "A", "label_en": "A", "points": 40}], "paling sedikit 2 pilihan"),
        (f"{Q}.1.options.1.code", "perda", "kode pilihan ganda: perda"),
        (f"{Q}.1.options.0.points", 35, "poin pilihan tertinggi (35) harus sama dengan max_points (40)"),
        (f"{Q}.2.thresholds", [], "butuh rubrik thresholds"),
        (f"{Q}.2.thresholds.1", {"at_most": 5, "points": 10}, "harus searah"),
        (f"{Q}.2.thresholds.0", {"at_least": 120, "points": 30}, "batas persentase 120 harus di antara 0 dan 100"),
        (f"{Q}.2.thresholds.0", {"points": 30}, "isi tepat satu dari at_least atau at_most"),
        (f"{Q}.3.max_points", 5, "jawaban bertipe date bersifat keterangan"),
        (f"{Q}.0.type", "essay", "questions[0].type: nilai tidak dikenal"),
        (f"{Q}.1.code", "1.1", "kode pertanyaan ganda: 1.1"),
        ("bands.1.min", 55, "predikat madya: min (55) harus lebih besar dari max predikat pratama"),
        ("bands.1.min", 70, "ada celah nilai antara predikat pratama dan madya"),
        ("province_rule.min_band", "emas", "province_rule.min_band 'emas' bukan kode predikat"),
        ("code", "kode dengan spasi", "code: hanya boleh huruf, angka"),
        ("schema_version", 2, "schema_version: nilai tidak dikenal"),
    ],
)
def test_bad_file_names_the_field_and_the_problem(path: str, value: Any, expected: str) -> None:
    problems = _problems(_set(minimal(), path, value))
    assert any(expected in p for p in problems), problems


def test_all_problems_are_reported_at_once() -> None:
    data = _set(_set(minimal(), "name", _DELETE), "year", "x")
    problems = _problems(data)
    assert len(problems) >= 2
    with pytest.raises(FrameworkError) as info:
        parse_framework(data)
    assert str(info.value) == "\n".join(info.value.messages)  # one problem per line


@pytest.mark.parametrize("data", [[], "teks", None, 42])
def test_non_mapping_file_is_refused(data: Any) -> None:
    assert _problems(data) == ["(berkas): isi berkas harus berupa objek YAML/JSON, bukan daftar atau teks"]


def test_bundled_instrument_has_24_indicators_in_6_groups_and_1000_points() -> None:
    spec = parse_framework(yaml.safe_load((FRAMEWORKS / "kla-2024.yaml").read_text(encoding="utf-8")))
    assert [c.code for c in spec.clusters] == ["KL", "K1", "K2", "K3", "K4", "K5"]
    assert [i.number for i in spec.indicators] == list(range(1, 25))
    assert sum(i.max_points for i in spec.indicators) == Decimal(1000)
    assert spec.weights.status == "reference"
    assert [(b.code, b.min, b.max) for b in spec.bands] == [
        ("pratama", 500, 600),
        ("madya", 601, 700),
        ("nindya", 701, 800),
        ("utama", 801, 900),
        ("kla", 901, 1000),
    ]
    assert spec.gate.min_exclusive == 500
    assert spec.province_rule is not None and spec.province_rule.min_band == "pratama"
    # Every indicator asks something and names who usually answers it; every scored question asks for evidence.
    for indicator in spec.indicators:
        assert indicator.agencies and indicator.questions
        for q in indicator.questions:
            if q.max_points > 0:
                assert q.evidence, f"{q.code} has no evidence requirement"


def test_committed_json_schema_matches_the_models() -> None:
    committed = json.loads((FRAMEWORKS / "framework.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run: make schema"
