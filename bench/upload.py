"""Evidence upload benchmark: throughput and peak server memory, against a disk-copy floor measured in the same run.

Not a timed test: it never fails on slow numbers, only when an upload does not work (refused, wrong hash, server
down). Machines are noisy, so every time is reported as a ratio against copying the same bytes on the same disk in
the same run. Run with `make bench` (or `.venv/bin/python -m bench.upload`); method and caveats in
docs/benchmarks.md.

What it does: an isolated environment in a temporary directory (own SQLite database, MEDIA_ROOT, upload temp dir),
migrated and seeded with the demo data; the real `manage.py runserver --noreload` process; MP4 files of 5 MiB and
200 MiB (200 MiB is the video limit, and the limit is inclusive) uploaded through /api/v1 with a streaming client;
the server's VmHWM (peak RSS) read from /proc, reset before each upload.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import http.client
import json
import os
import platform
import pstats
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from types import TracebackType
from typing import Any, Self

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
MiB = 1024 * 1024
CHUNK = MiB
SIZES_MIB = (5, 200)
REPEAT = 3
# Goals, argued in docs/benchmarks.md: upload time / disk-copy time per size, and peak RSS growth of a 200 MiB upload.
TIME_RATIO_GOALS = {5: 20.0, 200: 10.0}
RSS_GROWTH_GOAL_MIB = 64.0

USERNAME = "opd-palembang"
QUESTION = "4.1"
ENTRY_LOOKUP = (
    "from kla.evaluations.models import Entry; print(Entry.objects.get(evaluation__cycle__code='evaluasi-kla-demo', "
    "evaluation__region_id='16.71', indicator__number=4).pk)"
)
SERVER_START_TIMEOUT = 60.0
UPLOAD_TIMEOUT = 600.0


class BenchFailure(Exception):
    """A functional failure: the run has no valid numbers and the benchmark exits non-zero."""


@dataclass(frozen=True)
class Check:
    name: str
    value: float
    floor: float
    ratio: float
    goal: str
    unit: str
    met: bool  # shown in the table, not written: a goal is information, never a verdict on the run

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "floor": self.floor,
            "ratio": self.ratio,
            "goal": self.goal,
            "unit": self.unit,
        }


def merge_results(path: Path, prefix: str, checks: list[Check], **blocks: Any) -> None:
    """Write one benchmark's results into `path`: its checks (every name starts with `prefix`) replace the ones it
    wrote before, `blocks` replace its top-level sections; every other benchmark's checks and sections are kept, so
    `make bench`, `bench-national`, `bench-capacity` and `loadtest` can run in any order into one file."""
    assert all(c.name.startswith(prefix) for c in checks), prefix
    existing: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    kept = [c for c in existing.get("checks", []) if not c["name"].startswith(prefix)]
    existing.update(checks=kept + [c.as_json() for c in checks], **blocks)
    path.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Memory:
    hwm_kib: int  # VmHWM: peak resident set size since the process started
    rss_kib: int  # VmRSS: resident set size now


@dataclass
class SizeRuns:
    size_mib: int
    upload_s: list[float] = field(default_factory=list)
    floor_s: list[float] = field(default_factory=list)
    peak_growth_mib: list[float] = field(default_factory=list)  # VmHWM after the upload minus before it
    server_cpu_s: list[float] = field(default_factory=list)  # user + system CPU of the server during the upload

    @property
    def upload_median(self) -> float:
        return statistics.median(self.upload_s)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor_s)


# --- environment --------------------------------------------------------------------------------------------------


def python_calls(fn: Callable[[], Any]) -> int:
    """The Python function calls `fn()` makes: the same for the same code and data, however busy the machine (times
    on a shared machine move ±30 % between runs), so two versions of a page can be compared run against run."""
    profile = cProfile.Profile()
    profile.runcall(fn)
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


def isolated_env(tmp: Path) -> dict[str, str]:
    """The process environment of every manage.py call and of the server: everything lives under `tmp`."""
    env = dict(os.environ)
    for name in ("CLAMD_ADDRESS", "TASKS_BACKEND", "SQLITE_TEST_NAME"):  # no antivirus, no worker: the upload path
        env.pop(name, None)
    for sub in ("media", "upload-tmp", "tmp"):
        (tmp / sub).mkdir()
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        FILE_UPLOAD_TEMP_DIR=str(tmp / "upload-tmp"),
        TMPDIR=str(tmp / "tmp"),  # the quarantine directory of kla.evidence.services
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    return _python(env, "manage.py", *args)


def seed_national(env: dict[str, str], *args: str) -> str:
    """The national data set (bench/national_data), loaded as `manage` runs its commands: `python -m
    bench.seed_national ARGS` in the same environment (it refuses DEBUG=0: pass DEBUG=1)."""
    return _python(env, "-m", "bench.seed_national", *args)


def _python(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, *args]
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if proc.returncode != 0:
        raise BenchFailure(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr.strip()}")
    return proc.stdout


def prepare_database(env: dict[str, str]) -> tuple[str, int]:
    """Migrate and seed the demo data; the API token of the Palembang operator and the entry of indicator 4."""
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed_demo", "--quiet-logins")
    token = manage(env, "create_api_token", USERNAME, "--name", "benchmark").strip().splitlines()[-1]
    entry_id = int(manage(env, "shell", "-v", "0", "-c", ENTRY_LOOKUP).strip().splitlines()[-1])
    return token, entry_id


def make_mp4(path: Path, size: int) -> str:
    """An MP4 the content check accepts (ftyp box, brand isom, then one mdat box of zeros); returns its SHA-256."""
    ftyp = (24).to_bytes(4, "big") + b"ftyp" + b"isom" + (0x200).to_bytes(4, "big") + b"isom" + b"iso2"
    mdat = (size - len(ftyp)).to_bytes(4, "big") + b"mdat"
    digest = hashlib.sha256()
    written = 0
    with path.open("wb") as fh:
        for piece in (ftyp, mdat):
            fh.write(piece)
            digest.update(piece)
            written += len(piece)
        zeros = bytes(CHUNK)
        while written < size:
            piece = zeros[: min(CHUNK, size - written)]
            fh.write(piece)
            digest.update(piece)
            written += len(piece)
    return digest.hexdigest()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- the server ---------------------------------------------------------------------------------------------------


class Server:
    """`manage.py runserver --noreload`: one process (threads per request), so its pid is the one to watch."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload", "--skip-checks"]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        self._wait_ready()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise BenchFailure(f"the server exited with {self.proc.returncode}:\n{self.log_tail()}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.1)
        raise BenchFailure(f"/healthz did not answer 200 within {SERVER_START_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def memory(self) -> Memory:
        if self.proc is None or self.proc.poll() is not None:
            raise BenchFailure(f"the server is not running:\n{self.log_tail()}")
        values: dict[str, int] = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _sep, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key] = int(rest.split()[0])  # "123456 kB" (kibibytes)
        return Memory(hwm_kib=values["VmHWM"], rss_kib=values["VmRSS"])

    def reset_peak(self) -> bool:
        """Set VmHWM back to the current RSS (Linux >= 4.0: "5" > /proc/PID/clear_refs); False where refused.

        Without it, a peak reached earlier (the server's start-up peaks above its idle RSS) hides any request that
        stays below it.
        """
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (all threads)."""
        stat = Path(f"/proc/{self.pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": field 3 (state) onwards
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime: fields 14 and 15


# --- measurements -------------------------------------------------------------------------------------------------


def _body(head: bytes, path: Path, tail: bytes) -> Iterator[bytes]:
    yield head
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk
    yield tail


def upload(server: Server, *, token: str, entry_id: int, path: Path, sha256: str) -> float:
    """POST the file as multipart, streamed in 1 MiB chunks with an explicit Content-Length; wall seconds."""
    boundary = f"kla-bench-{uuid.uuid4().hex}"
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="evidence_type"\r\n\r\n'
        "video\r\n"
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = path.stat().st_size
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=UPLOAD_TIMEOUT)
    try:
        conn.putrequest("POST", f"/api/v1/entries/{entry_id}/evidence/{QUESTION}", skip_accept_encoding=True)
        conn.putheader("Authorization", f"Bearer {token}")
        conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        conn.putheader("Content-Length", str(len(head) + size + len(tail)))
        conn.putheader("Accept", "application/json")
        conn.endheaders()
        try:
            for chunk in _body(head, path, tail):
                conn.send(chunk)
        except OSError as exc:  # the server may refuse and close before reading everything: show its log
            raise BenchFailure(f"sending {path.name} failed: {exc!r}\n{server.log_tail()}") from exc
        response = conn.getresponse()
        payload = response.read()
    finally:
        conn.close()
    elapsed = time.perf_counter() - started
    if response.status != 201:
        text = payload.decode(errors="replace")[:2000]
        raise BenchFailure(f"upload of {path.name} answered {response.status}, not 201: {text}")
    data = json.loads(payload)
    if data.get("sha256") != sha256 or data.get("size") != size:
        raise BenchFailure(
            f"upload of {path.name}: server stored sha256={data.get('sha256')} size={data.get('size')}, "
            f"sent sha256={sha256} size={size}"
        )
    return elapsed


def disk_copy(source: Path, target: Path) -> float:
    """The floor: read and write the same bytes in 1 MiB chunks on the same disk, fsync included; wall seconds."""
    started = time.perf_counter()
    with source.open("rb") as fin, target.open("wb") as fout:
        while chunk := fin.read(CHUNK):
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


# --- report -------------------------------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _sep, value = line.partition(":")
            if key.strip() in ("model name", "Processor", "cpu model"):
                return value.strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_total_mib() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def _filesystem_of(path: Path) -> str:
    """Type and device of the mount holding `path` (a tmpfs /tmp would make the disk floor a memory copy)."""
    best = ("", "unknown", "unknown")
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            device, mountpoint, fstype = line.split()[:3]
            if path.is_relative_to(mountpoint) and len(mountpoint) >= len(best[0]):
                best = (mountpoint, fstype, device)
    except (OSError, ValueError):
        pass
    return f"{best[1]} ({best[2]} on {best[0] or '?'})"


def machine_info(tmp: Path) -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_total_mib": _memory_total_mib(),
        "python": platform.python_version(),
        "django": version("django"),
        "os": platform.platform(),
        "filesystem": _filesystem_of(tmp),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def build_checks(runs: dict[int, SizeRuns]) -> list[Check]:
    checks = []
    for size_mib in SIZES_MIB:
        run = runs[size_mib]
        ratio = run.upload_median / run.floor_median
        goal = TIME_RATIO_GOALS[size_mib]
        checks.append(
            Check(
                name=f"upload_{size_mib}mb_time_ratio",
                value=round(run.upload_median, 4),
                floor=round(run.floor_median, 4),
                ratio=round(ratio, 2),
                goal=f"<= {goal:g}",
                unit="s",
                met=ratio <= goal,
            )
        )
    big = max(SIZES_MIB)
    growth_mib = max(runs[big].peak_growth_mib)  # the worst of the runs: a peak is a worst case
    checks.append(
        Check(
            name=f"upload_{big}mb_peak_rss_growth_mb",
            value=round(growth_mib, 1),
            floor=float(big),
            ratio=round(growth_mib / big, 3),
            goal=f"<= {RSS_GROWTH_GOAL_MIB:g} MiB growth",
            unit="MiB",
            met=growth_mib <= RSS_GROWTH_GOAL_MIB,
        )
    )
    return checks


def print_report(
    machine: dict[str, Any], checks: list[Check], runs: dict[int, SizeRuns], memory: dict[str, Any]
) -> None:
    print()
    print(f"{machine['cpu_model']} · {machine['cpu_count']} CPU · Python {machine['python']} · {machine['filesystem']}")
    print()
    header = f"{'check':<34} {'value':>12} {'floor':>12} {'ratio':>7}  {'goal':<18} met"
    print(header)
    print("-" * len(header))
    for c in checks:
        value, floor = f"{c.value:.3f} {c.unit}", f"{c.floor:.3f} {c.unit}"
        print(f"{c.name:<34} {value:>12} {floor:>12} {c.ratio:>7.3f}  {c.goal:<18} {'yes' if c.met else 'NO'}")
    print()
    for size_mib, run in runs.items():
        uploads = ", ".join(f"{s:.3f}" for s in run.upload_s)
        floors = ", ".join(f"{s:.3f}" for s in run.floor_s)
        print(
            f"{size_mib:>4} MiB  upload {size_mib / run.upload_median:8.1f} MiB/s (runs {uploads} s)   "
            f"disk copy {size_mib / run.floor_median:8.1f} MiB/s (runs {floors} s)"
        )
    for size_mib, run in runs.items():
        growths = ", ".join(f"{g:.1f}" for g in run.peak_growth_mib)
        cpu = ", ".join(f"{c:.2f}" for c in run.server_cpu_s)
        print(f"{size_mib:>4} MiB  server peak RSS growth per upload {growths} MiB; server CPU {cpu} s")
    how = "reset before each upload" if memory["peak_reset_per_upload"] else "NOT resettable here: see blind_spot_mib"
    print(
        f"server RSS: {memory['rss_after_start_mib']:.1f} MiB after start (peak {memory['hwm_after_start_mib']:.1f}), "
        f"{memory['rss_after_warmup_mib']:.1f} after warm-up, {memory['rss_at_end_mib']:.1f} at the end; VmHWM {how}"
    )


def details(runs: dict[int, SizeRuns], memory: dict[str, Any]) -> dict[str, Any]:
    return {
        "runs": [
            {
                "size_mib": run.size_mib,
                "upload_s": [round(s, 4) for s in run.upload_s],
                "disk_copy_s": [round(s, 4) for s in run.floor_s],
                "upload_mib_per_s": round(run.size_mib / run.upload_median, 1),
                "disk_copy_mib_per_s": round(run.size_mib / run.floor_median, 1),
                "server_cpu_s": run.server_cpu_s,
                "peak_rss_growth_mib": run.peak_growth_mib,
            }
            for run in runs.values()
        ],
        "server_memory": memory,
    }


# --- main ---------------------------------------------------------------------------------------------------------


def _mib(kib: int) -> float:
    return round(kib / 1024, 1)


def run(tmp: Path, repeat: int) -> tuple[list[Check], dict[int, SizeRuns], dict[str, Any]]:
    env = isolated_env(tmp)
    print("Preparing an isolated database (migrate, demo data, API token) ...", flush=True)
    token, entry_id = prepare_database(env)
    files: dict[int, tuple[Path, str]] = {}
    for size_mib in SIZES_MIB:
        path = tmp / f"bench-{size_mib}mib.mp4"
        files[size_mib] = (path, make_mp4(path, size_mib * MiB))
    runs = {size_mib: SizeRuns(size_mib) for size_mib in SIZES_MIB}
    copy_target = tmp / "disk-copy.bin"
    with Server(env, tmp / "server.log") as server:
        at_start = server.memory()
        print(f"Server pid {server.pid} on 127.0.0.1:{server.port}; warm-up upload ...", flush=True)
        warm_path, warm_sha = files[min(SIZES_MIB)]
        upload(server, token=token, entry_id=entry_id, path=warm_path, sha256=warm_sha)  # imports, first queries
        after_warmup = server.memory()
        peak_reset = True
        for size_mib in SIZES_MIB:
            path, sha = files[size_mib]
            for i in range(repeat):
                os.sync()  # each measurement starts without the previous one's dirty pages to write back
                runs[size_mib].floor_s.append(disk_copy(path, copy_target))
                os.sync()
                peak_reset = server.reset_peak() and peak_reset
                before, cpu_before = server.memory(), server.cpu_seconds()
                seconds = upload(server, token=token, entry_id=entry_id, path=path, sha256=sha)
                after, cpu_after = server.memory(), server.cpu_seconds()
                runs[size_mib].upload_s.append(seconds)
                runs[size_mib].server_cpu_s.append(round(cpu_after - cpu_before, 3))
                runs[size_mib].peak_growth_mib.append(_mib(after.hwm_kib - before.hwm_kib))
                print(
                    f"  {size_mib} MiB run {i + 1}/{repeat}: upload {seconds:.3f} s, server CPU "
                    f"{cpu_after - cpu_before:.2f} s, VmHWM {_mib(before.hwm_kib)} -> {_mib(after.hwm_kib)} MiB",
                    flush=True,
                )
        at_end = server.memory()
    memory = {
        "peak_reset_per_upload": peak_reset,
        "hwm_after_start_mib": _mib(at_start.hwm_kib),
        "rss_after_start_mib": _mib(at_start.rss_kib),
        "rss_after_warmup_mib": _mib(after_warmup.rss_kib),
        "rss_at_end_mib": _mib(at_end.rss_kib),
    }
    if not peak_reset:  # growth is then measured above the start-up peak: requests below it are not seen
        memory["blind_spot_mib"] = _mib(at_start.hwm_kib - after_warmup.rss_kib)
    return build_checks(runs), runs, memory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.upload", description=__doc__.splitlines()[0] if __doc__ else ""
    )
    parser.add_argument("--repeat", type=int, default=REPEAT, help="uploads per size; the median is reported")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    parser.add_argument(
        "--tmpdir", type=Path, default=None, help="parent of the temporary directory (the disk measured)"
    )
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="kla-bench-", dir=args.tmpdir)).resolve()
    try:
        machine = machine_info(tmp)
        checks, runs, memory = run(tmp, max(1, args.repeat))
    except BenchFailure as exc:
        print(f"\nBENCHMARK FAILED (functional failure, no results written):\n{exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_report(machine, checks, runs, memory)
    merge_results(args.output, "upload_", checks, machine=machine, details=details(runs, memory))
    print(f"\nWritten {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
