"""The layout of several application servers (`make loadtest LOADTEST_ARGS="--layout multi"`): the nginx upstream
shipped in deploy/nginx/ resends to the other server only what it may, and the fault accounting of
bench/loadtest/faultlog.py and multi_checks.py counts as allowed only the POSTs the killed server held."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.loadtest import deployfiles, faultlog
from bench.loadtest.multi_checks import checks
from bench.upload import free_port

KILLED = 4002
LOG = [
    # answered by the live server
    '100.000 GET "/tugas-saya/" 200 "127.0.0.1:4001" "200" 0.050',
    # held by the killed server when it died at 100.5: a GET resent to the other one, a POST answered 502
    '100.900 GET "/entri/12/" 200 "127.0.0.1:4002, 127.0.0.1:4001" "502, 200" 0.800',
    '100.700 POST "/entri/12/bukti/7/unggah/" 502 "127.0.0.1:4002" "502" 0.600',
    # after the kill: the refused connection is resent, a POST too (it never reached the dead server)
    '101.200 POST "/jawaban/9/" 200 "127.0.0.1:4002, 127.0.0.1:4001" "502, 200" 0.100',
    # a static file, no upstream
    '101.300 GET "/static/css/kla.css" 200 "-" "-" 0.000',
    # an unrelated error much later: counted as another error
    '150.000 GET "/hasil/" 500 "127.0.0.1:4001" "500" 0.300',
    "not a line of the timed format",
]


def test_the_log_tells_which_requests_the_killed_server_held() -> None:
    rows = faultlog.parse(LOG)
    assert len(rows) == 6
    assert rows[1].attempts == (("127.0.0.1:4002", "502"), ("127.0.0.1:4001", "200"))
    held = faultlog.held(rows, KILLED, killed_at=100.5)
    assert [(r.method, r.status) for r in held] == [("GET", 200), ("POST", 502)]


def test_a_request_the_server_took_between_the_signal_and_its_death_was_held_by_it() -> None:
    rows = faultlog.parse(['100.900 POST "/entri/1/jawaban/2/" 502 "127.0.0.1:4002" "502" 0.200'])  # sent at 100.7
    assert faultlog.held(rows, KILLED, killed_at=100.5) == []
    assert faultlog.held(rows, KILLED, killed_at=100.5, dead_at=100.8) == rows


def test_fault_requests_separate_the_held_refused_posts_from_every_other_error(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text("\n".join(LOG) + "\n")
    report = {"app_server_killed_port": KILLED, "app_server_killed_at": 100.5, "app_server_restarted_at": 130.0}
    found = faultlog.fault_requests(log, 0, report)
    assert found["held_by_killed_server"] == 2
    assert found["held_resent_and_answered"] == 1
    assert found["held_refused"] == 1 and found["refused_idempotent"] == 0
    assert found["held_refused_by_method"] == {"POST /entri/N/bukti/N/unggah/": 1}
    assert found["resent_while_down"] == 1
    assert found["other_5xx"] == 1 and "/hasil/" in found["other_5xx_examples"][0]
    assert faultlog.by_upstream(log, 0) == {
        "answered_by_port": {"4001": 4, "4002": 1},
        "resent_to_next": 2,
    }


def _result(failures: int, refused: int, idempotent: int = 0, other: int = 0) -> dict[str, object]:
    return {
        "phases": {"faults": {"failures": failures}},
        "faults": {
            "requests": {"held_refused": refused, "refused_idempotent": idempotent, "other_5xx": other},
            "probe_errors": 0,
            "task_worker_killed_mid_task": True,
            "tasks_running_at_end": 0,
            "letters": {"letters": {"rendered": 30}},
            "app_server_back_s": 2.0,
        },
    }


@pytest.mark.parametrize(
    ("failures", "refused", "idempotent", "other", "met"),
    [
        (2, 2, 0, 0, True),  # the two POSTs the dead server held
        (0, 0, 0, 0, True),
        (3, 2, 0, 0, False),  # one failure more than the server held
        (2, 2, 1, 0, False),  # a GET refused: nginx should have resent it
        (1, 2, 0, 1, False),  # a 5xx that has nothing to do with the kill
    ],
)
def test_only_the_posts_the_killed_server_held_may_fail(
    failures: int, refused: int, idempotent: int, other: int, met: bool
) -> None:
    found = {c.name: c for c in checks(_result(failures, refused, idempotent, other), 30)}
    assert found["multi_fault_errors_beyond_killed_server"].met is met
    assert found["multi_fault_tasks_left_running"].met


def test_the_upstream_file_replaces_the_single_server() -> None:
    site = deployfiles.nginx_site(
        port=1, redirect_port=2, app_port=3, static=Path("/s"), cert=Path("/c"), key=Path("/k")
    )
    rendered = deployfiles.upstream_site(site, [4001, 4002])
    assert "server 127.0.0.1:4001 max_fails=1" in rendered and "server 127.0.0.1:4002 max_fails=1" in rendered
    assert "proxy_pass http://kla_app;" in rendered and "proxy_pass http://127.0.0.1:3;" not in rendered
    directives = [line.strip() for line in rendered.splitlines() if line.strip().startswith("proxy_next_upstream ")]
    assert directives == ["proxy_next_upstream error timeout;"]  # never `non_idempotent`


class _App(BaseHTTPRequestHandler):
    """An application server that answers every request with its own name."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


def _dying_server() -> tuple[socket.socket, int]:
    """A server that accepts a connection, reads the request and closes without answering: it died holding it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)

    def serve() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return sock, sock.getsockname()[1]


def _nginx(tmp_path: Path, first_port: int, second_port: int) -> tuple[subprocess.Popen[bytes], int]:
    binary = shutil.which("nginx", path="/usr/sbin:/usr/bin")
    if binary is None or shutil.which("openssl") is None:
        pytest.skip("nginx and openssl are needed")
    work, static = tmp_path / "nginx", tmp_path / "static"
    work.mkdir()
    static.mkdir()
    port = free_port()
    conf = deployfiles.nginx_config(
        work,
        port=port,
        redirect_port=free_port(),
        app_port=free_port(),
        static=static,
        app_ports=[first_port, second_port],
    )
    checked = subprocess.run([binary, "-t", "-p", str(work), "-c", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([binary, "-p", str(work), "-c", str(conf), "-g", "daemon off;"])
    for _ in range(100):
        if (work / "nginx.pid").exists():
            break
        time.sleep(0.05)
    return process, port


@pytest.fixture
def answering_server() -> Iterator[int]:
    live = ThreadingHTTPServer(("127.0.0.1", 0), _App)
    live.name = "A"  # type: ignore[attr-defined]
    threading.Thread(target=live.serve_forever, daemon=True).start()
    try:
        yield live.server_address[1]
    finally:
        live.shutdown()


def _send(port: int, method: str) -> tuple[int, bytes]:
    import ssl

    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    data = b"x=1" if method == "POST" else None
    request = urllib.request.Request(f"https://127.0.0.1:{port}/halaman/", data=data, method=method)
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


@pytest.mark.parametrize(
    ("first", "method", "answer"),
    [
        ("dies holding it", "GET", (200, b"A")),  # resent to the other server
        ("dies holding it", "POST", (502, b"")),  # reached a server: never sent twice, the client is told
        ("refuses connections", "GET", (200, b"A")),
        ("refuses connections", "POST", (200, b"A")),  # never reached a server: safe to send on
    ],
)
def test_nginx_sends_on_to_the_other_server_only_what_it_may(
    tmp_path: Path, answering_server: int, first: str, method: str, answer: tuple[int, bytes]
) -> None:
    """nginx's round robin sends the first request to the first server of the upstream: the broken one."""
    if first == "dies holding it":
        dying, first_port = _dying_server()
    else:
        dying, first_port = None, free_port()  # nothing listens there
    process, port = _nginx(tmp_path, first_port, answering_server)
    try:
        assert _send(port, method) == answer
        assert _send(port, "GET") == (200, b"A")  # the broken server is now skipped (max_fails=1)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if dying is not None:
            dying.close()
