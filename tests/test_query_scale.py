"""No query grows with data: the main pages and API lists run the same number of SQL queries with one province of
national data (every workflow state, a published cycle, every kab/kota's task force with its meetings and
follow-ups, every kab/kota's RAD KLA with budgets and realisation, and its activities with their files) and after
the national seed has added two more provinces of evaluations, answers, verdicts, evidence, agencies, task forces,
RAD KLA and activities."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kla.evaluations.models import Entry, Evaluation

PAGES = [
    # (persona, path builder)
    ("secretariat", lambda: "/"),
    ("secretariat", lambda: "/evaluasi/"),
    ("secretariat", lambda: f"/evaluasi/{_palembang()}/"),
    ("opd", lambda: "/tugas-saya/"),
    ("opd", lambda: f"/entri/{_entry()}/"),
    ("province", lambda: "/verifikasi/"),
    ("province", lambda: "/verifikasi/evaluasi-kla-demo/provinsi/16/"),
    ("province", lambda: f"/verifikasi/{_national_current()}/provinsi/16/"),
    ("ministry_verifier", lambda: "/verifikasi/?tahap=province_review"),
    ("ministry_verifier", lambda: "/verifikasi/?tahap=field_verification"),
    ("ministry_verifier", lambda: f"/verifikasi/evaluasi/{_national_in('ministry_review')}/"),
    ("ministry_verifier", lambda: f"/verifikasi/entri/{_national_entry('ministry_review')}/"),
    ("field_verifier", lambda: "/verifikasi-lapangan/"),
    ("field_verifier", lambda: f"/verifikasi-lapangan/plan/{_national_in('field_verification')}/"),
    ("field_verifier", lambda: f"/verifikasi-lapangan/nilai/{_national_in('field_verification')}/"),
    ("anonymous", lambda: f"/hasil/{_national_cycle()}/"),
    ("anonymous", lambda: f"/hasil/{_national_cycle()}/?provinsi=16"),
    ("ministry_verifier", lambda: f"/hasil/{_national_cycle()}/"),
    ("ministry_verifier", lambda: f"/hasil/evaluasi-kla-demo/evaluasi/{_palembang()}/"),
    ("ministry_admin", lambda: f"/hasil/{_national_cycle()}/pengumuman/"),
    ("secretariat", lambda: "/hasil/wilayah/16.71/"),
    ("ministry_admin", lambda: "/siklus/"),
    ("ministry_admin", lambda: f"/siklus/{_national_current()}/"),
    ("ministry_admin", lambda: f"/siklus/{_national_current()}/perpanjangan/"),
    ("ministry_admin", lambda: "/pengguna/"),
    ("ministry_verifier", lambda: "/laporan/"),
    ("anonymous", lambda: "/wilayah/"),
    ("anonymous", lambda: "/wilayah/16/"),
    ("anonymous", lambda: "/instrumen/"),
    ("ministry_verifier", lambda: "/api/v1/evaluations/?limit=50"),
    ("ministry_verifier", lambda: f"/api/v1/evaluations/{_national_in('ministry_review')}"),
    ("ministry_verifier", lambda: f"/api/v1/evaluations/{_national_in('ministry_review')}/reviews"),
    ("ministry_verifier", lambda: f"/api/v1/evaluations/{_national_in('ministry_review')}/scores"),
    ("opd", lambda: f"/api/v1/entries/{_entry()}"),
    ("ministry_verifier", lambda: f"/api/v1/results/{_national_cycle()}"),
    ("ministry_verifier", lambda: "/api/v1/exports/"),
    ("anonymous", lambda: "/api/v1/regions/?parent=16"),
    ("anonymous", lambda: "/api/v1/regions/16.71/predicates"),
    ("anonymous", lambda: "/api/v1/frameworks/"),
    ("anonymous", lambda: "/hasil/"),
    ("secretariat", lambda: "/wilayah/16.71/instansi/"),
    ("province", lambda: "/wilayah/16/instansi/"),
    ("ministry_admin", lambda: "/instansi/?q=Sumatera"),
    ("secretariat", lambda: "/api/v1/regions/16.71/agencies?status=all"),
    ("province", lambda: "/api/v1/regions/16.71/agencies?available=true"),
    ("secretariat", lambda: f"/gugus-tugas/wilayah/16.71/?on={_taskforce()}"),
    ("secretariat", lambda: "/gugus-tugas/wilayah/16.71/"),
    ("secretariat", lambda: f"/gugus-tugas/wilayah/16.71/?on={_former_day()}"),
    ("province", lambda: "/gugus-tugas/wilayah/16/"),
    ("secretariat", lambda: "/gugus-tugas/wilayah/16.71/rakor/"),
    ("secretariat", lambda: f"/gugus-tugas/rakor/{_taskforce_meeting()}/"),
    ("opd", lambda: "/gugus-tugas/wilayah/16.71/tindak-lanjut/?status=overdue"),
    ("secretariat", lambda: "/gugus-tugas/wilayah/16.71/tindak-lanjut/?status=overdue"),
    ("province", lambda: "/gugus-tugas/wilayah/16.71/tindak-lanjut/"),
    ("ministry_verifier", lambda: "/gugus-tugas/"),
    ("secretariat", lambda: f"/api/v1/regions/16.71/task-force?on={_taskforce()}"),
    ("secretariat", lambda: f"/api/v1/meetings/{_taskforce_meeting()}"),
    ("opd", lambda: "/api/v1/regions/16.71/follow-ups?status=overdue"),
    ("secretariat", lambda: "/api/v1/regions/16.71/meetings"),
    ("secretariat", lambda: "/api/v1/regions/16.71/follow-ups"),
    ("secretariat", lambda: "/rad/"),
    ("ministry_verifier", lambda: "/rad/"),
    ("secretariat", lambda: "/rad/wilayah/16.71/"),
    ("province", lambda: "/rad/wilayah/16.71/"),
    ("secretariat", lambda: f"/rad/{_rad_plan()}/"),
    ("opd", lambda: f"/rad/{_rad_plan()}/"),
    ("secretariat", lambda: f"/rad/{_rad_plan()}/anggaran/?tahun={_rad_year(-1)}"),
    ("province", lambda: f"/rad/{_rad_plan()}/anggaran/?tahun={_rad_year(0)}"),
    ("secretariat", lambda: f"/rad/{_rad_plan()}/realisasi/?tahun={_rad_year(-1)}"),
    ("opd", lambda: f"/rad/{_rad_plan()}/realisasi/?tahun={_rad_year(0)}"),
    ("province", lambda: "/api/v1/regions/16.71/action-plans"),
    ("secretariat", lambda: f"/api/v1/action-plans/{_rad_plan()}"),
    ("secretariat", lambda: f"/api/v1/action-plans/{_rad_plan()}/budget?year={_rad_year(-1)}"),
    ("province", lambda: f"/api/v1/action-plans/{_rad_plan()}/budget?year={_rad_year(0)}"),
    ("ministry_verifier", lambda: "/kegiatan/"),
    ("secretariat", lambda: "/kegiatan/wilayah/16.71/"),
    ("opd", lambda: "/kegiatan/wilayah/16.71/"),
    ("province", lambda: "/kegiatan/wilayah/16.71/"),
    ("secretariat", lambda: f"/kegiatan/wilayah/16.71/?dari={_rad_year(-1)}-01-01&q=di"),
    ("secretariat", lambda: f"/kegiatan/{_activity()}/"),
    ("opd", lambda: f"/kegiatan/{_activity()}/"),
    ("province", lambda: f"/kegiatan/{_activity()}/"),
    ("secretariat", lambda: "/api/v1/regions/16.71/activities"),
    ("province", lambda: "/api/v1/regions/16.71/activities"),
    ("secretariat", lambda: f"/dasbor/kabkota/16.71/?cycle={_national_current()}"),
    ("province", lambda: f"/dasbor/provinsi/16/?cycle={_national_current()}"),
    ("ministry_verifier", lambda: f"/dasbor/provinsi/16/?cycle={_national_cycle()}"),
    ("ministry_admin", lambda: f"/dasbor/nasional/?cycle={_national_current()}"),
    ("ministry_admin", lambda: f"/dasbor/nasional/?cycle={_national_cycle()}"),
    ("province", lambda: f"/api/v1/dashboards/provinsi/16?cycle={_national_current()}"),
    ("ministry_verifier", lambda: f"/api/v1/dashboards/nasional/id?cycle={_national_current()}"),
]


def _activity() -> int:
    """Palembang's latest activity of the national seed: its RAD KLA activity, indicator and files."""
    from kla.activities.models import Activity

    activity = Activity.objects.filter(region_id="16.71").order_by("-start_date", "-id").first()
    assert activity is not None
    return activity.pk


def _rad_plan() -> int:
    """Palembang's RAD KLA of the national seed: adopted, with budgets, realisation and the region's APBD."""
    from kla.rad.models import Plan

    plan = Plan.objects.filter(region_id="16.71").order_by("-start_year").first()
    assert plan is not None
    return plan.pk


def _rad_year(offset: int) -> int:
    """This year (0) or last year (-1): the years with realisation recorded."""
    from django.utils import timezone

    return timezone.localdate().year + offset


def _taskforce() -> str:
    """The day to show Palembang's task force on: today (the national seed's decree and members serve then)."""
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _former_day() -> str:
    """A day under the decree the national seed's decree replaced (the former ketua's term)."""
    from kla.taskforce.models import Decree

    old = Decree.objects.filter(region_id="16.71", in_force=False).order_by("date").first()
    assert old is not None
    return old.valid_from.isoformat()


def _taskforce_meeting() -> int:
    """Palembang's latest held meeting of the national seed: invitations, attendance, minutes, follow-ups."""
    from kla.taskforce.models import Meeting

    meeting = Meeting.objects.filter(region_id="16.71", status=Meeting.Status.HELD).order_by("-starts_at").first()
    assert meeting is not None
    return meeting.pk


def _national_current() -> str:
    from kla.evaluations.models import Cycle

    cycle = Cycle.objects.filter(code__startswith="nasional-", published_at__isnull=True).first()
    assert cycle is not None
    return cycle.code


def _national_in(status: str) -> int:
    """The first kab/kota of Sumatera Selatan in `status` in the current national cycle (seeded alike in both runs)."""
    evaluation = (
        Evaluation.objects.filter(cycle__code=_national_current(), region__parent_id="16", status=status)
        .order_by("region_id")
        .first()
    )
    assert evaluation is not None, status
    return evaluation.pk


def _first_entry(evaluation_id: int) -> int:
    entry = Entry.objects.filter(evaluation_id=evaluation_id).order_by("indicator__position").first()
    assert entry is not None
    return entry.pk


def _national_entry(status: str) -> int:
    return _first_entry(_national_in(status))


def _entry() -> int:
    """Palembang's first entry of the demo cycle, where the OPD persona works."""
    return _first_entry(_palembang())


def _national_cycle() -> str:
    from kla.evaluations.models import Cycle

    cycle = Cycle.objects.filter(code__startswith="nasional-", published_at__isnull=False).first()
    assert cycle is not None
    return cycle.code


def _palembang() -> int:
    return Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71").pk


def _counts(client_for: Any) -> dict[str, int]:
    out = {}
    for persona, path in PAGES:
        client = client_for(persona)
        url = path()
        client.get(url)  # warm per-process caches (content types, sessions)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (persona, url, response.status_code)
        out[f"{persona} {url}"] = len(
            [q for q in captured.captured_queries if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
        )
    return out


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_national_data(client_for: Any) -> None:
    from bench.national_data import seed_national

    seed_national(provinces=["16"])  # Sumatera Selatan: 17 kab/kota, two cycles, every state
    small = _counts(client_for)
    seed_national(provinces=["16", "75", "64"])  # adds Gorontalo and Kalimantan Timur
    large = _counts(client_for)
    assert large == small
