"""The catalogue of agency kinds (pure): codes the instrument uses, groups, and the level each kind sits at."""

from __future__ import annotations

import re
from pathlib import Path

from kla.agencies.catalogue import BY_CODE, CODES, KINDS, Group, default_name, grouped_for, kinds_for
from kla.regions.levels import Level

FRAMEWORKS = Path(__file__).resolve().parents[2] / "indicators" / "frameworks"


def test_codes_are_unique_and_fit_the_model_field() -> None:
    assert len(CODES) == len(KINDS)
    assert all(len(k.code) <= 20 and k.code == k.code.upper() for k in KINDS)


def test_every_code_the_instrument_names_is_in_the_catalogue() -> None:
    for path in FRAMEWORKS.glob("*.yaml"):
        lists = re.findall(r"^\s*agencies: \[([^\]]*)\]", path.read_text(encoding="utf-8"), re.M)
        named = {code.strip() for found in lists for code in found.split(",") if code.strip()}
        assert named and named <= CODES, named - CODES


def test_the_three_groups_are_there() -> None:
    assert {k.group for k in KINDS} == set(Group)
    assert BY_CODE["KEJAKSAAN"].vertical and not BY_CODE["DPPPA"].vertical
    assert BY_CODE["FORUM_ANAK"].group is Group.NON_GOVERNMENT


def test_a_kantor_wilayah_is_provincial_a_pengadilan_negeri_is_not() -> None:
    assert BY_CODE["KEMENKUMHAM"].level is Level.PROVINSI
    assert BY_CODE["KEMENKUMHAM"] in kinds_for(Level.PROVINSI)
    assert BY_CODE["KEMENKUMHAM"] not in kinds_for(Level.KABKOTA)
    assert BY_CODE["PN"] in kinds_for(Level.KABKOTA) and BY_CODE["PN"] not in kinds_for(Level.PROVINSI)
    assert BY_CODE["DPPPA"].fits(Level.PROVINSI) and BY_CODE["DPPPA"].fits(Level.KABKOTA)
    assert BY_CODE["KECAMATAN"].fits(Level.KABKOTA) and not BY_CODE["KECAMATAN"].fits(Level.PROVINSI)


def test_pick_list_groups_in_order() -> None:
    labels = [label for label, _ in grouped_for(Level.KABKOTA)]
    assert labels == ["Perangkat daerah (OPD)", "Instansi vertikal", "Unsur non-pemerintah"]
    assert sum(len(kinds) for _, kinds in grouped_for(Level.KABKOTA)) == len(kinds_for(Level.KABKOTA))


def test_default_name() -> None:
    assert default_name(BY_CODE["DISDUKCAPIL"], "Kota Palembang") == (
        "Dinas Kependudukan dan Pencatatan Sipil Kota Palembang"
    )
