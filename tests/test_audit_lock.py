"""bin/audit_lock.py: the dependency audit over uv.lock, against a local HTTP server that answers like PyPI's JSON API
(per-release endpoint, or only the project endpoint as on networks that block the other)."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("audit_lock", ROOT / "bin" / "audit_lock.py")
assert _spec is not None and _spec.loader is not None
audit_lock = importlib.util.module_from_spec(_spec)
sys.modules["audit_lock"] = audit_lock  # dataclasses look their module up
_spec.loader.exec_module(audit_lock)

LOCK = """
version = 1

[[package]]
name = "kla-platform"
version = "0.1.0"
source = { virtual = "." }

[[package]]
name = "django"
version = "6.1.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "oldlib"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "locallib"
version = "0.2"
source = { path = "vendor/locallib" }
"""

ADVISORY = {
    "id": "PYSEC-2099-1",
    "aliases": ["CVE-2099-0001"],
    "fixed_in": ["6.1.4"],
    "link": "https://osv.dev/vulnerability/PYSEC-2099-1",
    "summary": "SQL injection",
    "withdrawn": None,
}


def _doc(version: str, vulnerabilities: list[dict[str, Any]]) -> dict[str, Any]:
    return {"info": {"version": version}, "vulnerabilities": vulnerabilities}


class FakePyPI(ThreadingHTTPServer):
    routes: dict[str, Any]
    asked: list[str]


class Handler(BaseHTTPRequestHandler):
    server: FakePyPI

    def do_GET(self) -> None:
        self.server.asked.append(self.path)
        body = self.server.routes.get(self.path)
        if body is None:
            self.send_error(404)
            return
        if isinstance(body, int):
            self.send_error(body)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def pypi(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePyPI]:
    monkeypatch.setattr(audit_lock, "ATTEMPTS", 2)
    monkeypatch.setattr(audit_lock.time, "sleep", lambda s: None)
    server = FakePyPI(("127.0.0.1", 0), Handler)
    server.routes, server.asked = {}, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _run(pypi: FakePyPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, list[dict[str, Any]]]:
    lock = tmp_path / "uv.lock"
    lock.write_text(LOCK)
    out = tmp_path / "audit.json"
    index = f"http://127.0.0.1:{pypi.server_address[1]}/pypi"
    status = audit_lock.main(["--lock", str(lock), "--index", index, "--json", str(out)])
    return status, capsys.readouterr().out, json.loads(out.read_text())


def test_lock_lists_registry_packages_only() -> None:
    assert audit_lock.locked_packages(LOCK) == [("django", "6.1.3"), ("oldlib", "1.0")]


def test_per_release_data_finds_a_vulnerability(pypi: FakePyPI, tmp_path: Path, capsys: Any) -> None:
    pypi.routes = {
        "/pypi/django/6.1.3/json": _doc("6.1.3", [ADVISORY]),
        "/pypi/oldlib/1.0/json": _doc("1.0", []),
    }
    status, out, findings = _run(pypi, tmp_path, capsys)
    assert status == 1
    assert "RENTAN  django 6.1.3: PYSEC-2099-1 (CVE-2099-0001) diperbaiki di 6.1.4" in out
    assert {f["name"]: f["how"] for f in findings} == {"django": "release", "oldlib": "release"}
    assert "/pypi/django/json" not in pypi.asked  # the release answered: no fallback


def test_project_endpoint_counts_only_for_the_latest_pin(pypi: FakePyPI, tmp_path: Path, capsys: Any) -> None:
    # the per-release endpoint answers 404, as on this build machine's network
    pypi.routes = {"/pypi/django/json": _doc("6.1.3", []), "/pypi/oldlib/json": _doc("2.0", [ADVISORY])}
    status, out, findings = _run(pypi, tmp_path, capsys)
    assert status == 0  # oldlib's advisory belongs to its latest release (2.0), not to the locked 1.0
    assert "1 diperiksa (0 per rilis, 1 lewat rilis terbaru); 1 tidak dapat diperiksa" in out
    assert "TIDAK DIPERIKSA  oldlib 1.0 (terbaru 2.0)" in out
    assert {f["name"]: f["how"] for f in findings} == {"django": "latest", "oldlib": "older"}

    pypi.routes["/pypi/django/json"] = _doc("6.1.3", [ADVISORY])
    status, out, _ = _run(pypi, tmp_path, capsys)
    assert status == 1
    assert "RENTAN  django 6.1.3: PYSEC-2099-1" in out


def test_withdrawn_advisories_are_ignored(pypi: FakePyPI, tmp_path: Path, capsys: Any) -> None:
    withdrawn = {**ADVISORY, "withdrawn": "2099-02-01T00:00:00Z"}
    pypi.routes = {"/pypi/django/6.1.3/json": _doc("6.1.3", [withdrawn]), "/pypi/oldlib/1.0/json": _doc("1.0", [])}
    status, out, _ = _run(pypi, tmp_path, capsys)
    assert status == 0
    assert "0 kerentanan diketahui" in out


def test_server_errors_and_unknown_packages_make_the_audit_incomplete(
    pypi: FakePyPI, tmp_path: Path, capsys: Any
) -> None:
    pypi.routes = {"/pypi/django/6.1.3/json": 503}  # oldlib: 404 on both endpoints
    status, out, _ = _run(pypi, tmp_path, capsys)
    assert status == 2
    assert pypi.asked.count("/pypi/django/6.1.3/json") == 2  # retried
    assert "GAGAL  django 6.1.3: HTTPError" in out
    assert "GAGAL  oldlib 1.0: PyPI tidak mengenal paket ini (404)" in out
    assert "audit tidak lengkap" in out


def test_unreachable_index_exits_2(tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_lock, "ATTEMPTS", 1)
    lock = tmp_path / "uv.lock"
    lock.write_text(LOCK)
    status = audit_lock.main(["--lock", str(lock), "--index", "http://127.0.0.1:9/pypi"])  # discard port: refused
    assert status == 2
    assert "2 gagal ditanyakan" in capsys.readouterr().out


def test_the_repository_lock_parses() -> None:
    packages = dict(audit_lock.locked_packages((ROOT / "uv.lock").read_text()))
    assert "django" in packages and "kla-platform" not in packages
