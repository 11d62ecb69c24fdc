"""Loading instrument files: all or nothing, versioned, immutable once used, audited."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from kla.core.models import AuditEvent
from kla.indicators.framework_schema import FrameworkError
from kla.indicators.models import Band, Cluster, Framework, FrameworkFile, Indicator, Question
from kla.indicators.services import framework_load, framework_lock

pytestmark = pytest.mark.django_db
BUNDLED = Path(__file__).resolve().parents[1] / "frameworks" / "kla-2024.yaml"


def _text(**changes: object) -> str:
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    data.update(changes)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Framework, Cluster, Indicator, Question, Band))


def test_bundled_instrument_is_loaded_with_all_its_parts() -> None:
    fw = Framework.objects.get(code="kla-2024-ref")
    assert fw.clusters.count() == 6 and fw.indicators.count() == 24 and fw.bands.count() == 5
    assert sum(i.max_points for i in fw.indicators.all()) == 1000
    assert Question.objects.filter(indicator__framework=fw).count() >= 72
    assert fw.is_reference_weights and "referensi" in fw.weights_note.lower()
    assert fw.province_rule["min_band"] == "pratama"
    birth = fw.indicators.get(number=4)
    assert birth.cluster.code == "K1" and "DISDUKCAPIL" in birth.agencies


def test_same_file_again_is_a_no_op() -> None:
    before = _counts()
    result = framework_load(text=BUNDLED.read_text(encoding="utf-8"), by=None)
    assert result.outcome == "unchanged" and _counts() == before


def test_a_new_version_is_a_new_code_beside_the_old_one() -> None:
    result = framework_load(text=_text(code="kla-2025-ref", year=2025), by=None)
    assert result.outcome == "created"
    assert Framework.objects.count() == 2 and result.framework.indicators.count() == 24
    assert AuditEvent.objects.filter(action="kla.framework.loaded", object_id=str(result.framework.pk)).exists()


def test_unused_version_can_be_replaced_and_the_change_is_audited() -> None:
    first = _text(code="kla-uji")
    framework_load(text=first, by=None)
    assert FrameworkFile.objects.get(framework__code="kla-uji").text == first  # the loaded file, kept for the record
    revised = _text(code="kla-uji", name="Instrumen uji (revisi)")
    result = framework_load(text=revised, by=None, reason="koreksi nama")
    assert result.outcome == "replaced"
    assert FrameworkFile.objects.filter(framework__code="kla-uji").get().text == revised  # replaced, not added
    assert Framework.objects.get(code="kla-uji").name == "Instrumen uji (revisi)"
    assert Indicator.objects.filter(framework__code="kla-uji").count() == 24  # no duplicates left behind
    event = AuditEvent.objects.get(action="kla.framework.replaced")
    assert event.reason == "koreksi nama" and event.before["indicators"] == 24


def test_version_in_use_by_a_cycle_is_immutable() -> None:
    fw = Framework.objects.get(code="kla-2024-ref")
    assert fw.locked_at is not None  # the demo cycle uses it
    framework_lock(framework=fw, by=None, reason="dipakai siklus Evaluasi KLA 2024")  # idempotent
    before = _counts()
    with pytest.raises(FrameworkError, match="sudah dipakai siklus evaluasi"):
        framework_load(text=_text(name="Diubah diam-diam"), by=None)
    assert _counts() == before and Framework.objects.get(pk=fw.pk).name != "Diubah diam-diam"


def test_bad_file_changes_nothing() -> None:
    before = _counts()
    bad = _text(max_total=999)
    with pytest.raises(FrameworkError) as exc:
        framework_load(text=bad, by=None)
    assert "max_total (999)" in str(exc.value)
    assert _counts() == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("code: [tidak ditutup", "baris 1"),
        ("- satu\n- dua\n", "bukan daftar"),
        ("", "bukan daftar"),
        ("code: x\n\tname: tab", "YAML tidak sah"),
    ],
)
def test_unparseable_files_are_explained(text: str, expected: str) -> None:
    with pytest.raises(FrameworkError) as exc:
        framework_load(text=text, by=None)
    assert expected in str(exc.value)


def test_command_refuses_a_bad_file_and_names_the_problems(tmp_path: Path) -> None:
    path = tmp_path / "salah.yaml"
    path.write_text(_text(code="kla-salah", max_total=10, level="negara"), encoding="utf-8")
    before = _counts()
    with pytest.raises(CommandError) as exc:
        call_command("load_framework", str(path))
    message = str(exc.value)
    assert "instrumen ditolak, tidak ada yang diubah" in message
    assert "level: nilai tidak dikenal" in message
    assert _counts() == before


def test_command_reports_what_it_did(tmp_path: Path) -> None:
    path = tmp_path / "baru.yaml"
    path.write_text(_text(code="kla-2026-ref", year=2026), encoding="utf-8")
    out = io.StringIO()
    call_command("load_framework", str(path), stdout=out)
    assert "kla-2026-ref" in out.getvalue() and "24 indikator" in out.getvalue() and "REFERENSI" in out.getvalue()
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("load_framework", str(tmp_path / "tidak-ada.yaml"))
    binary = tmp_path / "gambar.yaml"
    binary.write_bytes(b"\xff\xd8\xff\xe0 bukan teks")
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("load_framework", str(binary))
