"""Which requests an application server held when it was killed, read from nginx's access log (pure functions).

bench/loadtest/nginx.conf logs each request as
`$msec $request_method "$uri" $status "$upstream_addr" "$upstream_status" $request_time`: when it ended, and the
servers it went to in order with each one's status (`"127.0.0.1:A, 127.0.0.1:B" "502, 200"`: A failed, nginx sent it
on to B). A request was held by the killed server when it had started before the kill (end minus duration) and its
attempt on that server failed; nginx resends it when it may (an idempotent method), else the client gets the error.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LINE = re.compile(r'^(\d+\.\d+) (\S+) "([^"]*)" (\d{3}) "([^"]*)" "([^"]*)" (\d+\.\d+)$')
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass(frozen=True)
class Logged:
    ended: float
    method: str
    path: str
    status: int
    attempts: tuple[tuple[str, str], ...]  # (server address, its status) in the order nginx tried them
    seconds: float

    @property
    def started(self) -> float:
        return self.ended - self.seconds


def parse(lines: list[str]) -> list[Logged]:
    out = []
    for line in lines:
        m = LINE.match(line.strip())
        if m is None:
            continue
        ended, method, path, status, addrs, statuses, seconds = m.groups()
        pairs = tuple(
            zip(
                [a.strip() for a in addrs.replace(" : ", ", ").split(",")],
                [s.strip() for s in statuses.replace(" : ", ", ").split(",")],
                strict=False,
            )
        )
        out.append(Logged(float(ended), method, path, int(status), pairs, float(seconds)))
    return out


def read(path: Path, since: float) -> list[Logged]:
    if not path.exists():
        return []
    return [r for r in parse(path.read_text(errors="replace").splitlines()) if r.ended >= since]


def by_upstream(path: Path, since: float) -> dict[str, Any]:
    """Requests answered by each application server since `since`, and how many nginx sent to a second one."""
    rows = [r for r in read(path, since) if r.attempts and r.attempts[0][0] not in ("", "-")]
    answered = Counter(r.attempts[-1][0].rsplit(":", 1)[-1] for r in rows)
    return {"answered_by_port": dict(answered), "resent_to_next": sum(1 for r in rows if len(r.attempts) > 1)}


def held(rows: list[Logged], port: int, killed_at: float, dead_at: float | None = None) -> list[Logged]:
    """The requests server `port` held when it was killed: started before its last process was gone (`dead_at`;
    between the signal at `killed_at` and then, it still accepted connections), not ended before the signal, and
    their attempt on that server failed."""
    address = f"127.0.0.1:{port}"
    gone = max(dead_at or killed_at, killed_at)
    return [
        r
        for r in rows
        if r.started <= gone + 0.05
        and r.ended >= killed_at - 0.05
        and any(
            a == address and s not in ("200", "204", "301", "302", "303", "304", "400", "403", "404")
            for a, s in r.attempts
        )
    ]


def fault_requests(path: Path, since: float, report: dict[str, Any]) -> dict[str, Any]:
    """The application-server kill in numbers: what the server held (resent or refused), what went on to the other
    server while it was down, and every other error of the phase (which must be none)."""
    rows = read(path, since)
    port, killed_at = report.get("app_server_killed_port"), report.get("app_server_killed_at")
    if port is None or killed_at is None:
        return {}
    kept = held(rows, port, killed_at, report.get("app_server_dead_at"))
    refused = [r for r in kept if r.status >= 500]
    back = report.get("app_server_restarted_at") or killed_at
    address = f"127.0.0.1:{port}"
    other_errors = [r for r in rows if r.status >= 500 and r not in refused]
    return {
        "held_by_killed_server": len(kept),
        "held_resent_and_answered": sum(1 for r in kept if r.status < 500),
        "held_refused": len(refused),
        "held_refused_by_method": dict(Counter(f"{r.method} {_kind(r.path)}" for r in refused)),
        "refused_idempotent": sum(1 for r in refused if r.method in IDEMPOTENT),
        "resent_while_down": sum(
            1 for r in rows if killed_at < r.started < back and len(r.attempts) > 1 and r.attempts[0][0] == address
        ),
        "other_5xx": len(other_errors),
        "other_5xx_examples": [f"{r.method} {r.path} {r.status} {r.attempts}" for r in other_errors[:5]],
    }


def _kind(path: str) -> str:
    """A request path without its numbers (one line per kind of request)."""
    return re.sub(r"\d+", "N", path)
