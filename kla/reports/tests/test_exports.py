"""Exports through the HTTP stack: asked for on the Laporan page, built by the task, downloaded and read back as a
spreadsheet program would; scope, seal, refusals and failures."""

from __future__ import annotations

import codecs
import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kla.accounts.models import Membership, User
from kla.accounts.roles import Role
from kla.accounts.services import membership_grant
from kla.agencies.models import Agency
from kla.core import taskrecovery
from kla.core.models import AuditEvent
from kla.evaluations.models import Answer, Assignment, Cycle, Entry, Evaluation
from kla.regions.models import Region
from kla.reports import services
from kla.reports.exporters import SEALED
from kla.reports.models import Export
from kla.reports.tasks import build_export
from kla.results.models import StageScore

CYCLE = "evaluasi-kla-demo"
PALEMBANG = "16.71"


@pytest.fixture
def ask(django_capture_on_commit_callbacks: Any) -> Any:
    """POST the export form as `client`; the task runs when the request's transaction commits (immediate backend)."""

    def post(client: Client, **data: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("reports:index"), {"kind": "rekap-evaluasi", "cycle": CYCLE, "format": "xlsx", **data}
            )

    return post


def rows_of(fmt: str, content: bytes) -> list[list[Any]]:
    if fmt == "csv":
        assert content.startswith(codecs.BOM_UTF8)
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def download(client: Client, export: Export) -> bytes:
    response = client.get(reverse("reports:download", args=[export.pk]))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def latest(user: User) -> Export:
    return Export.objects.filter(requested_by=user).latest("pk")


def test_the_ministry_gets_every_kabkota_of_the_cycle(client_for: Any, user_of: Any, ask: Any) -> None:
    jambi = Evaluation.objects.create(cycle=Cycle.objects.get(code=CYCLE), region_id="15.71")
    client = client_for("ministry_verifier")
    response = ask(client)
    assert response.status_code == 302 and response.url == reverse("reports:index")
    page = client.get(reverse("reports:index")).content.decode()
    assert "Siap diunduh" in page and "Rekap evaluasi per kabupaten/kota" in page and "Evaluasi KLA (demo)" in page
    assert 'hx-trigger="every 3s"' not in page  # nothing left to wait for: the page stops polling
    export = latest(user_of("ministry_verifier"))
    expected = sorted(Evaluation.objects.filter(cycle__code=CYCLE).values_list("region_id", flat=True))
    assert export.status == Export.Status.READY and export.rows_done == export.rows_total == len(expected)
    response = client.get(reverse("reports:download", args=[export.pk]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="rekap-evaluasi-evaluasi-kla-demo.xlsx"' in response["Content-Disposition"]
    rows = rows_of("xlsx", b"".join(response.streaming_content))
    assert rows[0][:4] == ["Kode wilayah", "Provinsi", "Kabupaten/Kota", "Tahap evaluasi"]
    assert [r[0] for r in rows[1:]] == expected and jambi.region_id in expected
    palembang = next(r for r in rows if r[0] == PALEMBANG)
    assert palembang[1:3] == ["Sumatera Selatan", "Kota Palembang"]
    actions = set(
        AuditEvent.objects.filter(object_type="reports.export", object_id=str(export.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {"kla.export.requested", "kla.export.downloaded"}


@pytest.mark.parametrize(
    ("persona", "prefix", "fmt"),
    [("province", "16.", "csv"), ("secretariat", PALEMBANG, "xlsx"), ("opd", PALEMBANG, "csv")],
)
def test_everyone_else_gets_their_own_subtree_only(
    client_for: Any, user_of: Any, ask: Any, persona: str, prefix: str, fmt: str
) -> None:
    Evaluation.objects.create(cycle=Cycle.objects.get(code=CYCLE), region_id="15.71")  # Jambi: nobody's here
    client = client_for(persona)
    assert ask(client, format=fmt).status_code == 302
    codes = [r[0] for r in rows_of(fmt, download(client, latest(user_of(persona))))[1:]]
    assert codes and all(c.startswith(prefix) for c in codes)
    assert "15.71" not in codes
    if persona == "province":
        assert len(codes) == Evaluation.objects.filter(cycle__code=CYCLE, region__code__startswith="16.").count()


@pytest.fixture
def scored(db: None) -> Evaluation:
    """Palembang determined with verified scores (sealed: the cycle is not published)."""
    evaluation = Evaluation.objects.get(cycle__code=CYCLE, region_id=PALEMBANG)
    evaluation.status = Evaluation.Status.DETERMINED
    evaluation.em_score = Decimal("701.25")
    evaluation.save()
    for stage, total in {"province_va": "690.50", "ministry_va": "680.75", "vl": "670.00", "final": "675.00"}.items():
        StageScore.objects.create(
            evaluation=evaluation,
            stage=stage,
            total=Decimal(total),
            framework_code="kla-2024-ref",
            breakdown={"indicators": {"1": {"points": "31.50", "max": "40"}}},
        )
    return evaluation


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("secretariat", ["701,25", SEALED, SEALED, SEALED, SEALED, SEALED]),
        ("province", ["701,25", "690,50", SEALED, SEALED, SEALED, SEALED]),
        ("ministry_admin", ["701,25", "690,50", "680,75", "670,00", "675,00", None]),
    ],
)
def test_scores_follow_the_seal(
    scored: Evaluation, client_for: Any, user_of: Any, ask: Any, persona: str, expected: list[Any]
) -> None:
    client = client_for(persona)
    ask(client, format="csv")
    rows = rows_of("csv", download(client, latest(user_of(persona))))
    assert rows[0][-6:] == ["Nilai EM", "Nilai VA Prov", "Nilai VA Kem", "Nilai VL", "Nilai Akhir", "Predikat"]
    row = next(r for r in rows if r[0] == PALEMBANG)
    if expected[-1] is None:  # the ministry sees the predicate of the final score
        assert row[-1] not in ("", SEALED)
        expected = [*expected[:-1], row[-1]]
    assert row[-6:] == expected


def test_indicator_detail_has_one_row_per_indicator_with_counts_points_and_defused_names(
    scored: Evaluation, client_for: Any, user_of: Any, ask: Any
) -> None:
    entry = Entry.objects.select_related("indicator").get(evaluation=scored, indicator__number=1)
    hostile = Agency.objects.create(region_id=PALEMBANG, kind="LAIN", name='=HYPERLINK("http://contoh.invalid")')
    Assignment.objects.create(entry=entry, agency=hostile)
    answered = Answer.objects.filter(entry=entry, answered=True).count()
    client = client_for("ministry_verifier")
    ask(client, kind="rincian-indikator", format="csv")
    rows = rows_of("csv", download(client, latest(user_of("ministry_verifier"))))
    header = rows[0]
    palembang = [r for r in rows[1:] if r[0] == PALEMBANG]
    assert len(palembang) == Entry.objects.filter(evaluation=scored).count() == 24
    assert len(rows) - 1 == Entry.objects.filter(evaluation__cycle__code=CYCLE).count()
    first = dict(zip(header, palembang[0], strict=True))
    assert first["No."] == "1" and first["Indikator"] == entry.indicator.name
    assert first["Pertanyaan terjawab"] == str(answered)
    assert first["Jumlah pertanyaan"] == str(entry.indicator.questions.count())
    assert '\'=HYPERLINK("http://contoh.invalid")' in first["OPD ditugaskan"].split("; ")
    assert [first[f"Poin {s}"] for s in ("VA Prov", "VA Kem", "VL", "Akhir")] == ["31,50"] * 4


def test_the_build_reads_a_fixed_number_of_queries_whatever_the_number_of_regions(user_of: Any) -> None:
    """One kab/kota (the secretariat) and seventeen (the province) cost the same queries: nothing is read per row."""
    counts = {}
    for kind in ("rekap-evaluasi", "rincian-indikator"):
        for persona in ("secretariat", "province"):
            user = user_of(persona)
            export = Export.objects.create(
                kind=kind, cycle_code=CYCLE, format="csv", grants=services.grant_keys(user), requested_by=user
            )
            with CaptureQueriesContext(connection) as queries:
                built = services.build(export.pk)
            counts[(kind, persona)] = len(queries)
            assert built.rows_total and built.rows_total >= (1 if persona == "secretariat" else 17)
        assert counts[(kind, "secretariat")] == counts[(kind, "province")], counts


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "semua-data"}, "Pilih jenis laporan dari daftar."),
        ({"format": "pdf"}, "Pilih format Excel (.xlsx) atau CSV (.csv)."),
        ({"cycle": "tidak-ada"}, "Pilih siklus evaluasi dari daftar"),
    ],
)
def test_a_bad_request_is_explained_and_queues_nothing(
    client_for: Any, ask: Any, data: dict[str, str], message: str
) -> None:
    response = ask(client_for("secretariat"), **data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Export.objects.exists()


def test_a_draft_cycle_cannot_be_exported(client_for: Any, ask: Any) -> None:
    Cycle.objects.filter(code=CYCLE).update(status=Cycle.Status.DRAFT)
    response = ask(client_for("ministry_admin"))
    assert response.status_code == 422 and not Export.objects.exists()


def test_no_more_than_three_unfinished_exports_per_user(client_for: Any, user_of: Any, ask: Any) -> None:
    user = user_of("province")
    for _ in range(3):
        Export.objects.create(kind="rekap-evaluasi", cycle_code=CYCLE, format="csv", requested_by=user)
    client = client_for("province")
    response = ask(client)
    assert response.status_code == 422
    assert "Masih ada 3 laporan Anda yang sedang dibuat" in response.content.decode()
    assert Export.objects.filter(requested_by=user).count() == 3
    page = client.get(reverse("reports:index")).content.decode()
    assert 'hx-trigger="every 3s"' in page and "<progress" in page  # the waiting ones show progress and poll


def test_only_the_requester_may_download_and_only_with_the_same_roles(client_for: Any, user_of: Any, ask: Any) -> None:
    owner = user_of("province")
    ask(client_for("province"))
    export = latest(owner)
    assert client_for("ministry_admin").get(reverse("reports:download", args=[export.pk])).status_code == 404
    membership_grant(
        user=owner, role=Role.SECRETARIAT, region=Region.objects.get(code="16.73"), by=user_of("ministry_admin")
    )
    response = client_for("province").get(reverse("reports:download", args=[export.pk]))
    assert response.status_code == 403 and "Peran Anda berubah" in response.content.decode()
    Membership.objects.filter(user=owner, role=Role.SECRETARIAT).delete()
    assert client_for("province").get(reverse("reports:download", args=[export.pk])).status_code == 200


def test_an_unfinished_export_cannot_be_downloaded(client_for: Any, user_of: Any) -> None:
    user = user_of("secretariat")
    export = Export.objects.create(
        kind="rekap-evaluasi", cycle_code=CYCLE, format="csv", grants=services.grant_keys(user), requested_by=user
    )
    response = client_for("secretariat").get(reverse("reports:download", args=[export.pk]))
    assert response.status_code == 404 and "belum siap" in response.content.decode()


def test_a_failing_build_is_shown_as_failed_with_what_to_do(client_for: Any, user_of: Any) -> None:
    user = user_of("secretariat")
    export = Export.objects.create(kind="rekap-evaluasi", cycle_code="sudah-dihapus", format="xlsx", requested_by=user)
    result = build_export.enqueue(export.pk)
    assert result.status == "FAILED"
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED and export.finished_at is not None
    assert "Silakan minta lagi" in export.error
    page = client_for("secretariat").get(reverse("reports:index")).content.decode()
    assert "Gagal dibuat" in page and "Silakan minta lagi" in page


def test_a_worker_lost_for_good_fails_the_export_visibly(user_of: Any) -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    export = Export.objects.create(
        kind="rekap-evaluasi", cycle_code=CYCLE, format="csv", requested_by=user_of("secretariat")
    )
    dead = f"{taskrecovery.this_worker_id().split(':')[0]}:999999999"
    DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [export.pk], "kwargs": {}},
        task_path="kla.reports.tasks.build_export",
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        worker_ids=[dead, dead, dead],
    )
    taskrecovery.recover(max_attempts=3)
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED and "minta lagi" in export.error


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("secretariat", ["701,25", "masih disegel"], ["690,50", "680,75", "670,00", "675,00", "Predikat"]),
        ("ministry_verifier", ["701,25", "690,50", "680,75", "670,00", "675,00", "Predikat"], ["masih disegel"]),
    ],
)
def test_the_score_sheet_prints_as_pdf_through_the_seal(
    scored: Evaluation,
    client_for: Any,
    user_of: Any,
    django_capture_on_commit_callbacks: Any,
    persona: str,
    shown: list[str],
    hidden: list[str],
) -> None:
    client = client_for(persona)
    sheet = client.get(reverse("results:score_sheet", args=[CYCLE, scored.pk])).content.decode()
    assert reverse("reports:score_sheet_pdf", args=[scored.pk]) in sheet  # the button on the score sheet page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:score_sheet_pdf", args=[scored.pk]))
    assert response.status_code == 302 and response.url == reverse("reports:index")
    export = latest(user_of(persona))
    assert export.status == Export.Status.READY and export.evaluation_id == scored.pk
    assert "Lembar nilai (PDF) · Kota Palembang" in client.get(reverse("reports:index")).content.decode()
    response = client.get(reverse("reports:download", args=[export.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="lembar-nilai-16.71-evaluasi-kla-demo.pdf"' in response["Content-Disposition"]
    text = _pdf_text(b"".join(response.streaming_content))
    assert "Lembar nilai Kota Palembang" in text and "Provinsi Sumatera Selatan" in text
    assert [s for s in shown if s not in text] == []
    assert [s for s in hidden if s in text] == []


def test_another_kabkota_cannot_print_palembangs_score_sheet(
    scored: Evaluation, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("other_secretariat").post(reverse("reports:score_sheet_pdf", args=[scored.pk]))
    assert response.status_code == 404 and not Export.objects.exists()


def test_exports_expire_after_the_keeping_days_and_are_pruned(
    client_for: Any, user_of: Any, ask: Any, settings: Any, media: Path
) -> None:
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    settings.KLA_EXPORT_KEEP_DAYS = 7
    client = client_for("secretariat")
    ask(client, format="csv")
    old = latest(user_of("secretariat"))
    ask(client, format="xlsx")
    fresh = latest(user_of("secretariat"))
    stored = Path(old.file.path)
    assert stored.exists()
    Export.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=7, minutes=1))
    page = client.get(reverse("reports:index")).content.decode()
    assert "sudah dihapus (melewati masa simpan)" in page and "tersedia sampai" in page
    assert reverse("reports:download", args=[old.pk]) not in page
    response = client.get(reverse("reports:download", args=[old.pk]))
    assert response.status_code == 404 and "masa simpannya" in response.content.decode()
    call_command("prune_exports", stdout=io.StringIO())
    assert not Export.objects.filter(pk=old.pk).exists() and not stored.exists()
    assert Export.objects.filter(pk=fresh.pk).exists() and Path(fresh.file.path).exists()


def test_each_build_prunes_what_has_expired(client_for: Any, user_of: Any, ask: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    client = client_for("province")
    ask(client, format="csv")
    old = latest(user_of("province"))
    Export.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=30))
    ask(client, format="csv")  # the next build deletes the expired one, without any scheduler
    assert not Export.objects.filter(pk=old.pk).exists()
    assert Export.objects.filter(requested_by=user_of("province")).count() == 1


def test_a_file_gone_from_the_storage_is_explained(client_for: Any, user_of: Any, ask: Any) -> None:
    client = client_for("secretariat")
    ask(client, format="csv")
    export = latest(user_of("secretariat"))
    Path(export.file.path).unlink()
    response = client.get(reverse("reports:download", args=[export.pk]))
    assert response.status_code == 404 and "tidak ada lagi di penyimpanan" in response.content.decode()
    assert not AuditEvent.objects.filter(action="kla.export.downloaded").exists()
