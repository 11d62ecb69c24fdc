"""The agency registry's part of the IDOR replay (tests/test_idor.py): Palembang's agencies, the body that makes the
owner's request succeed, and whether it writes. Each entry: (Replay's positional arguments, keyword arguments)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

from django.core.files.uploadedfile import SimpleUploadedFile

from kla.agencies.models import Agency
from kla.agencies.services import agency_create, agency_deactivate
from kla.regions.models import Region

PALEMBANG = "16.71"
Entry = tuple[tuple[Any, ...], dict[str, Any]]


def _region(a: object) -> dict[str, Any]:
    return {"code": PALEMBANG}


def _disdukcapil() -> Agency:
    return Agency.objects.get(region_id=PALEMBANG, kind="DISDUKCAPIL")


def _idle() -> Agency:
    return agency_create(
        region=Region.objects.get(pk=PALEMBANG), kind="LAINNYA", name=f"Lembaga IDOR {uuid4().hex[:8]}", by=None
    )


def _inactive() -> Agency:
    return agency_deactivate(agency=_idle(), by=None)


def _pk(build: Callable[[], Agency]) -> Callable[[object], dict[str, Any]]:
    """Region A's agency, built once per test (the replay asks for its URL more than once)."""

    def kwargs(a: object) -> dict[str, Any]:
        cache: dict[Any, Any] = a.__dict__.setdefault("_agencies", {})
        if build not in cache:
            cache[build] = build()
        return {"pk": cache[build].pk}

    return kwargs


def _csv(a: object) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("instansi.csv", b"jenis;nama\nDINKES;Dinas Kesehatan IDOR\n")}


def _edit(a: object) -> dict[str, Any]:
    return {"kind": "DISDUKCAPIL", "name": "Disdukcapil IDOR", "short_name": "Disdukcapil"}


REPLAYS: list[Entry] = [
    (("agencies:region", "GET", _region, "secretariat", 200), {}),
    (
        ("agencies:add", "POST", _region, "secretariat", 302),
        {"data": lambda a: {"kind": "DINKES", "name": "Puskesmas IDOR"}, "writes": True},
    ),
    (("agencies:import", "GET", _region, "secretariat", 200), {}),
    (("agencies:import", "POST", _region, "secretariat", 302), {"data": _csv, "writes": True}),
    (("agencies:edit", "GET", _pk(_disdukcapil), "secretariat", 200), {}),
    (("agencies:edit", "POST", _pk(_disdukcapil), "secretariat", 302), {"data": _edit, "writes": True}),
    (("agencies:deactivate", "GET", _pk(_idle), "secretariat", 200), {}),
    (("agencies:deactivate", "POST", _pk(_idle), "secretariat", 302), {"writes": True}),
    (("agencies:reactivate", "POST", _pk(_inactive), "secretariat", 302), {"writes": True}),
    (("api:region_agencies", "GET", _region, "secretariat", 200), {}),
    (
        ("api:region_agency_create", "POST", _region, "secretariat", 201),
        {"data": lambda a: {"kind": "DINKES", "name": "Dinas Kesehatan API"}, "writes": True},
    ),
]
