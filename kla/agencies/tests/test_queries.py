"""Query counts of the agency pages and API reads, pinned: the same with a few agencies or many."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kla.accounts.models import User
from kla.agencies import services
from kla.regions.models import Region

pytestmark = pytest.mark.django_db

# (persona, URL, queries): the user with memberships, region, agencies (with who deactivated them), the page's reads
PAGES = [
    ("secretariat", "/wilayah/16.71/instansi/", 3),
    ("province", "/wilayah/16/instansi/", 3),
    ("ministry_admin", "/instansi/?q=Sumatera", 2),
    ("secretariat", "/wilayah/16.71/instansi/impor/", 2),
    ("secretariat", "/api/v1/regions/16.71/agencies?status=all", 3),
    ("secretariat", "/api/v1/regions/16.71/agencies?available=true", 3),
]


def _counts(client_for: Callable[[str], Client]) -> dict[str, int]:
    out = {}
    for persona, url, _pinned in PAGES:
        client = client_for(persona)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        out[f"{persona} {url}"] = len([q for q in captured.captured_queries if "django_session" not in q["sql"]])
    return out


def test_counts_are_pinned_and_do_not_grow(client_for: Callable[[str], Client], user_of: Callable[[str], User]) -> None:
    few = _counts(client_for)
    assert few == {f"{persona} {url}": pinned for persona, url, pinned in PAGES}
    palembang, province = Region.objects.get(pk="16.71"), Region.objects.get(pk="16")
    for i in range(40):
        agency = services.agency_create(region=palembang, kind="LAINNYA", name=f"Lembaga {i}", by=None)
        if i % 4 == 0:
            services.agency_deactivate(agency=agency, by=user_of("secretariat"))
    for kind in ("KEMENKUMHAM", "KEJATI", "BNNP", "POLDA"):
        services.agency_create(region=province, kind=kind, by=None)
    many = _counts(client_for)
    assert many == few
