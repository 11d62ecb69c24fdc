"""Every write of the task force: done and audited, or refused with an Indonesian sentence and nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kla.core.models import AuditEvent
from kla.evidence.tests import files
from kla.taskforce import services
from kla.taskforce.models import Attendance, Decree, Document, FollowUp, Meeting, Member
from kla.taskforce.rules import TaskForceRole
from kla.taskforce.tests import builders as b

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)


def _state() -> tuple[int, ...]:
    models = (Decree, Member, Meeting, Attendance, FollowUp, Document, AuditEvent)
    return tuple(m.objects.count() for m in models)


@contextmanager
def refused(fragment: str, exc: type[Exception] = ValidationError) -> Iterator[None]:
    """The block raises `exc` whose message contains `fragment`, and nothing at all is written."""
    before = _state()
    with pytest.raises(exc) as caught:
        yield
    text = " ".join(caught.value.messages) if isinstance(caught.value, ValidationError) else str(caught.value)
    assert fragment in text
    assert text.rstrip().endswith(".")
    assert _state() == before


def _facts(**kw: Any) -> services.DecreeFacts:
    base: dict[str, Any] = {"number": "188.45/123/KPTS/2025", "date": dt.date(2025, 1, 6), "signer": "Wali Kota"}
    base["valid_from"] = base["date"]
    return services.DecreeFacts(**{**base, **kw})


def _last(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-pk").first()
    assert event is not None, action
    return event


# --- decrees -------------------------------------------------------------------------------------------------------


def test_a_decree_is_recorded_with_its_file_and_audited(
    user_of: Callable[[str], Any], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("sk-gugus-tugas.pdf", files.pdf())
    decree = services.decree_record(
        region=b.region(), facts=_facts(), upload=upload, by=user_of("secretariat"), today=TODAY
    )
    assert decree.in_force and decree.document is not None
    assert decree.document.kind == Document.Kind.DECREE and decree.document.region_id == b.PALEMBANG
    assert (tmp_path / decree.document.file.name).is_file()
    event = _last("kla.taskforce.decree.recorded")
    assert event.region_code == b.PALEMBANG and event.after["file"]["sha256"] == decree.document.sha256


def test_a_refused_decree_file_leaves_nothing(user_of: Callable[[str], Any], settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    before = Decree.objects.count()
    with pytest.raises(ValidationError):
        services.decree_record(
            region=b.region(),
            facts=_facts(),
            upload=SimpleUploadedFile("sk.pdf", b"not a pdf"),
            by=user_of("secretariat"),
            today=TODAY,
        )
    assert Decree.objects.count() == before and not list(tmp_path.rglob("*.*"))
    assert _last("kla.taskforce.decree.refused").region_code == b.PALEMBANG


def test_a_future_decree_in_force_is_refused(user_of: Callable[[str], Any]) -> None:
    future = TODAY + dt.timedelta(days=1)
    with refused("SK yang tanggalnya belum tiba"):
        services.decree_record(
            region=b.region(), facts=_facts(date=future, valid_from=future), by=user_of("secretariat"), today=TODAY
        )


def test_a_second_decree_in_force_must_replace_the_first(user_of: Callable[[str], Any]) -> None:
    secretariat = user_of("secretariat")
    first = services.decree_record(region=b.region(), facts=_facts(), by=secretariat, today=TODAY)
    with refused('Gunakan "Ganti SK"'):
        services.decree_record(region=b.region(), facts=_facts(number="2"), by=secretariat, today=TODAY)
    later = _facts(number="188.45/9/KPTS/2026", date=dt.date(2026, 2, 1), valid_from=dt.date(2026, 2, 1))
    second = services.decree_replace(old=first, facts=later, by=secretariat, today=TODAY)
    first.refresh_from_db()
    assert not first.in_force and first.replaced_by == second and second.in_force
    assert _last("kla.taskforce.decree.replaced").object_id == str(first.pk)
    with refused("sudah tidak berlaku"):
        services.decree_replace(old=first, facts=later, by=secretariat, today=TODAY)


def test_another_region_or_the_province_cannot_write_a_kabkota_decree(user_of: Callable[[str], Any]) -> None:
    for persona in ("other_secretariat", "province", "opd", "ministry_admin"):
        with refused("hanya dapat dikelola", PermissionDenied):
            services.decree_record(region=b.region(), facts=_facts(), by=user_of(persona), today=TODAY)


def test_the_province_manages_its_own_task_force(user_of: Callable[[str], Any]) -> None:
    decree = services.decree_record(
        region=b.region(b.SUMSEL), facts=_facts(signer="Gubernur"), by=user_of("province"), today=TODAY
    )
    assert decree.region_id == b.SUMSEL


# --- members -------------------------------------------------------------------------------------------------------


def _add(by: Any, **kw: Any) -> Member:
    args: dict[str, Any] = {
        "region": b.region(),
        "agency": b.agency("DPPPA"),
        "person_name": "Siti Aminah",
        "position": "Kepala Dinas PPPA",
        "role": TaskForceRole.SEKRETARIS,
        "start": dt.date(2025, 1, 6),
        "by": by,
    }
    return services.member_add(**{**args, **kw})


def test_a_member_is_added_and_ended(user_of: Callable[[str], Any]) -> None:
    secretariat = user_of("secretariat")
    member = _add(secretariat, duties="Menyiapkan rapat.")
    assert _last("kla.taskforce.member.added").after["role"] == "sekretaris"
    services.member_end(member=member, end=dt.date(2025, 12, 31), by=secretariat)
    member.refresh_from_db()
    assert member.end == dt.date(2025, 12, 31)
    assert _last("kla.taskforce.member.ended").before["end"] is None
    with refused("sudah berakhir"):
        services.member_end(member=member, end=dt.date(2026, 1, 31), by=secretariat)


def test_a_provincial_body_may_serve_on_a_kabkota_task_force(user_of: Callable[[str], Any]) -> None:
    kanwil = b.agency("KEMENKUMHAM", b.SUMSEL)
    member = _add(user_of("secretariat"), agency=kanwil, person_name="Andi", role=TaskForceRole.ANGGOTA)
    assert member.agency.region_id == b.SUMSEL


def test_bad_members_are_refused(user_of: Callable[[str], Any]) -> None:
    secretariat = user_of("secretariat")
    _add(secretariat, person_name="Wali Kota Palembang", role=TaskForceRole.KETUA)
    _add(secretariat)
    with refused("lebih awal dari tanggal mulai"):
        _add(secretariat, person_name="Budi", start=dt.date(2025, 5, 1), end=dt.date(2025, 4, 1))
    with refused("sudah tercatat sebagai Sekretaris"):
        _add(secretariat, person_name="siti   aminah", start=dt.date(2025, 6, 1))
    with refused("sudah memiliki Ketua"):
        _add(secretariat, person_name="Wakil Wali Kota", role=TaskForceRole.KETUA, start=dt.date(2025, 3, 1))
    with refused("bukan instansi wilayah ini"):
        _add(secretariat, person_name="Budi", agency=b.agency("DPPPA", b.LUBUKLINGGAU))
    with refused("Isi nama dan jabatan"):
        _add(secretariat, person_name="  ")


# --- meetings ------------------------------------------------------------------------------------------------------


def _plan(by: Any, **kw: Any) -> Meeting:
    args: dict[str, Any] = {
        "region": b.region(),
        "title": "Rakor Gugus Tugas KLA",
        "starts_at": timezone.now() - dt.timedelta(hours=2),
        "place": "Ruang rapat Dinas PPPA",
        "invited": [b.agency("DPPPA").pk, b.agency("DISDUKCAPIL").pk],
        "by": by,
    }
    return services.meeting_plan(**{**args, **kw})


def test_a_meeting_is_planned_and_held(user_of: Callable[[str], Any]) -> None:
    secretariat = user_of("secretariat")
    meeting = _plan(secretariat)
    assert set(meeting.invited.values_list("kind", flat=True)) == {"DPPPA", "DISDUKCAPIL"}
    host, capil = b.agency("DPPPA"), b.agency("DISDUKCAPIL")
    services.meeting_hold(
        meeting=meeting,
        attendance={host.pk: "Siti", capil.pk: "Kabid  Capil"},
        minutes="Dibuka.",
        decisions="Sepakat.",
        by=secretariat,
    )
    meeting.refresh_from_db()
    assert meeting.is_held and meeting.decisions == "Sepakat."
    assert dict(meeting.attendance.values_list("agency_id", "attendees")) == {host.pk: "Siti", capil.pk: "Kabid Capil"}
    assert _last("kla.taskforce.meeting.held").after["attendance"] == sorted([host.pk, capil.pk])
    with refused("sudah dicatat sebagai terlaksana"):
        services.meeting_hold(meeting=meeting, attendance={host.pk: ""}, by=secretariat)


def test_bad_meetings_are_refused(user_of: Callable[[str], Any]) -> None:
    secretariat = user_of("secretariat")
    with refused("tempat rapat atau tautan"):
        _plan(secretariat, place="")
    with refused("tidak terdaftar di wilayah ini"):
        _plan(secretariat, invited=[b.agency("DPPPA", b.LUBUKLINGGAU).pk])
    future = _plan(secretariat, starts_at=timezone.now() + dt.timedelta(days=2))
    with refused("jadwalnya belum tiba"):
        services.meeting_hold(meeting=future, attendance={b.agency("DPPPA").pk: ""}, by=secretariat)
    meeting = _plan(secretariat)
    with refused("tidak terdaftar di wilayah ini"):
        services.meeting_hold(meeting=meeting, attendance={10**9: "Hantu"}, by=secretariat)
    with refused("tidak terdaftar di wilayah ini"):
        services.meeting_hold(meeting=meeting, attendance={b.agency("DPPPA", b.LUBUKLINGGAU).pk: "x"}, by=secretariat)
    with refused("sedikitnya satu instansi"):
        services.meeting_hold(meeting=meeting, attendance={}, by=secretariat)
    with refused("hanya dapat dikelola", PermissionDenied):
        services.meeting_hold(meeting=meeting, attendance={b.agency("DPPPA").pk: ""}, by=user_of("other_secretariat"))


def test_minutes_go_through_the_intake(user_of: Callable[[str], Any], settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = b.held_meeting()
    document = services.minutes_add(
        meeting=meeting, upload=SimpleUploadedFile("notulen.pdf", files.pdf()), by=user_of("secretariat")
    )
    assert document.meeting == meeting and document.kind == Document.Kind.MINUTES
    assert document.file.name.startswith(f"taskforce/{b.PALEMBANG}/")
    assert _last("kla.taskforce.minutes.added").after["document"]["id"] == document.pk
    with refused("hanya dapat dikelola", PermissionDenied):
        services.minutes_add(meeting=meeting, upload=SimpleUploadedFile("n.pdf", files.pdf()), by=user_of("opd"))


# --- follow-ups ----------------------------------------------------------------------------------------------------


def test_a_follow_up_is_added_and_completed(user_of: Callable[[str], Any], settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    secretariat = user_of("secretariat")
    meeting = b.held_meeting()
    follow_up = services.follow_up_add(
        meeting=meeting, owner=b.agency("DISDUKCAPIL"), description="Data akta.", due_date=TODAY, by=secretariat
    )
    assert (
        follow_up.region_id == b.PALEMBANG
        and _last("kla.taskforce.follow_up.added").after["owner"] == follow_up.owner_id
    )
    with refused("Tuliskan catatan penyelesaian"):
        services.follow_up_complete(follow_up=follow_up, note=" ", by=secretariat)
    upload = SimpleUploadedFile("bukti.pdf", files.pdf())
    done = services.follow_up_complete(follow_up=follow_up, note="Sudah terbit.", upload=upload, by=user_of("opd"))
    assert done.is_done and done.documents.get().kind == Document.Kind.FOLLOW_UP
    assert _last("kla.taskforce.follow_up.completed").after["file"] is not None
    with refused("sudah dicatat selesai"):
        services.follow_up_complete(follow_up=follow_up, note="Lagi.", by=secretariat)


def test_bad_follow_ups_are_refused(user_of: Callable[[str], Any]) -> None:
    secretariat = user_of("secretariat")
    held, planned = b.held_meeting(), b.planned_meeting()
    with refused("bukan instansi wilayah ini"):
        services.follow_up_add(
            meeting=held,
            owner=b.agency("DISDUKCAPIL", b.LUBUKLINGGAU),
            description="x",
            due_date=TODAY,
            by=secretariat,
        )
    with refused("sesudah rapat dicatat"):
        services.follow_up_add(
            meeting=planned, owner=b.agency("DPPPA"), description="x", due_date=TODAY, by=secretariat
        )
    follow_up = b.follow_up(kind="BAPPEDA")
    with refused("hanya dapat dikelola", PermissionDenied):  # the operator of Palembang's Disdukcapil
        services.follow_up_complete(follow_up=follow_up, note="Selesai.", by=user_of("opd"))
    with refused("hanya dapat dikelola", PermissionDenied):
        services.follow_up_complete(follow_up=follow_up, note="Selesai.", by=user_of("other_secretariat"))
