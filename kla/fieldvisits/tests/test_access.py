"""Every URL of field verification × every persona × GET/POST: the expected answer (see matrix.RULES)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, reverse

from kla.fieldvisits import urls
from kla.fieldvisits.tests.matrix import PERSONAS, RULES

pytestmark = [pytest.mark.django_db, pytest.mark.urls("kla.fieldvisits.tests.urls")]

CASES = [
    (name, method, persona) for name, (expect, _k, _d) in RULES.items() for method in expect for persona in PERSONAS
]


def test_every_url_has_a_rule() -> None:
    names = {f"fieldvisits:{p.name}" for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(RULES)


@pytest.mark.parametrize(("name", "method", "persona"), CASES)
def test_persona_gets_the_expected_answer(name: str, method: str, persona: str, client_for) -> None:
    expect, kwargs, data = RULES[name]
    url = reverse(name, kwargs=kwargs())
    client = client_for(persona)
    response = client.get(url) if method == "GET" else client.post(url, data)
    expected = expect[method][persona]
    assert response.status_code == expected, f"{method} {url} as {persona}: {response.status_code} != {expected}"
    if persona == "anonymous" and expected == 302:
        assert response.url.startswith(reverse("accounts:login"))
