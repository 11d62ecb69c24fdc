"""Shared evidence test fixtures: a real clamd with local EICAR signatures only (no downloads)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kla.evidence.scanning import ping
from kla.evidence.tests import files
from kla.evidence.tests.fake_clamd import Behaviour, serve

SIGNATURE = "KLA.Test.EICAR"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _short_tmpdir() -> Path:
    # Unix socket paths are limited to 107 bytes; pytest's tmp_path can be longer.
    return Path(tempfile.mkdtemp(prefix="kla-av-", dir="/tmp"))


@dataclass(frozen=True)
class Clamd:
    socket_path: str
    tcp: str


def _run_clamd(limits: dict[str, str]) -> Iterator[Clamd]:
    """Start clamd with the two local EICAR signatures and the given size limits; stop it afterwards."""
    binary = shutil.which("clamd", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if binary is None:
        pytest.skip("clamd is not installed (apt-get install clamav-daemon); real-scanner tests skipped")
    work = _short_tmpdir()
    database = work / "db"
    database.mkdir()
    sample = files.eicar()
    # Two independent local signatures: a whole-file MD5 (.hdb) and a body pattern matching at any offset (.ndb).
    (database / "kla-test.hdb").write_text(f"{hashlib.md5(sample).hexdigest()}:{len(sample)}:{SIGNATURE}.Hash\n")
    (database / "kla-test.ndb").write_text(f"{SIGNATURE}.Body:0:*:{sample.hex()}\n")
    port = _free_port()
    config = work / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"DatabaseDirectory {database}",
                f"LocalSocket {work / 'clamd.sock'}",
                f"TCPSocket {port}",
                "TCPAddr 127.0.0.1",
                "Foreground yes",
                *(f"{name} {value}" for name, value in limits.items()),
                f"LogFile {work / 'clamd.log'}",
                f"PidFile {work / 'clamd.pid'}",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        [binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    running = Clamd(socket_path=str(work / "clamd.sock"), tcp=f"127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while not (ping(running.socket_path, timeout=1) and ping(running.tcp, timeout=1)):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (work / "clamd.log").read_text(errors="replace") if (work / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start (exit {process.poll()}):\n{log[-2000:]}")
            time.sleep(0.2)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(work, ignore_errors=True)


# The limits docs/deploy.md asks for, scaled to what the tests send: the stream and file limits at least the largest
# file scanned, and an alert (not a silent partial scan) for anything over them.
LIMITS = {"StreamMaxLength": "100M", "MaxFileSize": "100M", "MaxScanSize": "300M", "AlertExceedsMax": "yes"}
# A clamd configured below the platform's upload sizes: 1 MiB files, 3 MiB streams (docs/deploy.md warns of this).
SMALL_LIMITS = {"StreamMaxLength": "3M", "MaxFileSize": "1M", "MaxScanSize": "10M", "AlertExceedsMax": "yes"}
# The same, silent: what is over MaxFileSize is skipped and answered "OK" (clamd's default AlertExceedsMax no).
SILENT_LIMITS = {"StreamMaxLength": "10M", "MaxFileSize": "1M", "MaxScanSize": "10M", "AlertExceedsMax": "no"}


@pytest.fixture(scope="session")
def clamd() -> Iterator[Clamd]:
    yield from _run_clamd(LIMITS)


@pytest.fixture(scope="session")
def small_clamd() -> Iterator[Clamd]:
    yield from _run_clamd(SMALL_LIMITS)


@pytest.fixture(scope="session")
def silent_clamd() -> Iterator[Clamd]:
    yield from _run_clamd(SILENT_LIMITS)


@pytest.fixture
def fake_clamd() -> Iterator[Callable[[Behaviour], str]]:
    """Start fake clamds (`fake_clamd.serve`) with the given behaviours; returns each one's address."""
    with contextlib.ExitStack() as servers:
        yield lambda behave: servers.enter_context(serve(behave))
