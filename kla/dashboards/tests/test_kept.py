"""The dashboards' figures kept in the cache (kla.dashboards.kept): a change of what they show is shown on the next
request (the key follows the data), and the key tells viewers apart by their grants, not by who they are."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from kla.accounts.models import User
from kla.dashboards import kept
from kla.dashboards.tests.test_map import import_boundaries
from kla.evaluations.models import Answer, Cycle, Evaluation
from kla.indicators.models import Question
from kla.results.models import StageScore

CYCLE = "evaluasi-kla-demo"
pytestmark = pytest.mark.django_db


def _palembang() -> Evaluation:
    return Evaluation.objects.get(cycle__code=CYCLE, region_id="16.71")


def _row(html: str, name: str = "PALEMBANG") -> str:
    start = html.upper().index(name, html.index("<tbody", html.index('id="kabkota"')))
    return html[start : html.index("</tr>", start)]


def test_a_status_change_shows_at_once_on_the_national_dashboard(client_for: Any) -> None:
    cache.clear()
    client, url = client_for("ministry_admin"), f"/dasbor/nasional/?cycle={CYCLE}&provinsi=16"
    before = client.get(url).content.decode()
    assert "Verifikasi administrasi provinsi" not in _row(before)
    Evaluation.objects.filter(pk=_palembang().pk).update(status="province_review", status_changed_at=timezone.now())
    after = client.get(url).content.decode()
    assert "Verifikasi administrasi provinsi" in _row(after)


def test_a_final_score_shows_at_once_on_the_national_dashboard(client_for: Any) -> None:
    cache.clear()
    client, url = client_for("ministry_admin"), f"/dasbor/nasional/?cycle={CYCLE}&provinsi=16"
    assert "612,34" not in _row(client.get(url).content.decode())
    StageScore.objects.create(evaluation=_palembang(), stage="final", total=Decimal("612.34"), framework_code="x")
    assert "612,34" in _row(client.get(url).content.decode())


def test_answers_show_at_once_on_the_province_dashboard(client_for: Any) -> None:
    cache.clear()
    client, url = client_for("province"), f"/dasbor/provinsi/16/?cycle={CYCLE}"
    before = _row(client.get(url).content.decode())
    for entry in _palembang().entries.all():  # every question answered, as the secretariat's saves would
        for question in Question.objects.filter(indicator_id=entry.indicator_id):
            Answer.objects.update_or_create(entry=entry, question=question, defaults={"answered": True})
    after = _row(client.get(url).content.decode())
    assert before != after and "100%" in after


def test_the_htmx_filter_and_the_page_share_the_kept_figures(
    client_for: Any, django_assert_max_num_queries: Any
) -> None:
    cache.clear()
    client, url = client_for("province"), f"/dasbor/provinsi/16/?cycle={CYCLE}"
    page = client.get(url).content.decode()
    with django_assert_max_num_queries(6):
        partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.strip() in page


def test_viewers_with_the_same_grants_share_a_key_and_others_do_not(client_for: Any) -> None:
    cycle = Cycle.objects.select_related("framework").get(code=CYCLE)
    users = {p: User.objects.get(pk=client_for(p).session["_auth_user_id"]) for p in ("province", "ministry_admin")}
    assert kept.viewer_key(users["province"]) != kept.viewer_key(users["ministry_admin"])
    assert kept.key("national", users["province"], cycle) != kept.key("national", users["ministry_admin"], cycle)
    twin = User.objects.create(username="kembar-provinsi")
    for membership in users["province"].memberships.all():
        membership.pk, membership.user = None, twin
        membership.save()
    assert kept.viewer_key(twin) == kept.viewer_key(users["province"])


def test_answers_show_at_once_on_the_kabkota_dashboard(client_for: Any) -> None:
    cache.clear()
    client, url = client_for("secretariat"), f"/dasbor/kabkota/16.71/?cycle={CYCLE}"
    before = client.get(url).content.decode()
    entry = _palembang().entries.order_by("pk").first()
    assert entry is not None
    for question in Question.objects.filter(indicator_id=entry.indicator_id):
        Answer.objects.update_or_create(entry=entry, question=question, defaults={"answered": True})
    after = client.get(url).content.decode()
    assert before != after
    assert client.get(url, headers={"HX-Request": "true"}).content.decode().strip() in after


def test_imported_boundaries_show_at_once_on_the_dashboards(client_for: Any, tmp_path: Path) -> None:
    """The kept page carries whether its map has boundaries (read by the fingerprint query): an import shows."""
    cache.clear()
    pages = [(client_for("province"), f"/dasbor/provinsi/16/?cycle={CYCLE}", "/dasbor/provinsi/16/peta.geojson")]
    pages.append((client_for("ministry_admin"), f"/dasbor/nasional/?cycle={CYCLE}", "/dasbor/nasional/peta.geojson"))
    for client, url, _geojson in pages:
        assert "data-geojson" not in client.get(url).content.decode()
    import_boundaries(tmp_path)
    for client, url, geojson in pages:
        assert f'data-geojson="{geojson}?cycle={CYCLE}"' in client.get(url).content.decode()
        partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert f'data-geojson="{geojson}?cycle={CYCLE}"' in partial


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("secretariat", "/dasbor/kabkota/16.71/"),
        ("province", "/dasbor/provinsi/16/"),
        ("ministry_admin", "/dasbor/nasional/"),
    ],
)
def test_the_cycle_filter_kept_with_the_page_follows_the_cycles(client_for: Any, persona: str, url: str) -> None:
    """The page is kept with its filter: a cycle opened, or the shown one renamed, shows on the next request."""
    cache.clear()
    client, shown = client_for(persona), Cycle.objects.get(code=CYCLE)
    assert "Siklus lama" not in client.get(url, {"cycle": CYCLE}).content.decode()
    Cycle.objects.create(code="siklus-lama", name="Siklus lama", year=2020, framework=shown.framework, status="open")
    page = client.get(url, {"cycle": CYCLE}).content.decode()
    assert '<option value="siklus-lama" >Siklus lama (2020)</option>' in page
    Cycle.objects.filter(code="siklus-lama").update(name="Siklus tua")
    page = client.get(url, {"cycle": CYCLE}).content.decode()
    assert '<option value="siklus-lama" >Siklus tua (2020)</option>' in page
    Cycle.objects.filter(code=CYCLE).update(name="Siklus berganti nama")
    page = client.get(url, {"cycle": CYCLE}).content.decode()
    assert '<option value="evaluasi-kla-demo" selected>Siklus berganti nama' in page
    assert '<p class="muted">Siklus berganti nama' in page  # the figures' own heading


def test_the_national_key_is_the_one_the_map_shares(client_for: Any) -> None:
    """The page's key (with the facts read by the same query) is the national map's (`kept.key`)."""
    cycle = Cycle.objects.select_related("framework").get(code=CYCLE)
    user = User.objects.get(pk=client_for("ministry_admin").session["_auth_user_id"])
    keyed = kept.national(user, cycle, "16")
    assert keyed.key == kept.key("national", user, cycle) and keyed.facts == (False, True)
    assert kept.national(user, cycle, "16.71").facts == (False, False)
    assert kept.national(user, cycle).facts == (False, False)
