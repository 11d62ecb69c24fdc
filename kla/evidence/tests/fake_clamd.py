"""A fake clamd: a Unix socket server speaking clamd's INSTREAM protocol with a behaviour given by the test.

The failure tests make it misbehave on purpose (cut-off replies, resets, silence); the intake tests make it do
something while it "scans" (submit the evaluation, close field verification) before it answers, as a slow scan
during which another request comes in would. The behaviour runs in the server's own thread, so what it does to the
database happens on a connection of its own, as another request's would (such tests are transactional).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

Behaviour = Callable[[socket.socket], None]


def read_instream(conn: socket.socket) -> None:
    """Consume a whole INSTREAM request, as clamd does before answering."""
    conn.settimeout(5)
    buffer = b""
    while b"\0" not in buffer:
        buffer += conn.recv(64)
    rest = buffer.split(b"\0", 1)[1]

    def take(n: int) -> bytes:
        nonlocal rest
        while len(rest) < n:
            data = conn.recv(65536)
            if not data:
                raise ConnectionError("client went away")
            rest += data
        out, rest = rest[:n], rest[n:]
        return out

    while length := int.from_bytes(take(4), "big"):
        take(length)


@contextlib.contextmanager
def serve(behave: Behaviour) -> Iterator[str]:
    """A one-connection-at-a-time server with the given behaviour, for the block; yields its socket path."""
    directory = Path(tempfile.mkdtemp(prefix="kla-av-", dir="/tmp"))  # socket paths are limited to 107 bytes
    path = str(directory / "fake.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen()
    server.settimeout(0.2)
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn, contextlib.suppress(OSError):
                behave(conn)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield path
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()
        shutil.rmtree(directory, ignore_errors=True)
