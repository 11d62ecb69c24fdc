"""One answer for an unknown id and for another region's object: the same 404 page and the same API JSON, byte for
byte (apart from the per-request nonce and CSRF token), so the answer never tells whether the object exists."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import PersonaClient
from kla.accounts import access
from kla.accounts.models import User
from kla.evaluations.models import Entry, Evaluation
from kla.indicators.models import Framework
from kla.rad.services import plan_create
from kla.regions.models import Region

UNKNOWN = 987654321
VARYING = re.compile(rb'(nonce=|csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"')


def _lubuklinggau() -> Client:
    client = PersonaClient()
    client.force_login(User.objects.get(username="gt-lubuklinggau"))
    return client


def _body(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 404, (url, response.status_code)
    # the per-request nonce and CSRF token, and the page's own address (the language switch returns to it)
    return VARYING.sub(rb'\1""', response.content).replace(url.encode(), b"URL")


def _palembang_objects() -> dict[str, int]:
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    entry = Entry.objects.filter(evaluation=evaluation).order_by("pk").first()
    assert entry is not None
    framework = Framework.objects.order_by("-year").first()
    assert framework is not None
    plan = plan_create(
        region=Region.objects.get(code="16.71"), framework=framework, start_year=2025, end_year=2029, by=None
    )
    return {"evaluation": evaluation.pk, "entry": entry.pk, "plan": plan.pk}


PAGES = {"evaluation": "/evaluasi/{}/", "entry": "/entri/{}/", "plan": "/rad/{}/"}
API = {"evaluation": "/api/v1/evaluations/{}", "entry": "/api/v1/entries/{}", "plan": "/api/v1/action-plans/{}"}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_another_regions_object_answers_exactly_like_an_unknown_id(kind: str) -> None:
    pk = _palembang_objects()[kind]
    client = _lubuklinggau()
    page = _body(client, PAGES[kind].format(pk))
    assert page == _body(client, PAGES[kind].format(UNKNOWN))
    assert str(access.NOT_FOUND).encode() in page
    api = _body(client, API[kind].format(pk))
    assert api == _body(client, API[kind].format(UNKNOWN))
    assert api.decode() == f'{{"detail": "{access.NOT_FOUND}"}}'


@pytest.mark.django_db
def test_the_region_pages_answer_alike_for_an_unknown_and_another_region() -> None:
    client = _lubuklinggau()
    for url in ("/rad/wilayah/{}/", "/kegiatan/wilayah/{}/", "/gugus-tugas/wilayah/{}/", "/wilayah/{}/instansi/"):
        assert _body(client, url.format("16.71")) == _body(client, url.format("99.99")), url
    province = "/verifikasi/evaluasi-kla-demo/provinsi/{}/"
    assert _body(client, province.format("16")) == _body(client, province.format("99"))


@pytest.mark.django_db
def test_people_and_field_pages_answer_alike() -> None:
    client = _lubuklinggau()
    palembang_user = User.objects.get(username="opd-palembang").pk
    assert _body(client, f"/pengguna/{palembang_user}/") == _body(client, f"/pengguna/{UNKNOWN}/")
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71").pk
    plan = "/verifikasi-lapangan/plan/{}/"
    assert _body(client, plan.format(evaluation)) == _body(client, plan.format(UNKNOWN))
