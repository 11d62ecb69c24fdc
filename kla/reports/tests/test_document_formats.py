"""The score sheet PDF is Indonesian (numbers 1.234,56, dates) and gives its printing time in the region's zone,
whoever asks it and in whatever language their page is (a Jayapura sheet printed by the ministry says WIT); the
evidence pack's list gives upload times in the region's zone."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone, translation

from kla.reports.documents import score_sheet_html
from kla.verification.tests.far_regions import JAYAPURA, MAKASSAR, evaluation_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("region", "label"), [(JAYAPURA, "WIT"), (MAKASSAR, "WITA")])
def test_the_score_sheet_is_printed_in_the_region_zone_and_in_indonesian(region: str, label: str, user_of) -> None:  # type: ignore[no-untyped-def]
    evaluation = evaluation_in(region)
    with translation.override("en"), timezone.override("Asia/Jakarta"):  # an English page of the ministry
        html = score_sheet_html(user_of("ministry_admin"), evaluation)
    printed = re.search(r"Dicetak (.+?) untuk", html)
    assert printed is not None
    assert re.fullmatch(rf"\d{{1,2}} \w+ \d{{4}} pukul \d\d\.\d\d {label}", printed[1]), printed[1]
    assert re.search(r"pukul \d\d\.\d\d", printed[1])  # Indonesian time, even for an English requester


@pytest.mark.parametrize(("region", "local"), [(JAYAPURA, "7 Des 2026 18.00 WIT"), ("16.71", "7 Des 2026 16.00 WIB")])
def test_the_evidence_list_gives_upload_times_in_the_region_zone(region: str, local: str) -> None:
    from kla.evaluations.models import Entry
    from kla.evidence.models import Evidence
    from kla.indicators.models import Indicator, Question
    from kla.regions.zones import zone_of
    from kla.reports.evidence_pack import INDEX_COLUMNS, _index_row
    from kla.verification.tests.far_regions import DEADLINE

    indicator = Indicator.objects.filter(number=4).first()
    question = Question.objects.filter(indicator=indicator).first()
    evidence = Evidence(
        entry=Entry(indicator=indicator), question=question, uploaded_at=DEADLINE, size=1_500, sha256="0" * 64
    )
    row = dict(zip(INDEX_COLUMNS, _index_row(evidence, "a/b.pdf", "", zone_of(region)), strict=True))
    assert row["Diunggah"] == local
    assert row["Ukuran (bita)"] == 1_500  # a whole number, written as digits in the CSV
