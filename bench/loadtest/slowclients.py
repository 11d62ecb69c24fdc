"""Slow clients beside the locust mix: real uploads over slow links, and connections that trickle a body forever.

- `uploaders` clients each upload evidence through the API (Bearer token) at `rate` bytes/s, one after another
  (150 at ~75 kB/s with the model's sizes: ~2.5 uploads/s and ~11 MB/s, the 3× load above the 1× form uploads);
  every 201 whose SHA-256 matches is acknowledged like the locust uploads, for the integrity check;
- `tricklers` clients open a POST with a 1 MB Content-Length and send one byte every 10 s (slowhttptest -B): nginx
  buffers them, so no application worker waits for them; they are expected never to complete.

Run: python -m bench.loadtest.slowclients PLAN HOST PORT SECONDS ACK_DIR [uploaders tricklers rate]
Prints one JSON summary line.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import ssl
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench.loadtest.pdf import evidence_size, make_pdf


def local_tls() -> ssl.SSLContext:
    """TLS to the load test's own nginx, whose certificate is self-signed for 127.0.0.1."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length) if length else b""
    return status, body


async def _send(host: str, port: int, head: bytes, body: bytes, rate: int) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(host, port, ssl=local_tls())
    try:
        writer.write(head)
        chunk = max(rate // 4, 1)
        for i in range(0, len(body), chunk):
            writer.write(body[i : i + chunk])
            await writer.drain()
            await asyncio.sleep(0.25)
        return await asyncio.wait_for(_read_response(reader), timeout=120)
    finally:
        writer.close()


async def uploader(
    n: int, me: dict[str, Any], host: str, port: int, until: float, rate: int, stats: dict[str, Any], acks: Any
) -> None:
    rng = random.Random(f"slow-{n}")
    await asyncio.sleep(rng.uniform(0, 5))
    while time.time() < until:
        item = rng.choice(me["items"])
        content = make_pdf(evidence_size(rng, tail=False))
        digest = hashlib.sha256(content).hexdigest()
        name = f"lambat-{uuid.uuid4().hex[:12]}.pdf"
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="evidence_type"\r\n\r\nreport\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        head = (
            f"POST /api/v1/entries/{item['entry']}/evidence/{item['code']} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {me['token']}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        started = time.time()
        try:
            # an upload still sending 30 s after the phase ends is abandoned by the client (not an error)
            status, reply = await asyncio.wait_for(_send(host, port, head, body, rate), timeout=until + 30 - started)
        except TimeoutError:
            stats["abandoned_at_end"] += 1
            continue
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            stats["errors"].append(f"{type(exc).__name__}: {exc}"[:120])
            continue
        stats["durations"].append(time.time() - started)
        if status == 201 and json.loads(reply).get("sha256") == digest:
            stats["ok"] += 1
            acks.write(
                json.dumps(
                    {
                        "t": time.time(),
                        "kind": "upload",
                        "user": me["username"],
                        "entry": item["entry"],
                        "question": item["question"],
                        "name": name,
                        "sha256": digest,
                        "size": len(content),
                    }
                )
                + "\n"
            )
            acks.flush()
        else:
            stats["errors"].append(f"HTTP {status}: {reply[:120]!r}")


async def trickler(n: int, host: str, port: int, until: float, stats: dict[str, Any]) -> None:
    try:
        reader, writer = await asyncio.open_connection(host, port, ssl=local_tls())
        writer.write(
            f"POST /api/v1/entries/1/evidence/x HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/pdf\r\n"
            f"Content-Length: 1048576\r\n\r\n".encode()
        )
        await writer.drain()
        stats["opened"] += 1
        while time.time() < until:
            writer.write(b"x")
            await writer.drain()
            await asyncio.sleep(10)
            if reader.at_eof():
                stats["closed_by_server"] += 1
                return
        stats["held_to_end"] += 1
        writer.close()
    except (OSError, ValueError) as exc:
        stats["closed_by_server" if isinstance(exc, ConnectionError) else "errors"] += 1
        if len(stats["examples"]) < 5:  # what failed, and when: nginx's error log (kept by run.py) says why
            stats["examples"].append(f"{round(time.time() - stats['started'])} s: {exc!r}"[:300])


async def main_async(
    plan: dict[str, Any], host: str, port: int, seconds: float, ack_dir: Path, uploaders: int, tricklers: int, rate: int
) -> dict[str, Any]:
    started = time.time()
    until = started + seconds
    up: dict[str, Any] = {"ok": 0, "errors": [], "durations": [], "abandoned_at_end": 0}
    tr: dict[str, Any] = {"opened": 0, "held_to_end": 0, "closed_by_server": 0, "errors": 0, "examples": []}
    tr["started"] = started
    with (ack_dir / f"acks-slow-{uuid.uuid4().hex[:6]}.jsonl").open("a", encoding="utf-8") as acks:
        tokens = plan["tokens"]
        jobs = [uploader(i, tokens[i % len(tokens)], host, port, until, rate, up, acks) for i in range(uploaders)]
        jobs += [trickler(i, host, port, until, tr) for i in range(tricklers)]
        await asyncio.gather(*jobs)
    durations = sorted(up["durations"])
    elapsed = time.time() - started  # until the last upload in flight finished
    return {
        "seconds": round(elapsed),
        "uploads_per_s": round(up["ok"] / elapsed, 2),
        "uploaders": uploaders,
        "tricklers": tricklers,
        "rate_bytes_per_s": rate,
        "uploads_ok": up["ok"],
        "upload_errors": len(up["errors"]),
        "abandoned_at_end": up["abandoned_at_end"],
        "error_examples": up["errors"][:5],
        "upload_median_s": round(durations[len(durations) // 2], 1) if durations else None,
        "trickle": {k: v for k, v in tr.items() if k != "started"},
    }


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    host, port, seconds, ack_dir = sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), Path(sys.argv[5])
    uploaders, tricklers, rate = (int(x) for x in (sys.argv[6:9] or ["150", "50", "75000"]))
    summary = asyncio.run(main_async(plan, host, port, seconds, ack_dir, uploaders, tricklers, rate))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
