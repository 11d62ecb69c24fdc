"""The dashboards' figures kept in the cache (kla.dashboards.kept): a change of what they show is shown on the next
request (the key follows the data), and the key tells viewers apart by their grants, not by who they are."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from kla.accounts.models import User
from kla.dashboards import kept
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
