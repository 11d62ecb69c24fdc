"""`make loadtest LOADTEST_ARGS="--layout multi"`: the layout of several machines, on this one.

Two application servers (deploy/systemd/kla-web.service, each its own gunicorn on its own port) behind nginx's
`upstream` (deploy/nginx/kla-upstream.conf), two task workers (kla-worker.service, each under its own supervisor),
one PostgreSQL, evidence and exports in an S3-compatible object store (moto in server mode, as the object-storage
tests use, with MEDIA_STORAGE=s3). Nothing on disk is shared between the servers and the workers: each has its own
MEDIA_ROOT, upload spool and temporary directory, as separate machines would (`MultiStack.machine`), so a file one
of them wrote where only it can read would be found missing.

Phases, each a headless locust run of locustfile.py at the 1× load model:

1. 1×: the peak hour, with the requests of each server counted from nginx's access log;
2. faults: a task worker is killed (SIGKILL) while it renders a proposal letter (a PDF), then one application server
   is killed whole (master and workers, SIGKILL, as a machine that loses power) and brought back 30 s later. Every
   request that failed must be one the killed server held at that moment; nginx resends the idempotent ones to the
   other server, a POST that died with its server is answered 502 (never acknowledged).

Then integrity.py reads every acknowledged upload back from the bucket (SHA-256) and every acknowledged answer from
the database, and no background task may be left RUNNING. Results: bench/results.json (checks named multi_*).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.loadtest import deployfiles, faultlog
from bench.loadtest.multi_checks import checks
from bench.loadtest.run import (
    LETTERS_ENQUEUE,
    LETTERS_STATUS,
    PGHOST,
    PGPORT,
    PGUSER,
    PY,
    Stack,
    idle_floor,
    keep_logs,
    locust,
    log,
    resumed,
)
from bench.upload import ROOT, free_port, machine_info, merge_results

BUCKET = "kla-bukti-load"
RUNNING_LETTER = (
    "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' "
    "AND task_path LIKE '%render_proposal_letter%' LIMIT 1"
)
RUNNING_TASKS = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
CURL = [
    "curl",
    "-s",
    "-o",
    "/dev/null",
    "-w",
    "%{http_code}",
    "-H",
    "X-Forwarded-Proto: https",
    "-H",
    "Host: 127.0.0.1",
]
SERVER_DOWN_S = 30  # how long the killed application server stays down


class MultiStack(Stack):
    """Stack with `servers` gunicorns behind an nginx upstream, `workers` task workers and an S3 bucket."""

    def __init__(self, work: Path, quick: bool, servers: int = 2, workers: int = 2) -> None:
        super().__init__(work, quick)
        self.app_ports = [free_port() for _ in range(servers)]
        self.app_port = self.app_ports[0]
        self.workers = workers
        self.worker_restarts = 0
        self.s3 = f"http://127.0.0.1:{free_port()}"
        self.env.update(
            MEDIA_STORAGE="s3",
            S3_BUCKET=BUCKET,
            S3_ENDPOINT_URL=self.s3,
            S3_ACCESS_KEY_ID="load",
            S3_SECRET_ACCESS_KEY="load",
            S3_REGION="us-east-1",
            # two servers of 2 workers × 4 threads: 4 processes on the 2 cores, where the single layout has 3
            KLA_WEB_WORKERS=os.environ.get("KLA_WEB_WORKERS", "2"),
        )

    def prepare(self) -> dict[str, Any]:
        self._object_store()
        return super().prepare()

    def _object_store(self) -> None:
        import boto3

        port = self.s3.rsplit(":", 1)[1]
        self._spawn("s3", [str(Path(PY).parent / "moto_server"), "-H", "127.0.0.1", "-p", port])
        client = boto3.client(
            "s3", endpoint_url=self.s3, aws_access_key_id="load", aws_secret_access_key="load", region_name="us-east-1"
        )
        for _ in range(120):
            try:
                client.create_bucket(Bucket=BUCKET)
                log(f"object store: moto_server at {self.s3}, bucket {BUCKET}")
                return
            except Exception:  # not listening yet
                time.sleep(0.25)
        raise RuntimeError("moto_server did not start")

    def start(self) -> None:
        super().start()  # clamd, then the three hooks below, then /healthz through nginx
        for i in range(len(self.app_ports)):
            if self.wait_server(i, 60) is None:
                raise RuntimeError(f"application server {i} did not answer /healthz")
        log(f"{len(self.app_ports)} application servers on ports {self.app_ports}, {self.workers} task workers")

    def _nginx(self) -> None:
        n = self.work / "nginx"
        conf = deployfiles.nginx_config(
            n,
            port=self.port,
            redirect_port=free_port(),
            app_port=self.app_port,
            static=self.work / "static",
            app_ports=self.app_ports,
        )
        self._spawn("nginx", ["nginx", "-p", str(n), "-c", str(conf), "-g", "daemon off;"])

    def _gunicorn(self) -> None:
        for i in range(len(self.app_ports)):
            self.start_server(i)

    def _supervise_worker(self) -> None:  # run.Stack.start's thread: supervises worker 0, starts the others
        for i in range(1, self.workers):
            threading.Thread(target=self._supervise, args=(i,), daemon=True).start()
        self._supervise(0)

    def machine(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        """Start `args` as on a machine of its own: its own MEDIA_ROOT, upload spool and temporary directory, so
        that nothing one process leaves on a local disk can be found by another (only the database and the bucket
        are shared)."""
        env = dict(self.env)
        for var, sub in (("MEDIA_ROOT", "media"), ("FILE_UPLOAD_TEMP_DIR", "upload-tmp"), ("TMPDIR", "tmp")):
            path = self.work / "machines" / name.rsplit("-", 1)[0] / name / sub
            path.mkdir(parents=True, exist_ok=True)
            env[var] = str(path)
        out = (self.work / f"{name}.log").open("ab")
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def start_server(self, i: int) -> None:
        self.machine(f"gunicorn-{i}", deployfiles.exec_start("kla-web.service", app_port=self.app_ports[i]))

    def wait_server(self, i: int, seconds: float) -> float | None:
        """Seconds until application server `i` answers /healthz itself (not through nginx), None if it never did."""
        started = time.time()
        while time.time() - started < seconds:
            out = subprocess.run(
                [*CURL, f"http://127.0.0.1:{self.app_ports[i]}/healthz"],
                capture_output=True,
                text=True,
            ).stdout
            if out == "200":
                return round(time.time() - started, 1)
            time.sleep(0.25)
        return None

    def _supervise(self, i: int) -> None:
        """Like systemd's Restart=always, RestartSec=1, for task worker `i`."""
        while not self._stop.is_set():
            proc = self.machine(f"worker-{i}", deployfiles.exec_start("kla-worker.service"))
            while proc.poll() is None and not self._stop.is_set():
                time.sleep(0.2)
            if self._stop.is_set():
                return
            self.worker_restarts += 1
            time.sleep(1)

    def close(self, keep: bool) -> None:
        self._stop.set()
        time.sleep(0.5)  # the supervisors see the flag before their worker goes
        order = [n for n in self.procs if n.startswith("worker")] + [n for n in self.procs if n.startswith("gunicorn")]
        for name in [*order, "nginx", "clamd", "s3"]:
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        super().close(keep)


def kill_worker_mid_letter(stack: MultiStack, report: dict[str, Any]) -> None:
    """Enqueue 30 proposal letters (PDF), wait until a worker runs one, SIGKILL that worker."""
    import psycopg

    stack.manage("shell", "-v", "0", "-c", LETTERS_ENQUEUE % str(stack.work / "letters.json"))
    dsn = f"host={PGHOST} port={PGPORT} user={PGUSER} dbname={stack.db}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        for _ in range(4000):
            row = conn.execute(RUNNING_LETTER).fetchone()
            if row and row[0]:
                pid = int(str(row[0][-1]).rpartition(":")[2])
                name = next((n for n, p in stack.procs.items() if n.startswith("worker") and p.pid == pid), None)
                if name is not None and stack.procs[name].poll() is None:
                    os.killpg(pid, signal.SIGKILL)
                    report.update(task_worker_killed=name, task_worker_killed_mid_task=True, task_worker_pid=pid)
                    log(f"fault: {name} (pid {pid}) killed while it rendered a proposal letter")
                    return
            time.sleep(0.005)
    report["task_worker_killed_mid_task"] = False
    log("fault: no worker was seen running a letter")


def kill_server(stack: MultiStack, report: dict[str, Any], probe_errors: list[str]) -> None:
    """SIGKILL application server 1 whole (master and workers), bring it back SERVER_DOWN_S later."""
    proc = stack.procs["gunicorn-1"]
    report["app_server_killed_at"] = time.time()
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for _ in range(1000):  # the master is gone; until its workers are too, the server may still take requests
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.01)
    report["app_server_dead_at"] = time.time()
    report["app_server_killed_port"] = stack.app_ports[1]
    log(f"fault: application server 1 (port {stack.app_ports[1]}) killed; down for {SERVER_DOWN_S} s")
    time.sleep(SERVER_DOWN_S)
    report["app_server_restarted_at"] = time.time()
    stack.start_server(1)
    report["app_server_back_s"] = stack.wait_server(1, 60)
    log(f"fault: application server 1 answers again after {report['app_server_back_s']} s")
    report["probe_errors_while_down"] = probe_errors[:10]


def probe(stack: MultiStack, stop: threading.Event, errors: list[str], counts: dict[str, int]) -> None:
    """A signed-in page through nginx twice a second during the faults: every one must be answered 200."""
    plan = json.loads((stack.work / "plan.json").read_text())
    s = resumed(stack, plan, plan["operators"][-1]["username"])
    while not stop.wait(0.5):
        try:
            status = s.get(stack.host + "/tugas-saya/", timeout=30).status_code
        except OSError as exc:
            status, detail = 0, str(exc)[:120]
        else:
            detail = ""
        counts["probes"] = counts.get("probes", 0) + 1
        if status != 200:
            errors.append(f"{time.strftime('%H:%M:%S')} {status} {detail}")


def faults(stack: MultiStack, ramp: float, report: dict[str, Any]) -> None:
    """During the faults phase: after the ramp, a worker killed mid-letter, then an application server."""
    stop, probe_errors, counts = threading.Event(), [], {}  # type: ignore[var-annotated]
    time.sleep(ramp + 10)  # locust resets its statistics when the ramp ends: the faults come after it
    t = threading.Thread(target=probe, args=(stack, stop, probe_errors, counts), daemon=True)
    t.start()
    kill_worker_mid_letter(stack, report)
    time.sleep(10)
    kill_server(stack, report, probe_errors)
    stop.set()
    t.join()
    report["probe_requests"] = counts.get("probes", 0)
    report["probe_errors"] = len(probe_errors)


def settle(stack: MultiStack, report: dict[str, Any]) -> None:
    """Wait (≤ 2 min) until every letter of the fault phase is rendered or visibly failed; record the task table."""
    import psycopg

    status: dict[str, Any] = {}
    for _ in range(60):
        out = stack.manage("shell", "-v", "0", "-c", LETTERS_STATUS % str(stack.work / "letters.json"))
        status = json.loads(out.strip().splitlines()[-1])
        if status["letters"].get("pending", 0) == 0 and status["tasks"].get("RUNNING", 0) == 0:
            break
        time.sleep(2)
    report["letters"] = status
    dsn = f"host={PGHOST} port={PGPORT} user={PGUSER} dbname={stack.db}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(RUNNING_TASKS).fetchone()
    report["tasks_running_at_end"] = row[0] if row else None
    report["worker_restarts"] = stack.worker_restarts


def run(args: Any, work: Path, result: dict[str, Any]) -> MultiStack:
    """Every phase of the multi layout; fills `result`, returns the stack (closed by the caller)."""
    stack = MultiStack(work, args.quick, servers=args.servers, workers=args.workers)
    result["layout"] = {
        "app_servers": args.servers,
        "gunicorn_workers_per_server": int(stack.env["KLA_WEB_WORKERS"]),
        "task_workers": args.workers,
        "storage": "s3 (moto_server)",
    }
    try:
        result["setup"] = stack.prepare()
        stack.start()
        result["scanner"] = stack.manage("check_scanner").strip().splitlines()
        result["idle"] = idle_floor(stack)
        log(f"idle floor: p50 {result['idle']['p50']:.1f} ms, p95 {result['idle']['p95']:.1f} ms")
        started = time.time()
        result["phases"]["1x"] = measured(stack, "1x", args.seconds_1x)
        result["phases"]["1x"]["upstreams"] = faultlog.by_upstream(stack.work / "nginx" / "access.log", started)
        log(json.dumps({k: v for k, v in result["phases"]["1x"].items() if k != "per_request"}))
        if not args.no_faults:
            ramp = len_ramp(stack)
            fault_thread = threading.Thread(target=faults, args=(stack, ramp, result["faults"]))
            started = time.time()
            fault_thread.start()
            result["phases"]["faults"] = measured(stack, "faults", max(args.seconds_faults, SERVER_DOWN_S + 70))
            fault_thread.join()
            access = stack.work / "nginx" / "access.log"
            result["phases"]["faults"]["upstreams"] = faultlog.by_upstream(access, started)
            result["faults"]["requests"] = faultlog.fault_requests(access, started, result["faults"])
            log(json.dumps({k: v for k, v in result["phases"]["faults"].items() if k != "per_request"}))
            settle(stack, result["faults"])
            log(f"faults: {json.dumps({k: v for k, v in result['faults'].items() if k != 'requests'})}")
        proc = subprocess.run(
            [PY, "-m", "bench.loadtest.integrity", str(work / "acks")],
            cwd=ROOT,
            env=stack.env,
            capture_output=True,
            text=True,
            check=True,
        )
        result["integrity"] = json.loads(proc.stdout.strip().splitlines()[-1])
    except BaseException:
        stack.close(keep=args.keep)
        raise
    return stack


def _busy_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def measured(stack: MultiStack, name: str, seconds: int) -> dict[str, Any]:
    """A 1× locust phase, with what the rest of the machine did meanwhile: the cores all processes used (from
    /proc/stat) minus those of the stack and its load generators (other people's work on a shared host), and the
    load average at the end."""
    busy0, total0 = _busy_ticks()
    phase = locust(stack, name, 1, seconds)
    busy1, total1 = _busy_ticks()
    cores = os.cpu_count() or 1
    machine = round((busy1 - busy0) / max(total1 - total0, 1) * cores, 2)
    phase["machine_cores_busy"] = machine
    phase["other_processes_cores"] = round(machine - phase["cores_used"]["total"], 2)
    phase["load_average_at_end"] = [round(x, 1) for x in os.getloadavg()]
    return phase


def len_ramp(stack: Stack) -> float:
    """The locust ramp of a 1× phase (run.locust: users / 4 per second + 10 s)."""
    from bench.loadtest.run import user_count

    plan = json.loads((stack.work / "plan.json").read_text())
    return int(user_count(1, len(plan["reviewers"]), 1) / 4.0) + 10


def main(args: Any) -> int:
    """`run.py --layout multi`: run, print and merge the results (prefix multi_, section loadtest_multi)."""
    work = Path(tempfile.mkdtemp(prefix="kla-loadtest-multi-"))
    result: dict[str, Any] = {"phases": {}, "faults": {}}
    started = time.time()
    stack = None
    try:
        stack = run(args, work, result)
        result["machine"] = machine_info(work)
        result["load_average_at_end"] = os.getloadavg()
    finally:
        if stack is not None:
            stack.close(keep=args.keep)
        result["seconds"] = round(time.time() - started)
        (work / "result.json").write_text(json.dumps(result, indent=2, default=str))
        kept = keep_logs(work)
        if (work / "nginx" / "access.log").exists():  # the fault accounting's source
            shutil.copy2(work / "nginx" / "access.log", kept / "access.log")
        log(f"work directory: {work}; result and nginx logs kept in {kept}")
    found = checks(result, SERVER_DOWN_S)
    print()
    for c in found:
        mark = "ok " if c.met else "!! "
        print(f"{mark}{c.name:44} {c.value:>9} {c.unit:10} floor {c.floor:>8} ratio {c.ratio:>6} goal {c.goal}")
    print(json.dumps({k: result.get(k) for k in ("layout", "integrity", "faults")}, indent=2, default=str))
    if not args.quick:
        keys = ("layout", "setup", "idle", "phases", "faults", "integrity", "seconds", "load_average_at_end")
        merge_results(args.output, "multi_", found, loadtest_multi={k: result[k] for k in keys if k in result})
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(c.met for c in found) else 1
