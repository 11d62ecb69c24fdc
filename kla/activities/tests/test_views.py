"""The activity pages through real HTTP: files through the intake, evidence by reference, refusals, the gates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kla.activities.models import Activity, ActivityFile
from kla.activities.tests import builders as b
from kla.core.models import AuditEvent
from kla.evaluations.models import Entry
from kla.evidence.models import Evidence
from kla.evidence.tests import files
from kla.rad.tests import builders as rad

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _stored(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def _entry() -> Entry:
    return Entry.objects.select_related("indicator").get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id=b.PALEMBANG, indicator__number=4
    )


def _form(**changes: str) -> dict[str, str]:
    body = {
        "title": "Sosialisasi hak anak di sekolah",
        "start_date": "2026-05-04",
        "end_date": "2026-05-05",
        "agency": str(b.agency().pk),
        "girls_6_12": "40",
        "boys_6_12": "38",
        "adults": "6",
        "budget_used": "Rp 12.500.000,50",
    }
    return {**body, **changes}


def test_operator_records_an_activity_and_uploads_a_photo_and_a_pdf(client_for, _media) -> None:  # type: ignore[no-untyped-def]
    client = client_for("opd")
    response = client.post(reverse("activities:create", args=[b.PALEMBANG]), _form())
    activity = Activity.objects.get(title="Sosialisasi hak anak di sekolah")
    assert response.status_code == 302 and response.url == reverse("activities:detail", args=[activity.pk])
    assert str(activity.budget_used) == "12500000.50" and activity.girls_6_12 == 40
    url = reverse("activities:file_upload", args=[activity.pk])
    for name, data in (("foto.jpg", files.jpeg()), ("laporan.pdf", files.pdf())):
        assert client.post(url, {"file": SimpleUploadedFile(name, data)}).status_code == 302
    stored = list(ActivityFile.objects.filter(activity=activity).order_by("id"))
    assert [f.file_kind for f in stored] == ["image", "pdf"] and stored[1].page_count == 2
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "foto.jpg" in page and "laporan.pdf" in page and "Rp 12.500.000,50" in page
    assert "78 anak, 6 orang dewasa" in page
    download = client.get(reverse("activities:file_download", args=[stored[0].pk]))
    assert download.status_code == 200 and download["Content-Security-Policy"].startswith("sandbox")
    assert AuditEvent.objects.filter(action="kla.activity.file.downloaded", object_id=str(stored[0].pk)).exists()


def test_photo_linked_to_a_question_without_a_second_stored_file(client_for, _media) -> None:  # type: ignore[no-untyped-def]
    photo = b.photo(b.activity(title="Taman bermain ramah anak", start_date=dt.date(2026, 3, 10)))
    entry = _entry()
    question = entry.indicator.questions.order_by("position").first()
    client = client_for("secretariat")
    entry_page = client.get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    pick_url = reverse("activities:pick", args=[entry.pk, question.pk])
    assert "Lampirkan dari dokumentasi kegiatan" in entry_page and pick_url in entry_page
    picker = client.get(pick_url, {"q": "taman"}, headers={"HX-Request": "true"}).content.decode()
    assert "Taman bermain ramah anak" in picker and 'value="activities"' in picker
    before = _stored(_media)
    link = reverse("evidence:link", args=[entry.pk, question.pk])
    response = client.post(link, {"source": "activities", "source_id": str(photo.pk)}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    evidence = Evidence.objects.get(entry=entry, question=question, source="activities", source_id=photo.pk)
    assert evidence.file.name == photo.file.name and evidence.sha256 == photo.sha256
    assert evidence.source_label == "Kegiatan: Taman bermain ramah anak, 10 Maret 2026"
    assert _stored(_media) == before  # one stored object, no second upload
    page = client.get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert "Dari: Kegiatan: Taman bermain ramah anak, 10 Maret 2026" in page


def test_another_regions_activity_file_is_refused_like_a_missing_one(client_for) -> None:  # type: ignore[no-untyped-def]
    foreign = b.photo(b.activity(b.LUBUKLINGGAU))
    entry = _entry()
    question = entry.indicator.questions.order_by("position").first()
    client = client_for("secretariat")
    link = reverse("evidence:link", args=[entry.pk, question.pk])
    answers = [
        client.post(link, {"source": "activities", "source_id": str(pk)}, headers={"HX-Request": "true"})
        for pk in (foreign.pk, 987654)
    ]
    assert [r.status_code for r in answers] == [422, 422]
    assert all("Berkas tidak ditemukan di catatan wilayah ini" in r.content.decode() for r in answers)
    assert not Evidence.objects.filter(source="activities", source_id__in=[foreign.pk, 987654]).exists()
    picker = client.get(reverse("activities:pick", args=[entry.pk, question.pk])).content.decode()
    assert f'name="source_id" value="{foreign.pk}"' not in picker


def test_another_regions_activity_answers_404_like_a_missing_id(client_for) -> None:  # type: ignore[no-untyped-def]
    activity = b.activity()
    photo = b.photo(activity)
    client = client_for("other_secretariat")
    for name, pk in (("activities:detail", activity.pk), ("activities:file_download", photo.pk)):
        existing = client.get(reverse(name, args=[pk]))
        missing = client.get(reverse(name, args=[987654]))
        assert existing.status_code == missing.status_code == 404
    assert client.get(reverse("activities:region", args=[b.PALEMBANG])).status_code == 404


def test_bad_input_each_refused_with_its_message_nothing_written(client_for) -> None:  # type: ignore[no-untyped-def]
    plan = rad.built_plan()
    b.kecamatan("16.73.01", "Lubuklinggau Barat I")
    client = client_for("secretariat")
    url = reverse("activities:create", args=[b.PALEMBANG])
    before = Activity.objects.count()
    cases = {
        "tidak boleh negatif": _form(girls_6_12="-3"),
        "di luar periode RAD KLA 2025–2029": _form(
            rad=f"{plan.plan.pk}:{plan.birth.key}", start_date="2030-01-02", end_date="2030-01-03"
        ),
        "Lokasi berada di luar kabupaten/kota ini": _form(location="16.73.01"),
        "lebih awal dari tanggal mulai": _form(end_date="2026-05-01"),
        "dapat dibaca dua cara": _form(budget_used="1,250"),
    }
    for message, body in cases.items():
        response = client.post(url, body)
        text = response.content.decode()
        assert response.status_code == 422, message
        assert message in text, message
    assert Activity.objects.count() == before


def test_list_filters_by_agency_indicator_and_date(client_for) -> None:  # type: ignore[no-untyped-def]
    indicator = b.indicator()
    b.activity(title="Akta keliling Maret", indicator_ids=[indicator.pk])
    b.activity(
        title="Ruang bermain April",
        agency_id=b.agency("DPUPR").pk,
        start_date=dt.date(2026, 4, 1),
        end_date=dt.date(2026, 4, 2),
    )
    client = client_for("province")
    url = reverse("activities:region", args=[b.PALEMBANG])
    by_agency = client.get(url, {"instansi": b.agency("DPUPR").pk}).content.decode()
    assert "Ruang bermain April" in by_agency and "Akta keliling Maret" not in by_agency
    by_indicator = client.get(url, {"indikator": indicator.pk}).content.decode()
    assert "Akta keliling Maret" in by_indicator and "Ruang bermain April" not in by_indicator
    by_date = client.get(url, {"dari": "2026-03-31"}).content.decode()
    assert "Ruang bermain April" in by_date and "Akta keliling Maret" not in by_date


def test_operator_of_another_agency_may_read_but_not_change(client_for) -> None:  # type: ignore[no-untyped-def]
    activity = b.activity(agency_id=b.agency("DPUPR").pk)
    client = client_for("opd")
    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 200
    assert client.get(reverse("activities:edit", args=[activity.pk])).status_code == 403
    upload = {"file": SimpleUploadedFile("foto.jpg", files.jpeg())}
    assert client.post(reverse("activities:file_upload", args=[activity.pk]), upload).status_code == 403
    assert not ActivityFile.objects.filter(activity=activity).exists()


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_constant_in_data_size(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    list_url = reverse("activities:region", args=[b.PALEMBANG])
    api_url = f"/api/v1/regions/{b.PALEMBANG}/activities"
    entry = _entry()
    pick_url = reverse("activities:pick", args=[entry.pk, entry.indicator.questions.order_by("position").first().pk])
    first = b.activity(indicator_ids=[b.indicator().pk])
    b.photo(first)
    one_row = _queries(client, list_url)
    one_file = _queries(client, reverse("activities:detail", args=[first.pk]))
    one_api = _queries(client, api_url)
    one_pick = _queries(client, pick_url)
    for n in range(6):
        more = b.activity(title=f"Kegiatan {n}", indicator_ids=[b.indicator().pk], location_code=b.kecamatan().code)
        b.photo(more)
        b.document(first)
    assert _queries(client, list_url) == one_row
    assert _queries(client, reverse("activities:detail", args=[first.pk])) == one_file
    assert _queries(client, api_url) == one_api
    assert _queries(client, pick_url) == one_pick
    print(f"queries: list {one_row}, activity page {one_file}, API list {one_api}, picker {one_pick}")


def test_edit_form_shows_the_amount_the_indonesian_way_and_saves_it_back(client_for) -> None:  # type: ignore[no-untyped-def]
    activity = b.activity(budget_used="1.250.000.000,50", location_code=b.kecamatan().code)
    client = client_for("opd")
    url = reverse("activities:edit", args=[activity.pk])
    form = client.get(url).content.decode()
    assert 'value="Rp 1.250.000.000,50"' in form and "Ilir Barat II" in form
    body = _form(title="Akta keliling (ubah)", budget_used="Rp 1.250.000.000,50", location=b.KECAMATAN)
    assert client.post(url, body).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Akta keliling (ubah)" and str(activity.budget_used) == "1250000000.50"
    assert activity.location_id == b.KECAMATAN
