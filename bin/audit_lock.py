"""Known vulnerabilities in the locked dependencies (`uv.lock`), from PyPI's JSON API (standard library only).

PyPI publishes, per release, the vulnerabilities the OSV database knows for it; pip-audit's PyPI service reads the
same data. For every package of the lock that comes from a registry:

1. `GET <index>/<name>/<version>/json`: the vulnerabilities of exactly the locked release;
2. if that answers 404 (some networks pass only the project endpoint), `GET <index>/<name>/json`: its
   `vulnerabilities` are those of the **latest** release, so they count for the lock only when it pins the latest;
   an older pin is listed as not checked, never as clean.

Withdrawn advisories are ignored. Exit status: 0 no known vulnerability in what was checked; 1 at least one;
2 PyPI could not be asked (network) or nothing could be checked.

    python bin/audit_lock.py [--lock uv.lock] [--index https://pypi.org/pypi] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

INDEX = "https://pypi.org/pypi"
TIMEOUT = 20
ATTEMPTS = 3
WORKERS = 8

Fetch = Callable[[str], "dict[str, Any] | None"]  # URL -> decoded JSON, None on 404; raises OSError otherwise


@dataclass
class Finding:
    name: str
    version: str
    how: str  # "release": the locked release's own data; "latest": the pin is the latest; "older": not checked
    latest: str = ""
    vulnerabilities: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""


def locked_packages(lock_text: str) -> list[tuple[str, str]]:
    """(name, version) of every package the lock takes from a registry (not the project itself, not paths)."""
    lock = tomllib.loads(lock_text)
    packages = lock.get("package", [])
    return sorted((p["name"], p["version"]) for p in packages if "registry" in p.get("source", {}) and "version" in p)


def live(vulnerabilities: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [v for v in vulnerabilities or [] if not v.get("withdrawn")]


def check(name: str, version: str, fetch: Fetch, index: str = INDEX) -> Finding:
    """What PyPI knows of `name` `version`."""
    try:
        release = fetch(f"{index}/{name}/{version}/json")
        if release is not None:
            return Finding(name, version, "release", release["info"]["version"], live(release.get("vulnerabilities")))
        project = fetch(f"{index}/{name}/json")
        if project is None:
            return Finding(name, version, "older", error="PyPI tidak mengenal paket ini (404)")
        latest = project["info"]["version"]
        if latest == version:
            return Finding(name, version, "latest", latest, live(project.get("vulnerabilities")))
        return Finding(name, version, "older", latest)
    except (OSError, ValueError, KeyError) as exc:
        return Finding(name, version, "older", error=f"{type(exc).__name__}: {exc}")


def fetch_json(url: str) -> dict[str, Any] | None:
    """GET `url` as JSON; None on 404; retried on network errors and 5xx."""
    for attempt in range(ATTEMPTS):
        try:
            headers = {"Accept": "application/json", "User-Agent": "kla-audit"}
            request = urllib.request.Request(url, headers=headers)  # noqa: S310 (main() allows http(s) only)
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                data: dict[str, Any] = json.load(response)
                return data
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            if exc.code < 500 or attempt == ATTEMPTS - 1:
                raise
        except OSError:
            if attempt == ATTEMPTS - 1:
                raise
        time.sleep(1 + attempt)
    raise AssertionError("unreachable")


def audit(packages: list[tuple[str, str]], fetch: Fetch, index: str = INDEX) -> list[Finding]:
    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(lambda p: check(p[0], p[1], fetch, index), packages))


def report(findings: list[Finding]) -> tuple[int, list[str]]:
    """Exit status and the lines to print."""
    vulnerable = [f for f in findings if f.vulnerabilities]
    errors = [f for f in findings if f.error]
    older = [f for f in findings if f.how == "older" and not f.error]
    checked = [f for f in findings if f.how != "older"]
    by_release = sum(1 for f in checked if f.how == "release")
    lines = [
        f"{len(findings)} paket terkunci; {len(checked)} diperiksa ({by_release} per rilis, "
        f"{len(checked) - by_release} lewat rilis terbaru); {len(older)} tidak dapat diperiksa; "
        f"{len(errors)} gagal ditanyakan; {sum(len(f.vulnerabilities) for f in vulnerable)} kerentanan diketahui."
    ]
    for f in vulnerable:
        for v in f.vulnerabilities:
            fixed = ", ".join(v.get("fixed_in") or []) or "belum ada"
            aliases = ", ".join(v.get("aliases") or [])
            lines.append(f"RENTAN  {f.name} {f.version}: {v.get('id')} ({aliases}) diperbaiki di {fixed}.")
            lines.append(f"        {v.get('link', '')}")
            if v.get("summary"):
                lines.append(f"        {v['summary']}")
    for f in older:
        lines.append(
            f"TIDAK DIPERIKSA  {f.name} {f.version} (terbaru {f.latest}): PyPI hanya menjawab data rilis terbaru di "
            "jaringan ini; naikkan versinya atau periksa di mesin yang menjangkau data per rilis."
        )
    for f in errors:
        lines.append(f"GAGAL  {f.name} {f.version}: {f.error}")
    if vulnerable:
        return 1, lines
    if errors or not checked:
        lines.append("PyPI tidak dapat ditanyai untuk semua paket; audit tidak lengkap. Coba lagi bila jaringan pulih.")
        return 2, lines
    return 0, lines


def main(argv: list[str] | None = None, fetch: Fetch = fetch_json) -> int:
    parser = argparse.ArgumentParser(prog="audit_lock.py", description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=Path(__file__).resolve().parent.parent / "uv.lock")
    parser.add_argument("--index", default=INDEX, help="PyPI's JSON API (default %(default)s)")
    parser.add_argument("--json", type=Path, help="also write every finding to this file")
    args = parser.parse_args(argv)
    if not args.index.startswith(("https://", "http://")):
        parser.error("--index must be an http(s) URL")
    packages = locked_packages(args.lock.read_text(encoding="utf-8"))
    started = time.monotonic()
    findings = audit(packages, fetch, args.index.rstrip("/"))
    status, lines = report(findings)
    print("\n".join(lines))
    print(f"({time.monotonic() - started:.1f} s, {args.index})")
    if args.json:
        args.json.write_text(json.dumps([asdict(f) for f in findings], indent=1), encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
