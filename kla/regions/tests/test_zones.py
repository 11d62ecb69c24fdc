"""Each region's time zone by its province code (kla.regions.zones), checked against the packaged Kemendagri list."""

from __future__ import annotations

import pytest
from lokal import wilayah

from kla.core.formatting import WIB, WIT, WITA
from kla.regions.zones import DEFAULT_ZONE, common_zone, zone_of

EXPECTED = {
    **dict.fromkeys(["11", "12", "13", "14", "15", "16", "17", "18", "19", "21"], WIB),  # Sumatra, Riau islands
    **dict.fromkeys(["31", "32", "33", "34", "35", "36"], WIB),  # Jakarta, Java, Banten
    "51": WITA,  # Bali
    "52": WITA,  # Nusa Tenggara Barat
    "53": WITA,  # Nusa Tenggara Timur
    "61": WIB,  # Kalimantan Barat
    "62": WIB,  # Kalimantan Tengah
    "63": WITA,  # Kalimantan Selatan
    "64": WITA,  # Kalimantan Timur
    "65": WITA,  # Kalimantan Utara
    **dict.fromkeys(["71", "72", "73", "74", "75", "76"], WITA),  # Sulawesi, Gorontalo
    "81": WIT,  # Maluku
    "82": WIT,  # Maluku Utara
    **dict.fromkeys(["91", "92", "93", "94", "95", "96"], WIT),  # the Papua provinces
}


def test_every_province_of_the_kemendagri_list_has_its_zone() -> None:
    provinces = {item.code: item.name for item in wilayah.list_wilayah(None)}
    assert set(provinces) == set(EXPECTED), "a province was added or renumbered: place it in kla/regions/zones.py"
    wrong = {f"{code} {provinces[code]}": zone_of(code) for code in provinces if zone_of(code) != EXPECTED[code]}
    assert not wrong


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("16.71", WIB),  # Kota Palembang
        ("73.71", WITA),  # Kota Makassar
        ("91.71", WIT),  # Kota Jayapura
        ("61.71.01", WIB),  # a kecamatan of Pontianak
        ("64.72.01.1001", WITA),  # a kelurahan of Samarinda
        ("97", WIT),  # a later Papua province
    ],
)
def test_a_region_below_a_province_takes_the_province_zone(code: str, zone: str) -> None:
    assert zone_of(code) == zone


@pytest.mark.parametrize("code", [None, "", "7", "xx.71", " 73"])
def test_no_or_malformed_code_reads_wib(code: str | None) -> None:
    assert zone_of(code) == DEFAULT_ZONE == WIB


def test_a_person_reads_the_zone_of_their_first_region() -> None:
    assert common_zone([None, "91.71", "16.71"]) == WIT
    assert common_zone(["73", "91"]) == WITA
    assert common_zone([None]) == common_zone([]) == WIB
