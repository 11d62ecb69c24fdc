"""The score sheet PDF is Indonesian (numbers 1.234,56, dates) and gives its printing time in the region's zone, whoever asks it
and in whatever language their page is (a Jayapura sheet printed by the ministry says WIT)."""

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
