"""National-scale benchmarks: seed all 514 kab/kota, then re-scoring against an SQL aggregate, page latency
against a minimal signed-in page, the cycle exports (bench/national_exports.py) and the province RAD KLA recaps
(bench/national_recaps.py) against one plain SQL query of the same rows and the bare writer, each measured in the
same run, and the peak memory of the national detail export in a process of its own. Merges its checks into
bench/results.json.

Run with `make bench-national` (about three minutes: most of it is seeding the national data set with
`python -m bench.seed_national`); `python -m bench.national --provinces 16` is a quick check of the whole run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from bench.upload import (
    RESULTS,
    Check,
    isolated_env,
    machine_info,
    manage,
    merge_results,
    python_calls,
    seed_national,
)

REPEAT = 5
PAGE_REQUESTS = 25
INNER = "from bench.national import measure; measure()"
MEMORY = "from bench.national_exports import detail_memory; detail_memory()"

# (username, path) of the main pages, read by the role that uses each; `{palembang}` is Palembang's current evaluation,
# `{meeting}` the latest held coordination meeting of Palembang's task force, `{rad}` Palembang's RAD KLA, `{activity}`
# Palembang's latest activity (kegiatan); a path read by a second user is keyed "path#username" in the results
PAGES = [
    ("nas-gt-1671", "/evaluasi/{palembang}/"),
    ("nas-gt-1671", "/hasil/wilayah/16.71/"),
    ("nas-gt-1671", "/wilayah/16.71/instansi/"),
    ("nas-gt-1671", "/gugus-tugas/wilayah/16.71/"),
    ("nas-gt-1671", "/gugus-tugas/wilayah/16.71/rakor/"),
    ("nas-gt-1671", "/gugus-tugas/rakor/{meeting}/"),
    ("nas-gt-1671", "/gugus-tugas/wilayah/16.71/tindak-lanjut/"),
    ("nas-prov-16", "/gugus-tugas/wilayah/16/"),
    ("nas-gt-1671", "/rad/wilayah/16.71/"),
    ("nas-gt-1671", "/rad/{rad}/"),
    ("nas-gt-1671", "/rad/{rad}/anggaran/"),
    ("nas-gt-1671", "/rad/{rad}/realisasi/"),
    ("nas-prov-16", "/rad/"),
    ("nas-gt-1671", "/api/v1/action-plans/{rad}/budget"),
    ("nas-gt-1671", "/kegiatan/wilayah/16.71/"),
    ("nas-gt-1671", "/kegiatan/{activity}/"),
    ("nas-gt-1671", "/api/v1/regions/16.71/activities"),
    ("nas-prov-16", "/verifikasi/"),
    ("nas-prov-16", "/verifikasi/{cycle}/provinsi/16/"),
    ("nas-kemen-verif-1", "/verifikasi/?tahap=ministry_review"),
    ("nas-kemen-verif-1", "/api/v1/evaluations/?limit=50"),
    (None, "/hasil/{published}/"),
    (None, "/hasil/daerah/16.71/"),
    (None, "/hasil/{published}/data.json"),
    ("nas-gt-1671", "/dasbor/kabkota/16.71/"),
    ("nas-prov-16", "/dasbor/provinsi/16/"),
    ("nas-kemen-verif-1", "/dasbor/nasional/"),
    ("nas-kemen-verif-1", "/api/v1/dashboards/nasional/id"),
    ("nas-gt-1671", "/tugas-saya/"),
    ("nas-opd-1671-dinkes", "/tugas-saya/"),
    ("nas-prov-16", "/notifikasi/"),
    ("nas-prov-16", "/notifikasi/tertahan/"),
]
HEALTHZ = "/healthz"  # the second reference: no session, no template, one `SELECT 1`


def _timed(fn: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def measure() -> None:
    """Runs inside `manage.py shell` against the seeded database; prints one JSON line."""
    from decimal import Decimal

    from django.db import connection
    from django.db.models import Sum
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from bench.national_budget_sums import check_budget_sums
    from bench.national_exports import measure_exports
    from bench.national_recaps import measure_rad_recaps
    from bench.urls import FLOOR_PATH
    from kla.accounts import security
    from kla.accounts.models import User
    from kla.activities.models import Activity
    from kla.evaluations.models import Answer, Cycle, Evaluation
    from kla.evaluations.rescoring import rescore, rescore_totals
    from kla.evaluations.scoring_adapter import score_answer
    from kla.indicators.models import Question
    from kla.rad.models import Plan
    from kla.taskforce.models import Meeting

    questions = {q.pk: q for q in Question.objects.all()}

    def rescore_previous() -> dict[int, Decimal]:
        """The first version of this benchmark: ORM rows (JSON decoded per answer), a cache keyed by json.dumps."""
        cache: dict[tuple[int, str], Decimal] = {}
        totals: dict[int, Decimal] = {}
        today = dt.date.today()
        for question_id, value, evaluation_id in Answer.objects.values_list(
            "question_id", "value", "entry__evaluation_id"
        ).iterator(chunk_size=5000):
            key = (question_id, json.dumps(value, sort_keys=True))
            if key not in cache:
                cache[key] = score_answer(questions[question_id], value, today=today).points
            totals[evaluation_id] = totals.get(evaluation_id, Decimal(0)) + cache[key]
        return totals

    def aggregate() -> dict[int, Decimal]:
        rows = Answer.objects.values("entry__evaluation_id").annotate(t=Sum("points"))
        return {r["entry__evaluation_id"]: r["t"] for r in rows}

    engine, sql, previous = rescore_totals(), aggregate(), rescore_previous()
    mismatches = sum(1 for k, v in sql.items() if engine.get(k, Decimal(0)) != v)
    mismatches += sum(1 for k, v in sql.items() if previous.get(k, Decimal(0)) != v)
    rescore_s, aggregate_s = [], []
    for _ in range(REPEAT):  # interleaved, so a noisy moment slows both alike
        rescore_s += _timed(rescore_totals, 1)
        aggregate_s += _timed(aggregate, 1)
    previous_s = _timed(rescore_previous, REPEAT)
    distinct = rescore().distinct

    current = Cycle.objects.filter(code__startswith="nasional-", published_at__isnull=True).first()
    published = Cycle.objects.filter(code__startswith="nasional-", published_at__isnull=False).first()
    assert current is not None and published is not None
    palembang = Evaluation.objects.get(cycle=current, region_id="16.71").pk
    meeting = Meeting.objects.filter(region_id="16.71", status=Meeting.Status.HELD).order_by("-starts_at").first()
    assert meeting is not None
    rad = Plan.objects.filter(region_id="16.71").order_by("-start_year").values_list("pk", flat=True).first()
    assert rad is not None
    activity = Activity.objects.filter(region_id="16.71").order_by("-start_date", "-id").values_list("pk", flat=True)[0]
    clients: dict[str | None, Client] = {None: Client(HTTP_HOST="localhost")}
    pages: dict[str, list[float]] = {}
    page_users: dict[str, str | None] = {}
    queries: dict[str, int] = {}
    calls: dict[str, int] = {}  # Python calls of one request (bench.upload.python_calls): comparable run to run
    floor_calls: dict[str, int] = {}
    # per page: the floor page as the same user, measured alongside; a public page (no user) against the floor of a
    # signed-in user (the first of PAGES): the goal is "within 3× the signed-in minimal page" for every page
    floors: dict[str, list[float]] = {}
    healthz: dict[str, list[float]] = {}
    # the floor page exists only in this process's URL configuration (bench/urls.py)
    with override_settings(ROOT_URLCONF="bench.urls"):
        for username, template in PAGES:
            if username not in clients:
                client = Client(HTTP_HOST="localhost")
                user = User.objects.get(username=username)
                client.force_login(user)
                if security.needs_second_step(user):
                    session = client.session
                    security.mark_second_step(session)
                    session.save()
                clients[username] = client
            path = template.format(
                palembang=palembang,
                cycle=current.code,
                published=published.code,
                meeting=meeting.pk,
                rad=rad,
                activity=activity,
            )
            client = clients[username]
            key = path if path not in pages else f"{path}#{username}"
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} as {username}: HTTP {response.status_code}")
            connection.queries_log.clear()  # a full log (DEBUG keeps 9000) would make the capture read 0
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            queries[key] = len(captured.captured_queries)
            calls[key] = python_calls(partial(client.get, path))
            floor_client = client if username is not None else clients[PAGES[0][0]]
            floor_calls[key] = python_calls(partial(floor_client.get, FLOOR_PATH))
            page_users[key] = username
            response = floor_client.get(FLOOR_PATH)
            if response.status_code != 200 or b'class="main-nav"' not in response.content:
                raise RuntimeError(f"{FLOOR_PATH} as {username}: HTTP {response.status_code}")
            # page, floor (same client) and /healthz interleaved: a busy moment on a shared machine slows all three
            pages[key], floors[key], healthz[key] = [], [], []
            for _ in range(PAGE_REQUESTS):
                pages[key] += _timed(lambda c=client, p=path: c.get(p), 1)
                floors[key] += _timed(lambda c=floor_client: c.get(FLOOR_PATH), 1)
                healthz[key] += _timed(lambda: clients[None].get(HEALTHZ), 1)
    ministry = User.objects.get(username="nas-kemen-verif-1")
    rad_recaps = measure_rad_recaps()
    budget_sums = check_budget_sums()
    exports = measure_exports(ministry, published)
    score_sheet_pdf = _measure_score_sheet_pdf(ministry, published)
    evidence_pack = _measure_evidence_pack(ministry, published)
    print(
        json.dumps(
            {
                "exports": exports,
                "rad_recaps": rad_recaps,
                "budget_sums": budget_sums,
                "score_sheet_pdf": score_sheet_pdf,
                "evidence_pack": evidence_pack,
                "answers": Answer.objects.count(),
                "evaluations": len(sql),
                "mismatches": mismatches,
                "rescore_s": rescore_s,
                "aggregate_s": aggregate_s,
                "rescore_previous_s": previous_s,
                "distinct_answers": distinct,
                "pages": pages,
                "page_users": {path: user or "" for path, user in page_users.items()},
                "page_queries": queries,
                "page_python_calls": calls,
                "floor_python_calls": floor_calls,
                "floor_s": floors,
                "healthz_s": healthz,
            }
        )
    )


def _bare_write(fmt: str, columns: list[str], rows: list[list[Any]]) -> None:
    """The floor of an export: the same rows, already in memory, through the plain writer into a temporary file."""
    import csv

    import xlsxwriter

    with tempfile.TemporaryDirectory(prefix="kla-bench-writer-") as tmp:
        path = f"{tmp}/t.{fmt}"
        if fmt == "csv":
            with open(path, "w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(columns)
                writer.writerows(rows)
        else:
            book = xlsxwriter.Workbook(path, {"constant_memory": True})
            sheet = book.add_worksheet()
            sheet.write_row(0, 0, columns)
            for r, row in enumerate(rows, 1):
                sheet.write_row(r, 0, row)
            book.close()


def _evaluation_export(user: Any, evaluation: Any, kind: str, fmt: str) -> Any:
    """An export of one evaluation, queued as the request services queue it but without enqueueing its task (which
    would run at once, untimed): the benchmark builds it itself."""
    from kla.reports import services
    from kla.reports.models import Export

    return Export.objects.create(
        kind=kind,
        cycle_code=evaluation.cycle.code,
        format=fmt,
        evaluation=evaluation,
        grants=services.grant_keys(user),
        requested_by=user,
    )


def _measure_score_sheet_pdf(user: Any, cycle: Any) -> dict[str, Any]:
    """Palembang's score sheet as PDF, built by the export service as the task does, against WeasyPrint rendering a
    minimal one-page document in the same process (its fixed cost: fonts, layout engine, PDF writer)."""
    from pypdf import PdfReader

    from kla.evaluations.models import Evaluation
    from kla.reports import services
    from kla.reports.documents import SCORE_SHEET
    from kla.verification.pdf import html_to_pdf

    evaluation = Evaluation.objects.get(cycle=cycle, region_id="16.71")
    minimal = "<!DOCTYPE html><html lang='id'><meta charset='utf-8'><p>Lembar nilai</p></html>"
    built, floor, pages = [], [], 0
    for _ in range(REPEAT):
        export = _evaluation_export(user, evaluation, SCORE_SHEET, "pdf")
        built += _timed(partial(services.build, export.pk), 1)
        floor += _timed(partial(html_to_pdf, minimal), 1)
        export.refresh_from_db()
        with export.file.open("rb") as f:
            pages = len(PdfReader(f).pages)
    return {"pages": pages, "pdf_s": built, "floor_s": floor}


def _bare_zip(paths: list[str]) -> None:
    """The floor of an evidence pack: the same stored files copied into a ZIP by the standard library, no database,
    no hashing, no index."""
    import zipfile

    with tempfile.TemporaryDirectory(prefix="kla-bench-zip-") as tmp, zipfile.ZipFile(f"{tmp}/p.zip", "w") as zf:
        for n, path in enumerate(paths):
            zf.write(path, f"{n}{os.path.splitext(path)[1]}")


BIG_FILES = 24  # added to one evaluation for the representative pack: 120 MB at the load model's mean file size


def _measure_evidence_pack(user: Any, cycle: Any) -> dict[str, Any]:
    """Evidence packs built by the export service as the task does (files read from storage, hashed and checked,
    the list written, the pack stored, progress written), against the standard library zipping the same stored
    files; interleaved. Palembang's pack as seeded (small files: the cost per file), and the pack of another kab/kota
    after adding `BIG_FILES` files of the load model's mean size (the cost per byte), removed afterwards."""
    import hashlib

    from django.core.files.base import ContentFile

    from bench.load_model import MEAN_FILE_MB
    from kla.evaluations.models import Evaluation
    from kla.evidence.models import Evidence

    seeded = _measure_pack(
        user, Evaluation.objects.select_related("cycle", "region").get(cycle=cycle, region_id="16.71")
    )
    evaluation = Evaluation.objects.select_related("cycle", "region").get(cycle=cycle, region_id="16.72")
    entries = list(evaluation.entries.select_related("indicator").order_by("indicator__position"))
    template = Evidence.objects.filter(entry__evaluation=evaluation).first()
    added = []
    for n in range(BIG_FILES):
        data = os.urandom(MEAN_FILE_MB * 1024 * 1024)  # incompressible, as PDFs and photos are
        entry = entries[n % len(entries)]
        sha256 = hashlib.sha256(data).hexdigest()
        evidence = Evidence(
            entry=entry,
            question=entry.indicator.questions.order_by("position")[0],
            evidence_type=template.evidence_type if template else "report",
            original_name=f"Bukti {n + 1}.pdf",
            kind="pdf",
            mime="application/pdf",
            size=len(data),
            sha256=sha256,
            original_sha256=sha256,
            scan_status=Evidence.Scan.CLEAN,
        )
        evidence.file.save(f"bench-{n}.pdf", ContentFile(data), save=False)
        evidence.save()
        added.append(evidence)
    try:
        big = _measure_pack(user, evaluation)
    finally:
        for evidence in added:
            evidence.file.delete(save=False)
            evidence.delete()
    return {"seeded": seeded, "big": big}


def _measure_pack(user: Any, evaluation: Any) -> dict[str, Any]:
    from kla.reports import evidence_pack, services

    stored = list(evidence_pack.pack_files(evaluation).order_by("pk"))
    paths = [e.file.path for e in stored]
    built, floor = [], []
    for _ in range(REPEAT):
        export = _evaluation_export(user, evaluation, evidence_pack.EVIDENCE_PACK, "zip")
        built += _timed(partial(services.build, export.pk), 1)
        floor += _timed(partial(_bare_zip, paths), 1)
        export.refresh_from_db()
        if export.rows_done != len(stored) or export.note:
            raise RuntimeError(f"evidence pack: {export.rows_done} of {len(stored)} files, note {export.note!r}")
        export.file.delete(save=False)
    return {
        "region": evaluation.region_id,
        "files": len(stored),
        "bytes": sum(e.size for e in stored),
        "pack_s": built,
        "floor_s": floor,
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def build_checks(data: dict[str, Any]) -> list[Check]:
    rescore, aggregate = statistics.median(data["rescore_s"]), statistics.median(data["aggregate_s"])
    checks = [
        Check(
            "national_rescore_vs_sql_aggregate",
            round(rescore, 4),
            round(aggregate, 4),
            round(rescore / aggregate, 2),
            "<= 3",
            "s",
            rescore / aggregate <= 3,
        ),
    ]
    for key, m in data.get("exports", {}).items():
        export, floor = statistics.median(m["export_s"]), statistics.median(m["floor_s"])
        name = "national_export_" + key.replace("-", "_").replace(".", "_")
        checks.append(
            Check(
                name + "_vs_sql_and_bare_writer",
                round(export, 4),
                round(floor, 4),
                round(export / floor, 2),
                "<= 1.5",
                "s",
                export / floor <= 1.5,
            )
        )
        if "own_s" in m:  # the rows and the file alone, without storing it, progress or the requester's notice
            own = statistics.median(m["own_s"])
            checks.append(
                Check(
                    name + "_rows_and_file_vs_floor",
                    round(own, 4),
                    round(floor, 4),
                    round(own / floor, 2),
                    "information",
                    "s",
                    True,
                )
            )
    for fmt, m in data.get("detail_memory", {}).items():
        if isinstance(m, dict):
            peak = round(m["tracemalloc_peak_bytes"] / 1e6, 2)
            name = f"national_export_rincian_indikator_{fmt}_peak_memory"
            checks.append(Check(name, peak, 0, 0, "information", "MB", True))
    for kind, m in data.get("rad_recaps", {}).items():
        built, floor = statistics.median(m["export_s"]), statistics.median(m["floor_s"])
        checks.append(
            Check(
                "national_" + kind.replace("-", "_") + "_province_vs_sql_and_bare_writer",
                round(built, 4),
                round(floor, 4),
                round(built / floor, 2),
                "<= 1.5",
                "s",
                built / floor <= 1.5,
            )
        )
    if "budget_sums" in data:
        m = data["budget_sums"]
        checks.append(
            Check(
                "national_rad_budget_endpoint_parts_not_summing",
                m["mismatches"],
                m["plan_years"],
                0,
                "0 of every plan and year",
                "plan-years",
                m["mismatches"] == 0,
            )
        )
    if "score_sheet_pdf" in data:
        pdf, floor = (
            statistics.median(data["score_sheet_pdf"]["pdf_s"]),
            statistics.median(data["score_sheet_pdf"]["floor_s"]),
        )
        checks.append(
            Check(
                "national_pdf_score_sheet_vs_minimal_pdf",
                round(pdf, 4),
                round(floor, 4),
                round(pdf / floor, 2),
                "information",
                "s",
                True,
            )
        )
    for key, goal in (("seeded", "information"), ("big", "<= 1.5")):
        if key not in data.get("evidence_pack", {}):
            continue
        m = data["evidence_pack"][key]
        pack, floor = statistics.median(m["pack_s"]), statistics.median(m["floor_s"])
        name = "national_evidence_pack_small_files" if key == "seeded" else "national_evidence_pack_5mb_files"
        checks.append(
            Check(
                f"{name}_vs_bare_zip",
                round(pack, 4),
                round(floor, 4),
                round(pack / floor, 2),
                goal,
                "s",
                goal == "information" or pack / floor <= 1.5,
            )
        )
    for path, times in data["pages"].items():
        median, p95 = statistics.median(times), _p95(times)
        floor, healthz = statistics.median(data["floor_s"][path]), statistics.median(data["healthz_s"][path])
        name = "national_page_" + path.strip("/")
        for c in "/?=#":
            name = name.replace(c, "_")
        checks.append(
            Check(
                name + "_median",
                round(median, 4),
                round(floor, 4),
                round(median / floor, 2),
                "<= 3",
                "s",
                median / floor <= 3,
            )
        )
        checks.append(
            Check(name + "_p95", round(p95, 4), round(floor, 4), round(p95 / floor, 2), "information", "s", True)
        )
        if path in data.get("page_python_calls", {}):
            calls, floor_calls = data["page_python_calls"][path], data["floor_python_calls"][path]
            ratio = round(calls / floor_calls, 2)
            checks.append(Check(name + "_python_calls", calls, floor_calls, ratio, "information", "calls", True))
        checks.append(
            Check(
                name + "_median_vs_healthz",
                round(median, 4),
                round(healthz, 4),
                round(median / healthz, 2),
                "information",
                "s",
                True,
            )
        )
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, help=f"where to merge the results (default {RESULTS})")
    parser.add_argument(
        "--provinces",
        default="",
        help="a quick check on these provinces only, e.g. 16 (it must include 16: Palembang's pages are measured); "
        "its figures are not national, so they are merged only into an explicit --output",
    )
    args = parser.parse_args(argv)
    provinces = ["--provinces", args.provinces] if args.provinces else []
    output = args.output or (None if args.provinces else RESULTS)
    with tempfile.TemporaryDirectory(prefix="kla-bench-national-") as name:
        tmp = Path(name)
        env = isolated_env(tmp)
        manage(env, "migrate", "--no-input", "-v", "0")
        started = time.perf_counter()
        seeded = seed_national(env, *provinces)
        seed_s = time.perf_counter() - started
        print(seeded.split("\nLogin", 1)[0].rstrip())  # the phases with their seconds, the rows per model
        data = json.loads(manage(env, "shell", "-v", "0", "-c", INNER).strip().splitlines()[-1])
        data["detail_memory"] = json.loads(manage(env, "shell", "-v", "0", "-c", MEMORY).strip().splitlines()[-1])
        machine = machine_info(tmp)
    checks = build_checks(data)
    print(
        f"national data: {data['evaluations']} evaluations, {data['answers']} answers, seeded in {seed_s:.1f} s; "
        f"engine/SQL total mismatches: {data['mismatches']}; previous re-score "
        f"{statistics.median(data['rescore_previous_s']):.3f} s"
    )
    for path, times in data["pages"].items():
        print(
            f"{path} as {data['page_users'][path] or 'anonymous'}: {data['page_queries'][path]} queries, median "
            f"{statistics.median(times) * 1000:.2f} ms; floor {statistics.median(data['floor_s'][path]) * 1000:.2f} "
            f"ms; /healthz {statistics.median(data['healthz_s'][path]) * 1000:.2f} ms"
        )
    for key, m in data.get("exports", {}).items():
        built, floor = statistics.median(m["export_s"]) * 1000, statistics.median(m["floor_s"]) * 1000
        own = statistics.median(m.get("own_s") or [0]) * 1000
        print(
            f"export {key}: {m['rows']} rows built in {built:.0f} ms (rows and file alone {own:.0f} ms); one SQL "
            f"query + bare writer {floor:.0f} ms"
        )
    memory = data.get("detail_memory", {})
    for fmt, m in memory.items():
        if isinstance(m, dict):
            print(
                f"national detail export {fmt}: {m['rows']} rows, {m['bytes'] / 1e6:.1f} MB file, peak Python "
                f"allocations {m['tracemalloc_peak_bytes'] / 1e6:.2f} MB; process RSS high-water mark "
                f"{memory['rss_max_kb'] / 1024:.0f} MB"
            )
    for kind, m in data.get("rad_recaps", {}).items():
        print(
            f"{kind} of province {m['province']}: {m['rows']} rows, built in "
            f"{statistics.median(m['export_s']) * 1000:.0f} ms; one SQL query and the bare writer "
            f"{statistics.median(m['floor_s']) * 1000:.0f} ms"
        )
    if "score_sheet_pdf" in data:
        m = data["score_sheet_pdf"]
        print(
            f"score sheet PDF of Palembang ({m['pages']} pages): {statistics.median(m['pdf_s']) * 1000:.0f} ms; "
            f"a minimal WeasyPrint page {statistics.median(m['floor_s']) * 1000:.0f} ms"
        )
    for m in data.get("evidence_pack", {}).values():
        print(
            f"evidence pack of {m['region']} ({m['files']} files, {m['bytes'] / 1e6:.1f} MB): "
            f"{statistics.median(m['pack_s']) * 1000:.0f} ms; the same files zipped by the standard library "
            f"{statistics.median(m['floor_s']) * 1000:.0f} ms"
        )
    for c in checks:
        mark = "ok " if c.met else "!! "
        print(f"{mark}{c.name:62} {c.value:>9} {c.unit} floor {c.floor:>8} ratio {c.ratio:>7} goal {c.goal}")
    if output is None:
        print("quick run on some provinces (--provinces): no results merged (give --output to keep them)")
        return 0
    merge_results(
        output,
        "national_",
        checks,
        machine=machine,
        national={
            "seed_s": round(seed_s, 1),
            "answers": data["answers"],
            "evaluations": data["evaluations"],
            "rescore_mismatches": data["mismatches"],
            "rescore_distinct_answers": data["distinct_answers"],
            "rescore_s": data["rescore_s"],
            "aggregate_s": data["aggregate_s"],
            "rescore_previous_s": data["rescore_previous_s"],
            "exports": data.get("exports", {}),
            "export_floor": "the same rows read by one plain SQL query (bench/national_exports.py) and written by the "
            "bare writer (csv.writer, or xlsxwriter's write_row in constant-memory mode), measured alternately with "
            "the export",
            "detail_export_memory": data.get("detail_memory", {}),
            "rad_recaps": data.get("rad_recaps", {}),
            "rad_budget_sums": data.get("budget_sums", {}),
            "rad_recap_floor": "the same rows read by one plain SQL query (bench/national_recaps.py) and written by "
            "xlsxwriter's write_row in constant-memory mode, measured alternately with the export",
            "score_sheet_pdf": data.get("score_sheet_pdf", {}),
            "evidence_pack": data.get("evidence_pack", {}),
            "floor": "/bench/floor/ (bench/urls.py): base.html for the same user and client, full middleware and "
            "session, no domain query; measured alongside each page, as is /healthz; a public page is measured "
            "against the floor of the first signed-in user of PAGES (the goal: within 3x the signed-in minimal page)",
            "pages": {
                path: {
                    "user": data["page_users"][path] or "anonymous",
                    "queries": data["page_queries"][path],
                    "median_s": round(statistics.median(times), 5),
                    "p95_s": round(_p95(times), 5),
                    "floor_median_s": round(statistics.median(data["floor_s"][path]), 5),
                    "floor_p95_s": round(_p95(data["floor_s"][path]), 5),
                    "healthz_median_s": round(statistics.median(data["healthz_s"][path]), 5),
                }
                for path, times in data["pages"].items()
            },
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
