"""RAD KLA's part of the IDOR replay (tests/test_idor.py): Palembang's plan, the body that makes the owner's request
succeed, and whether it writes. Each entry: (Replay's positional arguments, keyword arguments)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from kla.evidence.tests import files
from kla.rad import services
from kla.rad.models import Realisation
from kla.rad.services.basis import version_adopt_with_file
from kla.rad.services.evidence_files import realisation_file_add
from kla.rad.tests import builders as b

Entry = tuple[tuple[Any, ...], dict[str, Any]]


def _built(a: object, adopt: bool = False) -> b.Built:
    """Region A's plan (draft, or adopted), built once per test (the replay asks for its URL more than once)."""
    cache: dict[bool, b.Built] = a.__dict__.setdefault("_rad", {})
    if adopt not in cache:
        cache[adopt] = b.built_plan(adopt=adopt)
    return cache[adopt]


def _pk(pick: Callable[[b.Built], int], adopt: bool = False) -> Callable[[object], dict[str, Any]]:
    return lambda a: {"pk": pick(_built(a, adopt))}


def _region(a: object) -> dict[str, Any]:
    return {"code": b.PALEMBANG}


def _document(a: object) -> dict[str, Any]:
    cache: dict[str, int] = a.__dict__.setdefault("_rad_doc", {})
    if "pk" not in cache:
        built = _built(a)
        basis = services.Basis("perwal", "12 Tahun 2025", b.TODAY.replace(year=2025, month=3, day=3))
        upload = SimpleUploadedFile("perwal.pdf", files.pdf())
        version = version_adopt_with_file(version=built.version, basis=basis, upload=upload, by=None)
        assert version.basis_document is not None
        cache["pk"] = version.basis_document.pk
    return {"pk": cache["pk"]}


def _realised(a: object) -> Realisation:
    """Disdukcapil's birth-certificate activity of region A recorded for 2025's first quarter, once per test."""
    cache: dict[str, Realisation] = a.__dict__.setdefault("_rad_realised", {})
    if "row" not in cache:
        birth = _built(a, adopt=True).birth
        spent = {"apbd_kabkota": "10.000.000"}
        cache["row"] = services.realisation_record(
            node=birth, year=2025, quarter=1, spent=spent, by=None, today=b.TODAY
        )
    return cache["row"]


def _realisation(a: object) -> dict[str, Any]:
    return {"pk": _realised(a).pk}


def _realisation_file(a: object) -> dict[str, Any]:
    cache: dict[str, int] = a.__dict__.setdefault("_rad_realisation_file", {})
    if "pk" not in cache:
        upload = SimpleUploadedFile("akta.jpg", files.jpeg(), content_type="image/jpeg")
        cache["pk"] = realisation_file_add(realisation=_realised(a), upload=upload, by=None).pk
    return {"pk": cache["pk"]}


def _plan_body(a: object) -> dict[str, Any]:
    return {"framework": b.framework().pk, "start_year": "2030", "end_year": "2034"}


def _agency(kind: str) -> Callable[[object], int]:
    return lambda a: b.agency(kind).pk


def _output_body(a: object) -> dict[str, Any]:
    return {"name": "Anak terlayani", "unit": "anak", "target_2025": "1.250", "target_2026": ""}


PLAN = _pk(lambda x: x.plan.pk)
ADOPTED = _pk(lambda x: x.plan.pk, adopt=True)
PLAY = _pk(lambda x: x.play.pk)
OUTPUT = _pk(lambda x: x.play_output.pk)
WRITE = {"writes": True}

REPLAYS: list[Entry] = [
    (("rad:region", "GET", _region, "opd", 200), {}),
    (("rad:plan_create", "POST", _region, "secretariat", 302), {"data": _plan_body, **WRITE}),
    (("rad:plan", "GET", PLAN, "opd", 200), {}),
    (
        ("rad:programme_add", "POST", PLAN, "secretariat", 302),
        {"data": lambda a: {"indicator": b.indicators()[3].pk, "name": "Program baru"}, **WRITE},
    ),
    (("rad:revision_start", "POST", ADOPTED, "secretariat", 302), WRITE),
    (
        ("rad:version_adopt", "POST", _pk(lambda x: x.version.pk), "secretariat", 302),
        {"data": lambda a: {"kind": "perwal", "number": "12 Tahun 2025", "date": "2025-03-03"}, **WRITE},
    ),
    (("rad:node", "GET", PLAY, "opd", 200), {}),
    (
        ("rad:node_update", "POST", PLAY, "secretariat", 302),
        {"data": lambda a: {"name": "Ruang bermain", "code": "", "agency": _agency("DPUPR")(a)}, **WRITE},
    ),
    (
        ("rad:child_add", "POST", _pk(lambda x: x.play.parent_id or 0), "secretariat", 302),
        {"data": lambda a: {"name": "Taman baca", "agency": _agency("DPUPR")(a)}, **WRITE},
    ),
    (("rad:node_remove", "POST", PLAY, "secretariat", 302), WRITE),
    (
        ("rad:budget_set", "POST", PLAY, "secretariat", 302),
        {"data": lambda a: {"b_2025_apbd_kabkota": "Rp 1.000.000"}, **WRITE},
    ),
    (("rad:output_add", "POST", PLAY, "secretariat", 302), {"data": _output_body, **WRITE}),
    (("rad:output_update", "POST", OUTPUT, "secretariat", 302), {"data": _output_body, **WRITE}),
    (("rad:output_remove", "POST", OUTPUT, "secretariat", 302), WRITE),
    (("rad:realisation", "GET", ADOPTED, "opd", 200), {}),
    (("rad:realisation_record", "GET", _pk(lambda x: x.birth.pk, adopt=True), "opd", 200), {}),
    (
        ("rad:realisation_record", "POST", _pk(lambda x: x.birth.pk, adopt=True), "opd", 302),
        {"data": lambda a: {"tahun": "2025", "triwulan": "1", "spent_apbd_kabkota": "10.000.000"}, **WRITE},
    ),
    (("rad:budget", "GET", ADOPTED, "opd", 200), {}),
    (
        ("rad:region_budget", "POST", ADOPTED, "secretariat", 302),
        {"data": lambda a: {"year": "2025", "total": "Rp 5.000.000.000.000"}, **WRITE},
    ),
    (("rad:document", "GET", _document, "opd", 200), WRITE),  # the download is audited
    (
        ("rad:realisation_file_upload", "POST", _realisation, "opd", 302),
        {"data": lambda a: {"file": SimpleUploadedFile("akta.jpg", files.jpeg(), content_type="image/jpeg")}, **WRITE},
    ),
    (("rad:realisation_file", "GET", _realisation_file, "opd", 200), WRITE),  # the download is audited
    (("rad:realisation_file_remove", "POST", _realisation_file, "opd", 302), WRITE),
]
