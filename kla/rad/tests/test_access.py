"""The gates of RAD KLA with the demo personas: who reads, who draws up, who records realisation; 404 outside."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kla.accounts.models import User
from kla.rad import access
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db
READERS = ("opd", "secretariat", "province", "ministry_verifier", "field_verifier", "ministry_admin")


def test_readers_of_the_scope_see_the_plan_others_get_404(user_of: Callable[[str], User]) -> None:
    built = b.built_plan()
    for persona in READERS:
        assert access.get_plan_for_user(user_of(persona), built.plan.pk) == built.plan
        assert access.get_node_for_user(user_of(persona), built.play.pk) == built.play
    for persona in ("other_secretariat", "no_role"):
        with pytest.raises(Http404):
            access.get_plan_for_user(user_of(persona), built.plan.pk)
    with pytest.raises(Http404):
        access.get_plan_for_user(None, built.plan.pk)


def test_only_the_regions_own_managers_draw_up(user_of: Callable[[str], User]) -> None:
    built = b.built_plan()
    assert access.get_version_for_user(user_of("secretariat"), built.version.pk, write=True) == built.version
    for persona in ("opd", "province", "ministry_admin"):
        with pytest.raises(PermissionDenied, match="hanya dapat disusun oleh Sekretariat"):
            access.get_version_for_user(user_of(persona), built.version.pk, write=True)
    province_plan = b.plan(b.SUMSEL)
    assert access.get_plan_for_user(user_of("province"), province_plan.pk, write=True) == province_plan
    with pytest.raises(Http404):
        access.get_plan_for_user(user_of("secretariat"), province_plan.pk)


def test_operators_realise_only_their_agencys_activities(user_of: Callable[[str], User]) -> None:
    built = b.built_plan()
    operator = user_of("opd")
    assert access.get_node_for_user(operator, built.birth.pk, realise=True) == built.birth
    with pytest.raises(PermissionDenied, match="operator instansi penanggung jawabnya"):
        access.get_node_for_user(operator, built.play.pk, realise=True)
    assert access.get_node_for_user(user_of("secretariat"), built.play.pk, realise=True) == built.play
    with pytest.raises(PermissionDenied):
        access.get_node_for_user(user_of("province"), built.play.pk, realise=True)
    assert access.realise_agency_ids(user_of("secretariat"), b.PALEMBANG) is None
    assert access.realise_agency_ids(user_of("ministry_admin"), b.PALEMBANG) == set()


def test_regions_by_code(user_of: Callable[[str], User]) -> None:
    assert access.get_region_for_user(user_of("province"), b.PALEMBANG).code == b.PALEMBANG
    assert access.get_region_for_user(user_of("province"), b.SUMSEL, write=True).code == b.SUMSEL
    with pytest.raises(PermissionDenied):
        access.get_region_for_user(user_of("province"), b.PALEMBANG, write=True)
    for code in ("99.99", "16.71.01", b.LUBUKLINGGAU):
        with pytest.raises(Http404):
            access.get_region_for_user(user_of("secretariat"), code)


def test_outputs_by_id(user_of: Callable[[str], User]) -> None:
    built = b.built_plan()
    assert access.get_output_for_user(user_of("opd"), built.play_output.pk) == built.play_output
    with pytest.raises(PermissionDenied):
        access.get_output_for_user(user_of("opd"), built.play_output.pk, write=True)
    for pk in (built.play_output.pk, built.play_output.pk + 10_000):
        with pytest.raises(Http404):
            access.get_output_for_user(user_of("other_secretariat"), pk)
