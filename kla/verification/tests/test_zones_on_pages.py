"""Pages show an instant in the viewer's region zone with its label, and numbers and dates the way of the page's
language: a Jayapura secretariat reads 18.00 WIT on its entry page, Palembang's 16.00 WIB, an English page 16:00 WIB
with English numbers."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kla.core.templatetags.formats import number
from kla.evaluations.models import Evaluation
from kla.verification.tests.far_regions import JAYAPURA, MAKASSAR, evaluation_in, returned_entry, secretariat_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("region", "local"), [(JAYAPURA, "7 Des 2026 18.00 WIT"), (MAKASSAR, "7 Des 2026 17.00 WITA")])
def test_a_far_secretariat_reads_the_fix_deadline_in_its_zone_on_the_entry_page(region: str, local: str) -> None:
    entry = returned_entry(evaluation_in(region))
    client = Client()
    client.force_login(secretariat_of(region))
    body = client.get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert f"batas perbaikan {local}" in body
    assert "16.00 WIB" not in body and "09.00" not in body


def test_palembang_reads_the_same_instant_in_wib(client_for) -> None:  # type: ignore[no-untyped-def]
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    entry = returned_entry(evaluation)
    url = reverse("evaluations:entry_detail", args=[entry.pk])
    assert "batas perbaikan 7 Des 2026 16.00 WIB" in client_for("secretariat").get(url).content.decode()


def test_an_english_page_shows_english_dates_and_numbers(client_for) -> None:  # type: ignore[no-untyped-def]
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    entry = returned_entry(evaluation)
    client = client_for("secretariat")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert "7 Dec 2026 16:00 WIB" in body
    assert "7 Des 2026" not in body and "16.00 WIB" not in body
    with translation.override("en"):  # the filter the page uses, in the page's language
        assert number(Decimal("1234.5"), 2) == "1,234.50"
        assert re.search(rf"/ {re.escape(number(entry.indicator.max_points, '-2'))}\b", body)
    assert re.search(r"Provisional EM score:</strong> (\d{1,3}(,\d{3})*\.\d\d)\b", body), (
        "English grouping and decimals"
    )


@pytest.mark.parametrize(("zone", "local"), [("Asia/Jayapura", "18.00 WIT"), ("Asia/Jakarta", "16.00 WIB")])
def test_a_refusal_after_the_fix_deadline_gives_it_in_the_viewer_zone(zone: str, local: str) -> None:
    from django.utils import timezone

    from kla.evaluations.models import Entry
    from kla.evaluations.services.writability import entry_closed
    from kla.verification.tests.far_regions import DEADLINE

    with timezone.override(zone):  # as ViewerZoneMiddleware sets it for the request
        message = entry_closed(
            entry_status=Entry.Status.RETURNED,
            return_deadline=DEADLINE,
            evaluation_editable=False,
            self_assessment_ends=None,
            now=DEADLINE + dt.timedelta(minutes=1),
        )
    assert message is not None and f"(7 Desember 2026 pukul {local})" in message
