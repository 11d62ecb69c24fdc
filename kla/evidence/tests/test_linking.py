"""Evidence by reference through the HTTP stack: the institutional questions offer the task force's decree and
minutes, and attaching one stores nothing new (one stored object, its origin shown, carried forward with it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kla.core.models import AuditEvent
from kla.evaluations.models import Entry
from kla.evidence.models import Evidence, FileHolding
from kla.evidence.tests import files
from kla.indicators.models import Question
from kla.taskforce import services as taskforce
from kla.taskforce.models import Decree, Document, Meeting
from kla.taskforce.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def entry() -> Entry:
    """Palembang's entry of indicator 2 (Penguatan Kelembagaan KLA): questions 2.1 (decree) and 2.2 (meetings)."""
    return Entry.objects.select_related("indicator", "evaluation").get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id=b.PALEMBANG, indicator__code="2"
    )


def _question(entry: Entry, code: str) -> Question:
    return entry.indicator.questions.get(code=code)


def _decree_with_file(code: str = b.PALEMBANG) -> Decree:
    """The region's decree in force with a PDF: recorded now if the region has none, given a file if it has none."""
    found = Decree.objects.filter(region_id=code, in_force=True).select_related("document").first()
    if found is not None and found.document is not None:
        return found
    if found is not None:
        Decree.objects.filter(pk=found.pk).update(in_force=False)
    facts = taskforce.DecreeFacts(
        number=f"188.45/{code}/KPTS/2026", date=dt.date(2026, 1, 5), signer="Wali Kota", valid_from=dt.date(2026, 1, 5)
    )
    upload = SimpleUploadedFile("sk-gugus-tugas.pdf", files.pdf(text=f"SK {code}"))
    return taskforce.decree_record(region=b.region(code), facts=facts, upload=upload, by=None)


def _minutes(meeting: Meeting, text: str = "notulen") -> Document:
    upload = SimpleUploadedFile("notulen-rakor.pdf", files.pdf(text=text))
    return taskforce.minutes_add(meeting=meeting, upload=upload, by=None)


def _stored(media: Path) -> int:
    return sum(1 for p in media.rglob("*") if p.is_file())


def _alert(page: str) -> str:
    start = page.index('role="alert"')
    return page[start : page.index("</p>", start)]


def _link(client: Any, entry: Entry, question: Question, document_id: int | str, **headers: str) -> Any:
    return client.post(
        reverse("evidence:link", args=[entry.pk, question.pk]),
        {"source": "taskforce", "source_id": str(document_id)},
        headers=headers,
    )


def test_the_decree_is_offered_and_attached_without_a_second_upload(client_for: Any, entry: Entry, media: Path) -> None:
    decree = _decree_with_file()
    assert decree.document is not None
    client = client_for("secretariat")
    page = client.get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert "Catatan Gugus Tugas: SK dan susunan" in page and f"SK nomor {decree.number}" in page
    assert "Lampirkan sebagai bukti" in page
    before = _stored(media)
    question = _question(entry, "2.1")
    response = _link(client, entry, question, decree.document.pk, **{"HX-Request": "true"})
    assert response.status_code == 200, response.content.decode()
    body = response.content.decode()
    assert (
        "tanpa unggah ulang" in body and "Sudah dilampirkan" in body and f"Dari: SK Gugus Tugas {decree.number}" in body
    )
    evidence = Evidence.objects.get(entry=entry, question=question, source="taskforce")
    assert evidence.file.name == decree.document.file.name  # the same stored object
    assert (evidence.sha256, evidence.source_id, evidence.evidence_type) == (
        decree.document.sha256,
        decree.document.pk,
        "decree",
    )
    assert (evidence.doc_number, evidence.doc_date) == (decree.number, decree.date)
    assert _stored(media) == before  # nothing written to storage
    event = AuditEvent.objects.filter(action="kla.evidence.linked").latest("pk")
    assert event.region_code == b.PALEMBANG and event.after["source_id"] == decree.document.pk
    holding = FileHolding.objects.get(original_sha256=evidence.original_sha256, region_id=b.PALEMBANG)
    assert holding.active >= 1
    download = client.get(reverse("evidence:download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == decree.document.file.open("rb").read()


def test_the_same_file_twice_is_refused_and_nothing_is_added(client_for: Any, entry: Entry) -> None:
    decree = _decree_with_file()
    assert decree.document is not None
    client = client_for("secretariat")
    question = _question(entry, "2.1")
    assert _link(client, entry, question, decree.document.pk).status_code == 302
    again = _link(client, entry, question, decree.document.pk, **{"HX-Request": "true"})
    assert again.status_code == 422 and "sudah dilampirkan pada pertanyaan 2.1" in again.content.decode()
    assert Evidence.objects.filter(entry=entry, source="taskforce").count() == 1


def test_another_regions_file_is_refused_like_one_that_does_not_exist(client_for: Any, entry: Entry) -> None:
    other = _decree_with_file(b.LUBUKLINGGAU)
    assert other.document is not None
    client = client_for("secretariat")
    question = _question(entry, "2.1")
    foreign = _link(client, entry, question, other.document.pk, **{"HX-Request": "true"})
    missing = _link(client, entry, question, 987654321, **{"HX-Request": "true"})
    assert foreign.status_code == missing.status_code == 422
    assert "Berkas tidak ditemukan di catatan wilayah ini" in foreign.content.decode()
    assert _alert(foreign.content.decode()) == _alert(missing.content.decode())
    assert not Evidence.objects.filter(entry=entry, source="taskforce").exists()


def test_who_may_not_change_the_entry_cannot_attach(client_for: Any, entry: Entry) -> None:
    decree = _decree_with_file()
    assert decree.document is not None
    question = _question(entry, "2.1")
    for persona in ("other_secretariat", "province", "no_role"):
        response = _link(client_for(persona), entry, question, decree.document.pk)
        assert response.status_code in (403, 404), persona
    assert not Evidence.objects.filter(entry=entry, source="taskforce").exists()


def test_meetings_of_the_last_year_are_counted_and_their_minutes_offered(client_for: Any, entry: Entry) -> None:
    meeting = b.held_meeting()
    minutes = _minutes(meeting)
    old = b.held_meeting()
    Meeting.objects.filter(pk=old.pk).update(starts_at=timezone.now() - dt.timedelta(days=400))
    client = client_for("secretariat")
    page = client.get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert "Catatan Gugus Tugas: rapat koordinasi" in page
    held = Meeting.objects.filter(
        region_id=b.PALEMBANG, status="held", starts_at__gte=timezone.now() - dt.timedelta(days=360)
    )
    assert f": {held.count()} kali" in page  # the old meeting is outside the year
    assert f"Notulen: {meeting.title}" in page
    question = _question(entry, "2.2")
    assert _link(client, entry, question, minutes.pk).status_code == 302
    linked = Evidence.objects.get(entry=entry, question=question, source_id=minutes.pk)
    assert linked.evidence_type == "minutes" and linked.file.name == minutes.file.name


def test_carry_forward_keeps_where_a_linked_file_came_from(client_for: Any, user_of: Any, entry: Entry) -> None:
    from kla.evaluations.models import Evaluation
    from kla.evaluations.services import assignments_auto, cycle_create, cycle_open
    from kla.evaluations.stages import STAGE_ORDER
    from kla.evidence.services import evidence_carry_forward

    decree = _decree_with_file()
    assert decree.document is not None
    assert _link(client_for("secretariat"), entry, _question(entry, "2.1"), decree.document.pk).status_code == 302
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
    carried = Evidence.objects.get(entry__evaluation=new_eval, source="taskforce")
    assert (carried.source_id, carried.file.name) == (decree.document.pk, decree.document.file.name)
    assert carried.source_label == f"SK Gugus Tugas {decree.number}"


def test_the_entry_page_reads_the_records_in_constant_queries(client_for: Any, entry: Entry) -> None:
    client = client_for("secretariat")
    url = reverse("evaluations:entry_detail", args=[entry.pk])
    _decree_with_file()
    _minutes(b.held_meeting())
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(6):
        _minutes(b.held_meeting(), text=f"notulen {i}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count("Notulen: ") >= 7
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_api_names_the_files_and_attaches_one_by_reference(user_of: Any, entry: Entry) -> None:
    from django.test import Client

    from kla.accounts.services import token_create

    decree = _decree_with_file()
    minutes = _minutes(b.held_meeting())
    assert decree.document is not None
    client = Client()

    def auth(persona: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_create(user=user_of(persona), name='uji', by=None)[1]}"}

    secretariat = auth("secretariat")
    task_force = client.get(f"/api/v1/regions/{b.PALEMBANG}/task-force", headers=secretariat).json()
    assert task_force["decree"]["file_id"] == decree.document.pk
    meeting = client.get(f"/api/v1/meetings/{minutes.meeting_id}", headers=secretariat).json()
    assert meeting["minutes_files"] == [{"id": minutes.pk, "name": minutes.name, "size": minutes.size}]
    url = f"/api/v1/entries/{entry.pk}/evidence/2.2/link"
    body = {"source": "taskforce", "source_id": minutes.pk}
    created = client.post(url, body, content_type="application/json", headers=secretariat)
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["source"], out["source_id"], out["evidence_type"]) == ("taskforce", minutes.pk, "minutes")
    assert out["source_label"].startswith("Notulen: ")
    twice = client.post(url, body, content_type="application/json", headers=secretariat)
    assert twice.status_code == 422 and "sudah dilampirkan" in twice.json()["detail"]
    other = client.post(url, body, content_type="application/json", headers=auth("other_secretariat"))
    assert other.status_code == 404
    assert Evidence.objects.filter(entry=entry, source="taskforce").count() == 1
