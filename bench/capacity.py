"""CPU budget of the peak-hour page mix: application and PostgreSQL CPU per page at national scale, weighed by the
load model's rates (`bench/load_model.py` PAGE_MIX), projected to the 3× surge.

`make loadtest` answers "does 3× hold on this machine?" in 14 minutes with everything sharing the cores. This
answers "which page costs what, and how many cores does the mix need?" in about two minutes, so a change to one page
can be judged on its own: every page is requested by the same kind of person as in the load test (the same plan,
`bench/loadtest/plan.py`), through the whole middleware stack with production settings (`DEBUG=0`, PostgreSQL,
persistent connection, prepared statements as configured), in one process. For each page it measures the process
CPU (`time.process_time`) and the CPU of the PostgreSQL backend serving it (`/proc/<backend pid>/stat`, so it runs
on the database's own machine only), and alongside each page the minimal signed-in page (`bench/urls.py`) as a
floor. Not measured here: gunicorn's own overhead per request (~0.3 ms), uploads and malware scanning (see
`make loadtest`).

Run with `make bench-capacity` (seeds a scratch PostgreSQL database; `--database NAME` reuses a seeded one).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.load_model import HEADROOM, PAGE_MIX
from bench.upload import RESULTS, Check, machine_info, manage, merge_results, python_calls, seed_national

PGHOST = os.environ.get("PGHOST", "127.0.0.1")
PGPORT = os.environ.get("PGPORT", "5432")
PGUSER = os.environ.get("PGUSER", "postgres")
REQUESTS = 60
ROUNDS = 6
# What the pages may use at 3× on the 2-core machine: 2 cores minus what `make loadtest`'s 3× phase measured for the
# rest of the stack (clamd 0.50 scanning 3.3 uploads/s, the load generators 0.21, nginx and the task worker 0.04)
# and the uploads' own work in the application (3.3/s × ~0.05 s of CPU each, `make bench`): 2 − 0.95 = 1.05.
BUDGET_CORES_3X = 1.05
INNER = "from bench.capacity import measure; measure()"


def measure() -> None:
    """Runs inside `manage.py shell` against the seeded database with production settings; prints one JSON line."""
    import random

    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from bench.loadtest.plan import build
    from bench.urls import FLOOR_PATH

    plan = build()
    operator = plan["operators"][len(plan["operators"]) // 2]
    item = operator["items"][0]
    save = next(i for i in operator["items"] if i["type"] in ("yes_no", "number", "percentage"))
    secretariat = plan["secretariats"][len(plan["secretariats"]) // 2]
    reviewer = plan["reviewers"][len(plan["reviewers"]) // 2]
    reviewed = reviewer["items"][0]
    rng = random.Random(2026)  # noqa: S311  (answers to type in, not secrets)
    version_re = re.compile(rb'name="version" value="(\d+)"')

    def client(username: str | None) -> Client:
        c = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        if username:
            c.cookies[settings.SESSION_COOKIE_NAME] = plan["sessions"][username]
        return c

    def ok(response: Any, what: str) -> Any:
        if response.status_code != 200:
            raise RuntimeError(f"{what}: HTTP {response.status_code} {response.content[:300]!r}")
        return response

    def get(c: Client, path: str) -> Callable[[], Any]:
        return lambda: ok(c.get(path, secure=True), path)

    def autosave(c: Client) -> Callable[[], Any]:
        state: dict[str, int] = {}

        def go() -> Any:
            if "version" not in state:
                page = ok(c.get(f"/entri/{save['entry']}/", secure=True), "entry page")
                found = re.search(
                    rb'/jawaban/%d/".*?name="version" value="(\d+)"' % save["question"], page.content, re.S
                )
                state["version"] = int(found.group(1)) if found else 0
            data = {"version": str(state["version"]), "justification": "Uji kapasitas."}
            if save["type"] == "yes_no":
                data["yes"] = rng.choice(["0", "1"])
            elif save["type"] == "number":
                data["number"] = str(rng.randint(1, 500))
            else:
                data.update(numerator=str(rng.randint(0, 50)), denominator="50")
            url = f"/entri/{save['entry']}/jawaban/{save['question']}/"
            response = ok(c.post(url, data, secure=True, HTTP_HX_REQUEST="true"), "autosave")
            found = version_re.search(response.content)
            state["version"] = int(found.group(1)) if found else state["version"] + 1
            return response

        return go

    def verdict(c: Client) -> Callable[[], Any]:
        url = f"/verifikasi/entri/{reviewed['entry']}/keputusan/{reviewed['question']}/"
        return lambda: ok(c.post(url, {"decision": "accepted", "reason": ""}, secure=True, HTTP_HX_REQUEST="true"), url)

    op, sec, rv, anon = client(operator["username"]), client(secretariat), client(reviewer["username"]), client(None)
    pages: dict[str, tuple[Client, Callable[[], Any]]] = {
        "operator: beranda": (op, get(op, "/")),
        "operator: tugas saya": (op, get(op, "/tugas-saya/")),
        "operator: entri": (op, get(op, f"/entri/{item['entry']}/")),
        "operator: autosave": (op, autosave(op)),
        "secretariat: evaluasi": (sec, get(sec, "/evaluasi/")),
        "secretariat: beranda": (sec, get(sec, "/")),
        "reviewer: antrean verifikasi": (rv, get(rv, "/verifikasi/")),
        "reviewer: telaah entri": (rv, get(rv, f"/verifikasi/entri/{reviewed['entry']}/")),
        "reviewer: verdict": (rv, verdict(rv)),
        "public: hasil": (anon, get(anon, "/hasil/")),
        "public: siklus": (anon, get(anon, f"/hasil/{plan['published_cycle']}/")),
    }
    assert set(pages) == set(PAGE_MIX), "bench/load_model.py PAGE_MIX and the pages measured here must match"

    def backend_cpu_s() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def cpu_of(fn: Callable[[], Any], n: int) -> tuple[list[float], float]:
        app = []
        pg_before = backend_cpu_s()
        for _ in range(n):
            started = time.process_time()
            fn()
            app.append(time.process_time() - started)
        return app, (backend_cpu_s() - pg_before) / n

    out: dict[str, Any] = {"pages": {}}
    with override_settings(ROOT_URLCONF="bench.urls"):
        for name, (c, fn) in pages.items():
            floor = get(c, FLOOR_PATH) if c is not anon else get(c, "/healthz")
            for _ in range(3):  # warm: imports, template and prepared-statement caches, the session's first write
                fn()
                floor()
            reset_queries()  # the log is cleared at each request start: capture from an empty one
            with CaptureQueriesContext(connection) as captured:
                fn()
            queries = len(captured.captured_queries)  # read now: it is a slice of the log the next request clears
            calls, floor_calls = python_calls(fn), python_calls(floor)
            app, pg, floor_app, floor_pg = [], [], [], []
            for _ in range(ROUNDS):  # page and floor in rounds, so a busy moment slows both alike
                a, p = cpu_of(fn, REQUESTS // ROUNDS)
                fa, fp = cpu_of(floor, REQUESTS // ROUNDS)
                app.append(statistics.median(a))
                pg.append(p)
                floor_app.append(statistics.median(fa))
                floor_pg.append(fp)
            # the application's CPU: the quietest round (on a shared machine the CPU a request takes varies up to 2×
            # with the neighbours' load, never downwards); PostgreSQL's: the mean, as /proc counts in 10 ms ticks
            out["pages"][name] = {
                "queries": queries,
                "python_calls": calls,
                "floor_python_calls": floor_calls,
                "app_ms": min(app) * 1000,
                "pg_ms": statistics.mean(pg) * 1000,
                "floor": FLOOR_PATH if c is not anon else "/healthz",
                "floor_app_ms": min(floor_app) * 1000,
                "floor_pg_ms": statistics.mean(floor_pg) * 1000,
                "rounds_app_ms": [round(x * 1000, 2) for x in app],
            }
    out["prepared_statements"] = bool(connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold"))
    print(json.dumps(out))


def build_checks(data: dict[str, Any]) -> tuple[list[Check], dict[str, float]]:
    pages = data["pages"]
    app_ms = sum(PAGE_MIX[name] * p["app_ms"] for name, p in pages.items())  # CPU ms per second of 1×
    pg_ms = sum(PAGE_MIX[name] * p["pg_ms"] for name, p in pages.items())
    cores = HEADROOM * (app_ms + pg_ms) / 1000
    checks = [
        Check(
            "capacity_3x_app_and_db_cores",
            round(cores, 2),
            BUDGET_CORES_3X,
            round(cores / BUDGET_CORES_3X, 2),
            f"<= {BUDGET_CORES_3X} cores",
            "cores",
            cores <= BUDGET_CORES_3X,
        )
    ]
    for name, p in pages.items():
        key = "capacity_page_" + re.sub(r"[^a-z0-9]+", "_", name).strip("_")
        total, floor = p["app_ms"] + p["pg_ms"], p["floor_app_ms"] + p["floor_pg_ms"]
        checks.append(
            Check(key + "_cpu_ms", round(total, 2), round(floor, 2), round(total / floor, 2), "information", "ms", True)
        )
        calls, floor_calls = p["python_calls"], p["floor_python_calls"]
        ratio = round(calls / floor_calls, 2)
        checks.append(Check(key + "_python_calls", calls, floor_calls, ratio, "information", "calls", True))
    calls = sum(PAGE_MIX[name] * p["python_calls"] for name, p in pages.items())
    return checks, {
        "app_ms_per_1x_second": round(app_ms, 1),
        "pg_ms_per_1x_second": round(pg_ms, 1),
        "python_calls_per_1x_second": round(calls),
    }


def _psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(  # noqa: S603
        ["psql", "-h", PGHOST, "-p", PGPORT, "-U", PGUSER, "-d", db, "-q", "-c", sql],  # noqa: S607
        check=True,
        capture_output=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--database",
        help="a database already seeded with python -m bench.seed_national (kept afterwards; each run adds verdicts "
        "and audit events, so the review pages grow heavier from run to run: compare fresh databases)",
    )
    args = parser.parse_args(argv)
    db = args.database or f"kla_capacity_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="kla-bench-capacity-") as name:
        tmp = Path(name)
        for sub in ("media", "static", "tmp"):
            (tmp / sub).mkdir()
        env = dict(os.environ)
        for unset in ("CLAMD_ADDRESS", "SQLITE_TEST_NAME"):
            env.pop(unset, None)
        env.update(
            DEBUG="0",
            SECRET_KEY="capacity-benchmark-" + "x" * 40,
            ALLOWED_HOSTS="127.0.0.1",
            CSRF_TRUSTED_ORIGINS="https://127.0.0.1",
            DATABASE_URL=f"postgres://{PGUSER}@{PGHOST}:{PGPORT}/{db}",
            MEDIA_ROOT=str(tmp / "media"),
            STATIC_ROOT=str(tmp / "static"),
            TMPDIR=str(tmp / "tmp"),
            TASKS_BACKEND="database",
            LOG_LEVEL="WARNING",
        )
        try:
            seed_s = None
            if not args.database:
                _psql(f"CREATE DATABASE {db}")
                manage(env, "migrate", "--no-input", "-v", "0")
                started = time.perf_counter()
                seed_national({**env, "DEBUG": "1"})
                seed_s = round(time.perf_counter() - started, 1)
                # the steady state of a running system, and no autovacuum of the fresh tables during the measurement
                _psql("VACUUM", db=db)
            manage(env, "collectstatic", "--no-input", "-v", "0")
            data = json.loads(manage(env, "shell", "-v", "0", "-c", INNER).strip().splitlines()[-1])
            machine = machine_info(tmp)
        finally:
            if not args.database:
                _psql(f"DROP DATABASE IF EXISTS {db}")
    checks, totals = build_checks(data)
    header = f"{'page (req/s at 1×)':38} {'queries':>7} {'app ms':>7} {'db ms':>6} {'floor ms':>8}"
    print(f"{header} {'calls':>7} {'floor':>6}")
    for name, p in data["pages"].items():
        print(
            f"{name + f' ({PAGE_MIX[name]:g})':38} {p['queries']:>7} {p['app_ms']:>7.2f} {p['pg_ms']:>6.2f} "
            f"{p['floor_app_ms'] + p['floor_pg_ms']:>8.2f} {p['python_calls']:>7} {p['floor_python_calls']:>6}"
        )
    calls_1x = totals["python_calls_per_1x_second"]
    print(f"Python calls per second of 1× (the same on any machine for the same code and data): {calls_1x:,.0f}")
    print(
        f"per second of 1×: application {totals['app_ms_per_1x_second']} ms, PostgreSQL "
        f"{totals['pg_ms_per_1x_second']} ms of CPU; at {HEADROOM}×: {checks[0].value} cores "
        f"(budget {BUDGET_CORES_3X}; prepared statements {'on' if data['prepared_statements'] else 'off'})"
    )
    capacity = {**totals, "seed_s": seed_s, "prepared_statements": data["prepared_statements"], **data}
    merge_results(args.output, "capacity_", checks, machine=machine, capacity=capacity)
    return 0


if __name__ == "__main__":
    sys.exit(main())
