"""Evidence files of a quarter's realisation through HTTP: uploaded through the evidence intake by whoever records the
quarter, listed on the quarter's page and the year's table, downloaded through an access-checked view, attached to a
self-assessment question by reference (one stored object, provider ``rad_realisation``); another region's file is
404 or refused, a bad file stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kla.core.models import AuditEvent
from kla.evaluations.models import Entry
from kla.evidence.models import Evidence
from kla.evidence.tests import files
from kla.rad import services
from kla.rad.models import Realisation, RealisationFile
from kla.rad.services.evidence_files import realisation_file_add, realisation_file_remove
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _quarter(code: str = b.PALEMBANG) -> tuple[b.Built, Realisation]:
    built = b.built_plan(code, adopt=True)
    row = services.realisation_record(
        node=built.birth, year=2025, quarter=2, spent={"apbd_kabkota": "50.000.000"}, by=None, today=b.TODAY
    )
    return built, row


def _upload(client: Any, row: Realisation, name: str = "akta.jpg", content: bytes | None = None) -> Any:
    data = {"file": SimpleUploadedFile(name, content if content is not None else files.jpeg(), "image/jpeg")}
    return client.post(reverse("rad:realisation_file_upload", args=[row.pk]), data)


def _stored(row: Realisation, name: str = "foto.jpg") -> RealisationFile:
    return realisation_file_add(realisation=row, upload=SimpleUploadedFile(name, files.jpeg()), by=None)


def _entry() -> Entry:
    return Entry.objects.select_related("indicator").get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id=b.PALEMBANG, indicator__number=4
    )


def _link(client: Any, entry: Entry, source_id: int, **headers: str) -> Any:
    question = entry.indicator.questions.order_by("position").first()
    assert question is not None
    url = reverse("evidence:link", args=[entry.pk, question.pk])
    return client.post(url, {"source": "rad_realisation", "source_id": str(source_id)}, headers=headers)


def test_the_operator_uploads_a_photo_shown_on_the_quarter_and_the_table(client_for) -> None:
    built, row = _quarter()
    client = client_for("opd")  # Disdukcapil, responsible for the activity
    response = _upload(client, row)
    assert response.status_code == 302
    assert response.url.startswith(reverse("rad:realisation_record", args=[built.birth.pk]))
    stored = RealisationFile.objects.get()
    assert (stored.region_id, stored.file_kind, stored.name) == (b.PALEMBANG, "image", "akta.jpg")
    assert stored.metadata_removed and stored.label == "Layanan akta kelahiran keliling, triwulan 2 2025"
    assert stored.file.name.startswith(f"rad/{b.PALEMBANG}/realisasi/")
    assert AuditEvent.objects.filter(action="kla.rad.realisation.file.added", object_id=str(stored.pk)).exists()
    page = client.get(response.url).content.decode()
    assert reverse("rad:realisation_file", args=[stored.pk]) in page and "akta.jpg" in page
    table = client_for("province").get(reverse("rad:realisation", args=[built.plan.pk]) + "?tahun=2025")
    assert reverse("rad:realisation_file", args=[stored.pk]) in table.content.decode()


def test_a_quarter_not_yet_recorded_asks_to_record_first(client_for) -> None:
    built = b.built_plan(adopt=True)
    url = reverse("rad:realisation_record", args=[built.birth.pk]) + "?tahun=2025&triwulan=1"
    page = client_for("opd").get(url).content.decode()
    assert "Simpan realisasi triwulan ini terlebih dahulu" in page
    assert "rad/realisasi/" not in page


def test_download_is_checked_and_audited(client_for) -> None:
    _, row = _quarter()
    stored = _stored(row)
    url = reverse("rad:realisation_file", args=[stored.pk])
    for persona in ("secretariat", "province", "ministry_admin"):
        response = client_for(persona).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for("other_secretariat").get(url).status_code == 404
    assert client_for("no_role").get(url).status_code == 404
    missing = reverse("rad:realisation_file", args=[stored.pk + 1000])
    assert client_for("secretariat").get(missing).status_code == 404
    assert AuditEvent.objects.filter(action="kla.rad.realisation.file.downloaded").count() == 3


def test_another_agency_and_another_region_cannot_upload_or_remove(client_for) -> None:
    built, _ = _quarter()
    play = services.realisation_record(
        node=built.play, year=2025, quarter=2, spent={"apbd_kabkota": "1.000"}, by=None, today=b.TODAY
    )
    assert _upload(client_for("opd"), play).status_code == 403  # Dinas PUPR's activity
    assert _upload(client_for("other_secretariat"), play).status_code == 404
    assert _upload(client_for("province"), play).status_code == 403  # reads, does not record
    assert not RealisationFile.objects.exists()
    stored = _stored(play)
    remove = reverse("rad:realisation_file_remove", args=[stored.pk])
    assert client_for("opd").post(remove).status_code == 403
    assert client_for("other_secretariat").post(remove).status_code == 404
    stored.refresh_from_db()
    assert stored.removed_at is None


def test_no_file_and_a_disguised_file_store_nothing(client_for) -> None:
    _, row = _quarter()
    client = client_for("opd")
    empty = client.post(reverse("rad:realisation_file_upload", args=[row.pk]), {}, follow=True)
    assert "Pilih foto atau dokumen bukti realisasi" in empty.content.decode()
    fake = _upload(client, row, "foto.jpg", b"MZ\x90\x00 this is no photo" * 20)
    assert fake.status_code == 302
    assert "Berkas tidak disimpan" in client.get(fake.url).content.decode()
    assert not RealisationFile.objects.exists()
    assert AuditEvent.objects.filter(action="kla.rad.realisation.file.refused").exists()


def test_a_removed_file_is_neither_downloaded_nor_offered(client_for) -> None:
    _, row = _quarter()
    stored = _stored(row)
    client = client_for("opd")
    assert client.post(reverse("rad:realisation_file_remove", args=[stored.pk])).status_code == 302
    stored.refresh_from_db()
    assert stored.removed_at is not None and stored.file.storage.exists(stored.file.name)
    assert client.get(reverse("rad:realisation_file", args=[stored.pk])).status_code == 404
    with pytest.raises(Exception, match="sudah dihapus"):
        realisation_file_remove(file=stored, by=None)
    assert _link(client_for("secretariat"), _entry(), stored.pk, **{"HX-Request": "true"}).status_code == 422


def test_a_realisation_photo_is_attached_by_reference_without_a_second_upload(client_for) -> None:
    _, row = _quarter()
    stored = _stored(row, "akta-keliling.jpg")
    entry = _entry()
    client = client_for("secretariat")
    question = entry.indicator.questions.order_by("position").first()
    assert question is not None
    picker = client.get(reverse("activities:pick", args=[entry.pk, question.pk])).content.decode()
    assert 'name="source" value="rad_realisation"' in picker and f'name="source_id" value="{stored.pk}"' in picker
    assert _link(client, entry, stored.pk).status_code == 302
    linked = Evidence.objects.get(source="rad_realisation", source_id=stored.pk)
    assert (linked.file.name, linked.sha256, linked.kind) == (stored.file.name, stored.sha256, "image")
    assert linked.source_label == "Realisasi RAD KLA: Layanan akta kelahiran keliling, triwulan 2 2025"
    assert linked.period_start is not None and linked.period_start.isoformat() == "2025-04-01"
    again = _link(client, entry, stored.pk, **{"HX-Request": "true"})
    assert again.status_code == 422  # already attached
    assert Evidence.objects.filter(source="rad_realisation").count() == 1


def test_another_regions_realisation_file_is_refused_as_evidence(client_for) -> None:
    _, row = _quarter(b.LUBUKLINGGAU)
    theirs = _stored(row)
    entry = _entry()
    response = _link(client_for("secretariat"), entry, theirs.pk, **{"HX-Request": "true"})
    assert response.status_code == 422
    assert not Evidence.objects.filter(source="rad_realisation").exists()
    question = entry.indicator.questions.order_by("position").first()
    assert question is not None
    picker = client_for("secretariat").get(reverse("activities:pick", args=[entry.pk, question.pk]))
    assert f'name="source_id" value="{theirs.pk}"' not in picker.content.decode()


def test_carry_forward_keeps_the_realisation_as_origin(client_for, user_of) -> None:
    import datetime as dt

    from django.utils import timezone

    from kla.evaluations.models import Evaluation
    from kla.evaluations.services import assignments_auto, cycle_create, cycle_open
    from kla.evaluations.stages import STAGE_ORDER
    from kla.evidence.services import evidence_carry_forward

    _, row = _quarter()
    stored = _stored(row)
    entry = Entry.objects.select_related("evaluation__cycle__framework").get(pk=_entry().pk)
    assert _link(client_for("secretariat"), entry, stored.pk).status_code == 302
    now = timezone.now()
    cycle = cycle_create(
        code="berikutnya",
        name="Evaluasi berikutnya",
        year=now.year + 1,
        framework=entry.evaluation.cycle.framework,
        deadlines={s: (now - dt.timedelta(days=1), now + dt.timedelta(days=30)) for s in STAGE_ORDER},
        by=None,
    )
    cycle_open(cycle=cycle, region_codes=[b.PALEMBANG], by=None)
    new_eval = Evaluation.objects.get(cycle=cycle, region_id=b.PALEMBANG)
    assignments_auto(evaluation=new_eval, by=user_of("secretariat"))
    evidence_carry_forward(evaluation=new_eval, by=user_of("secretariat"))
    carried = Evidence.objects.get(entry__evaluation=new_eval, source="rad_realisation", source_id=stored.pk)
    assert carried.file.name == stored.file.name
    assert carried.source_label.startswith("Realisasi RAD KLA: Layanan akta kelahiran keliling")
