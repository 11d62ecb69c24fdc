"""The public results page for anonymous visitors: served from the cache, yet never stale, sealed or someone else's.

Every test starts with an empty cache (conftest.py). "Queries" below leave out the session table.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.indicators.models import Framework
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results import public_cache
from kla.results.models import StageScore
from kla.results.tests.test_views import DEMO, SEALED, determine, palembang, publish

pytestmark = pytest.mark.django_db

URL = reverse("results:public_cycle", kwargs={"cycle_code": DEMO})
SUMSEL = URL + "?provinsi=16"
OPEN = '<div id="results" aria-live="polite">'
FINAL = "654,32"  # Palembang's final score (Madya), shown only where the seal allows it


@pytest.fixture
def published() -> Evaluation:
    """The demo cycle published with one result: Palembang, Madya; the other kab/kota have none."""
    evaluation = determine(palembang())
    publish(evaluation.cycle)
    return evaluation


def get(client: Client, url: str, **headers: str) -> tuple[str, int]:
    """The body and the number of queries (without the session's) of one GET that must succeed."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response.content.decode(), len([q for q in ctx.captured_queries if "django_session" not in q["sql"]])


def results_of(page: str) -> str:
    """The `results` region of a full page (what an htmx request receives alone), up to its closing tag."""
    rest = page.split(OPEN, 1)[1]
    depth = 0
    for tag in re.finditer(r"<(/?)div\b", rest):
        if tag.group(1) and depth == 0:
            return rest[: tag.start()]
        depth += -1 if tag.group(1) else 1
    raise AssertionError("the results region is not closed")


def final_score_of(region: str, total: str, *, stage: ScoreStage = ScoreStage.FINAL) -> None:
    """A final score saved the way the verification service saves it (`update_or_create`)."""
    evaluation = Evaluation.objects.get(cycle__code=DEMO, region_id=region)
    StageScore.objects.update_or_create(
        evaluation=evaluation,
        stage=stage.value,
        defaults={"total": Decimal(total), "framework_code": "kla-2024-ref", "breakdown": {}},
    )


# --- served from the cache --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "shown"), [(URL, "Sumatera Selatan"), (SUMSEL, "Palembang")])
def test_a_second_anonymous_request_is_served_from_the_cache(published, url, shown) -> None:
    first, built = get(Client(), url)
    second, served = get(Client(), url)  # another visitor
    assert results_of(second) == results_of(first) and shown in results_of(first)
    assert served <= 2 < built  # the cycle (publication) and the fingerprint of its results


def test_the_page_and_the_htmx_request_share_the_cached_results(published) -> None:
    page, _ = get(Client(), SUMSEL)
    partial, queries = get(Client(), SUMSEL, **{"HX-Request": "true"})
    assert partial == results_of(page) and "<html" not in partial
    assert queries <= 2


def test_the_cached_results_hold_nothing_per_request(published) -> None:
    """Two visitors get different CSRF tokens on the page around the same cached results."""
    first, _ = get(Client(), URL)
    second, _ = get(Client(), URL)
    assert results_of(first) == results_of(second)
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.split(token)[1][:20] != second.split(token)[1][:20]  # the page itself is still per request
    for word in ("csrf", "CSRF", "nonce"):
        assert word not in results_of(first)


def test_searches_are_built_for_each_request(published) -> None:
    body, _ = get(Client(), URL + "?q=palem")
    assert "Palembang" in results_of(body) and "Madya" in body and "Lubuk Linggau" not in results_of(body)
    final_score_of("16.71", "801.00")
    body, queries = get(Client(), URL + "?q=palem")
    assert "Utama" in body and "Madya" not in body and queries > 2


def test_the_cached_query_count_does_not_grow_and_neither_does_the_uncached_one(published) -> None:
    def counts() -> tuple[int, int]:
        cache.clear()
        _body, built = get(Client(), SUMSEL)
        _body, served = get(Client(), SUMSEL)
        return built, served

    small = counts()
    for i, evaluation in enumerate(Evaluation.objects.filter(cycle__code=DEMO).exclude(region_id="16.71")[:8]):
        final_score_of(evaluation.region_id, str(520 + 20 * i))
    assert counts() == small
    assert small[1] <= 2 and small[0] <= 9  # built: + whether boundaries were imported for the map (choropleth)


# --- never stale ---------------------------------------------------------------------------------------------


def test_public_details_toggled_show_at_once(published) -> None:
    assert FINAL not in get(Client(), SUMSEL)[0]
    Cycle.objects.filter(code=DEMO).update(public_details=True)
    assert FINAL in results_of(get(Client(), SUMSEL)[0])
    Cycle.objects.filter(code=DEMO).update(public_details=False)
    assert FINAL not in get(Client(), SUMSEL)[0]


def test_a_new_final_score_shows_at_once(published) -> None:
    before = results_of(get(Client(), SUMSEL)[0])
    assert "Nindya" not in before
    final_score_of("16.73", "720.00")  # Lubuk Linggau
    after = results_of(get(Client(), SUMSEL)[0])
    assert "Nindya" in after and after != before


def test_a_changed_final_score_shows_at_once(published) -> None:
    assert "Madya" in get(Client(), SUMSEL)[0]
    final_score_of("16.71", "801.00")  # Palembang moves from Madya to Utama
    body = results_of(get(Client(), SUMSEL)[0])
    assert "Utama" in body and "Madya" not in body


def test_the_fingerprint_follows_every_change_the_public_can_see(published) -> None:
    def version() -> str:
        return public_cache.results_version(Cycle.objects.select_related("framework").get(code=DEMO))

    seen = [version()]
    assert version() == seen[0]  # nothing changed, nothing to rebuild
    final_score_of("16.71", SEALED[ScoreStage.VL], stage=ScoreStage.VL)  # not the public's
    assert version() == seen[0]

    def changed() -> None:
        seen.append(version())
        assert seen[-1] != seen[-2]

    lubuk = Evaluation.objects.get(cycle__code=DEMO, region_id="16.73")
    lubuk.status, lubuk.status_changed_at = Evaluation.Status.SUBMITTED, timezone.now()
    lubuk.save(update_fields=["status", "status_changed_at"])  # as the workflow service moves it
    changed()
    final_score_of("16.73", "480.00")
    changed()
    final_score_of("16.73", "490.00")
    changed()
    StageScore.objects.filter(evaluation=lubuk, stage=ScoreStage.FINAL).delete()
    changed()
    Cycle.objects.filter(code=DEMO).update(public_details=True)
    changed()
    framework = Framework.objects.get(cycles__code=DEMO)
    framework.save()  # the loader saves the framework: bands or the province rule may have changed
    changed()
    elsewhere = Region.objects.filter(level=Level.KABKOTA).exclude(evaluations__cycle=published.cycle).first()
    assert elsewhere is not None
    Evaluation.objects.create(cycle=published.cycle, region=elsewhere)
    changed()


# --- per language, per visitor, and never before publication ----------------------------------------------------


def test_each_language_gets_its_own_results(published) -> None:
    indonesian = results_of(get(Client(), URL)[0])
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    english = results_of(get(english_client, URL)[0])
    assert "Per provinsi" in indonesian and "By province" in english and "Per provinsi" not in english
    assert results_of(get(Client(), URL)[0]) == indonesian


@pytest.mark.parametrize("persona", ["ministry_verifier", "secretariat"])
def test_signed_in_users_are_not_served_the_anonymous_results_nor_the_other_way(published, persona, client_for) -> None:
    """After publication the ministry and the kab/kota see the final score on this page; the public does not."""
    assert FINAL not in get(Client(), SUMSEL)[0]  # cached for the public
    signed_in, _ = get(client_for(persona), SUMSEL)
    assert FINAL in results_of(signed_in)
    assert FINAL not in get(Client(), SUMSEL)[0]
    cache.clear()
    assert FINAL in results_of(get(client_for(persona), SUMSEL)[0])  # first, then the public
    assert FINAL not in get(Client(), SUMSEL)[0]


def test_no_role_user_builds_the_page_every_time(published, client_for) -> None:
    client = client_for("no_role")
    _body, first = get(client, SUMSEL)
    _body, second = get(client, SUMSEL)
    assert first == second > 2


def test_an_unpublished_cycle_is_404_even_with_its_results_cached(published) -> None:
    assert "Madya" in get(Client(), SUMSEL)[0]
    Cycle.objects.filter(code=DEMO).update(release_at=timezone.now() + dt.timedelta(days=1))
    for url in (URL, SUMSEL):
        response = Client().get(url)
        assert response.status_code == 404 and "Madya" not in response.content.decode()
        response = Client().get(url, headers={"HX-Request": "true"})
        assert response.status_code == 404 and "Madya" not in response.content.decode()
    Cycle.objects.filter(code=DEMO).update(release_at=timezone.now() - dt.timedelta(minutes=1), published_at=None)
    assert Client().get(SUMSEL).status_code == 404


def test_sealed_stages_never_reach_the_cached_results(published) -> None:
    first = results_of(get(Client(), SUMSEL)[0])
    second = results_of(get(Client(), SUMSEL)[0])
    for value in SEALED.values():
        assert value.replace(".", ",") not in first + second and value not in first + second
