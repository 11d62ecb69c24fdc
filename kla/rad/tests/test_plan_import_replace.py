"""A plan sheet imported into a draft that already has content: refused with what to do unless "Ganti isi draf" is
ticked; then the draft's whole tree is replaced, all or nothing, an activity at the same place keeping its stable key
(so realisation recorded under it follows a revision); an adopted version is never touched."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kla.core.models import AuditEvent
from kla.rad import selectors, services, spreadsheet
from kla.rad.models import BudgetLine, Node, Version
from kla.rad.tests import builders as b
from kla.rad.tests.test_spreadsheet import _labels, fill

pytestmark = pytest.mark.django_db


def _rows() -> list[list[Any]]:
    """The builders' play-space activity at its place (same indicator, programme and name), and a new one."""
    _first, second, pupr = _labels()
    return [
        [second, "Program penataan ruang", None, "Pembangunan ruang bermain ramah anak", None, None, None, pupr,
         "Ruang bermain ramah anak dibangun", "unit", 2025, "APBD kabupaten/kota", "2.000.000.000", "4"],
        [second, "Program penataan ruang", None, "Taman baca anak", None, None, None, pupr,
         None, None, 2026, "APBN", "75.000.000", None],
    ]  # fmt: skip


def _url(pk: int) -> str:
    return f"/rad/lembar-kerja/{pk}/impor-rencana/"


def _tree(version: Version) -> list[tuple[str, str]]:
    return sorted(Node.objects.filter(version=version).values_list("level", "name"))


def test_a_draft_with_content_is_refused_without_the_confirmation(client_for) -> None:
    built = b.built_plan()
    before = _tree(built.version)
    client = client_for("secretariat")
    page = client.get(_url(built.plan.pk)).content.decode()
    assert "sudah berisi 7 program dan kegiatan" in page and 'name="replace"' in page
    upload = fill(spreadsheet.plan_template(built.plan), _rows())
    response = client.post(_url(built.plan.pk), {"file": upload})
    assert response.status_code == 422
    text = response.content.decode()
    assert "Draf versi 1 sudah berisi 7 program, kegiatan, dan sub kegiatan" in text
    assert "centang &quot;Ganti isi draf&quot; lalu unggah lagi" in text
    assert _tree(built.version) == before
    assert not AuditEvent.objects.filter(action="kla.rad.version.tree_cleared").exists()


def test_confirmed_the_draft_is_replaced_keeping_the_key_of_the_same_activity(client_for) -> None:
    built = b.built_plan()
    upload = fill(spreadsheet.plan_template(built.plan), _rows())
    response = client_for("secretariat").post(_url(built.plan.pk), {"file": upload, "replace": "on"})
    assert response.status_code == 302
    assert _tree(built.version) == [
        ("activity", "Pembangunan ruang bermain ramah anak"),
        ("activity", "Taman baca anak"),
        ("programme", "Program penataan ruang"),
    ]
    play = Node.objects.get(version=built.version, name="Pembangunan ruang bermain ramah anak")
    assert play.key == built.play.key and play.outputs.get().key == built.play_output.key
    assert {(x.year, x.source, x.amount) for x in BudgetLine.objects.filter(node=play)} == {
        (2025, "apbd_kabkota", Decimal("2000000000.00"))
    }
    assert selectors.plan_tree(built.version).planned(2025) == Decimal("2000000000.00")
    cleared = AuditEvent.objects.get(action="kla.rad.version.tree_cleared")
    assert cleared.before == {"nodes": 7, "budget": "2720000001.00"}  # every year
    assert AuditEvent.objects.get(action="kla.rad.version.keys_kept").after == {"count": 3}


def test_a_broken_sheet_leaves_the_draft_as_it_was(client_for) -> None:
    built = b.built_plan()
    before = _tree(built.version)
    rows = _rows()
    rows[1][12] = "1,250"  # ambiguous amount
    upload = fill(spreadsheet.plan_template(built.plan), rows)
    response = client_for("secretariat").post(_url(built.plan.pk), {"file": upload, "replace": "on"})
    assert response.status_code == 422
    assert "Baris 3, kolom Anggaran (Rp)" in response.content.decode()
    assert _tree(built.version) == before
    assert Node.objects.get(version=built.version, key=built.play.key).budget_lines.count() == 3


def test_a_refusal_while_writing_rolls_the_clearing_back() -> None:
    built = b.built_plan()
    before = _tree(built.version)
    rows = _rows()
    rows[0][4] = "9.99.99.2.01"  # an activity code not under its programme's code: refused by the service
    rows[0][2] = "1.03.02"
    with pytest.raises(ValidationError):
        spreadsheet.import_plan(
            plan=built.plan, upload=fill(spreadsheet.plan_template(built.plan), rows), by=None, replace=True
        )
    assert _tree(built.version) == before


def test_an_adopted_version_is_never_touched(client_for) -> None:
    built = b.built_plan(adopt=True)
    before = _tree(built.version)
    client = client_for("secretariat")
    assert "Rencana ini tidak memiliki draf" in client.get(_url(built.plan.pk)).content.decode()
    upload = fill(spreadsheet.plan_template(built.plan), _rows())
    response = client.post(_url(built.plan.pk), {"file": upload, "replace": "on"})
    assert response.status_code == 422
    assert "versi yang sudah ditetapkan tidak diubah oleh impor" in response.content.decode()
    built.version.refresh_from_db()
    assert built.version.status == Version.Status.ADOPTED and _tree(built.version) == before


def test_a_revision_draft_replaced_keeps_realisation_with_its_activity() -> None:
    built = b.built_plan(adopt=True)
    services.realisation_record(
        node=built.play, year=2025, quarter=2, spent={"apbd_kabkota": "100.000.000"}, by=None, today=b.TODAY
    )
    draft = services.revision_start(plan=built.plan, by=None)
    upload = fill(spreadsheet.plan_template(built.plan), _rows())
    assert spreadsheet.import_plan(plan=built.plan, upload=upload, by=None, replace=True) == 2
    services.version_adopt(version=draft, basis=services.Basis("perwal", "13 Tahun 2026", b.TODAY), by=None)
    report = selectors.budget_report(built.plan, 2025)
    assert report.version is not None and report.version.pk == draft.pk
    assert report.breakdown.realised == Decimal("100000000.00")
    assert str(built.play.key) in report.activities  # still an activity of the plan in force, not "removed"
    built.version.refresh_from_db()
    assert built.version.status == Version.Status.SUPERSEDED and Node.objects.filter(version=built.version).count() == 7


def test_the_opd_cannot_replace_a_draft(client_for) -> None:
    built = b.built_plan()
    upload = fill(spreadsheet.plan_template(built.plan), _rows())
    assert client_for("opd").post(_url(built.plan.pk), {"file": upload, "replace": "on"}).status_code == 403
    assert client_for("other_secretariat").post(_url(built.plan.pk), {"replace": "on"}).status_code == 404
    assert Node.objects.filter(version=built.version).count() == 7
