"""Data for activity tests, the persona matrix and the IDOR replay: Palembang's activities built through the real
services (by None: the system). The demo operator's agency is Disdukcapil."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from kla.activities import services
from kla.activities.models import Activity, ActivityFile
from kla.agencies.models import Agency
from kla.agencies.services import agency_ensure
from kla.evidence.tests import files
from kla.indicators.models import Indicator
from kla.regions.models import Region

PALEMBANG, LUBUKLINGGAU, SUMSEL = "16.71", "16.73", "16"
KECAMATAN = "16.71.01"


def region(code: str = PALEMBANG) -> Region:
    return Region.objects.select_related("parent").get(code=code)


def agency(kind: str = "DISDUKCAPIL", code: str = PALEMBANG) -> Agency:
    return agency_ensure(region=region(code), kind=kind, by=None)


def kecamatan(code: str = KECAMATAN, name: str = "Ilir Barat II") -> Region:
    """A kecamatan of the kab/kota (the test data set loads none; `make regions-all` loads them all)."""
    parent = region(code.rsplit(".", 1)[0])
    found, _created = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": "kecamatan", "kind": "kecamatan", "parent": parent}
    )
    return found


def data(code: str = PALEMBANG, **changes: Any) -> services.ActivityInput:
    values: dict[str, Any] = {
        "title": "Layanan akta kelahiran keliling",
        "start_date": dt.date(2026, 3, 10),
        "end_date": dt.date(2026, 3, 11),
        "agency_id": agency(code=code).pk,
        "counts": {"girls_0_5": 12, "boys_0_5": 10, "adults": 20},
        "budget_used": "15.000.000",
        "description": "Pelayanan di kelurahan.",
    }
    values.update(changes)
    return services.ActivityInput(**values)


def activity(code: str = PALEMBANG, **changes: Any) -> Activity:
    return services.activity_create(region=region(code), data=data(code, **changes), by=None)


def photo(target: Activity | None = None, name: str = "foto.jpg") -> ActivityFile:
    upload = SimpleUploadedFile(name, files.jpeg(), content_type="image/jpeg")
    return services.file_add(activity=target or activity(), upload=upload, by=None)


def document(target: Activity | None = None) -> ActivityFile:
    upload = SimpleUploadedFile("laporan.pdf", files.pdf(), content_type="application/pdf")
    return services.file_add(activity=target or activity(), upload=upload, by=None)


def indicator(number: int = 4) -> Indicator:
    found = Indicator.objects.filter(number=number).order_by("-framework__year").first()
    assert found is not None
    return found
