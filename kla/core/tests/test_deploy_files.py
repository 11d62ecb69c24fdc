"""The files of deploy/ parse, name real commands, and serve static files as docs/deploy.md promises.

They are checked as `make loadtest` runs them (bench/loadtest/deployfiles.py: only paths and ports replaced):
systemd-analyze verify for the units, nginx -t and a real nginx for the site, gunicorn --check-config for its
settings. Each tool missing on this machine skips its test with the reason.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import get_commands

from bench.loadtest import deployfiles
from bench.upload import free_port

UNITS = sorted(p.name for p in deployfiles.SYSTEMD.iterdir())
SERVICES = [name for name in UNITS if name.endswith(".service")]


def _need(tool: str) -> str:
    found = shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if found is None:
        pytest.skip(f"{tool} is not installed here (CI installs it: .ci/run)")
    return found


def test_every_service_has_a_timer_or_an_install_section() -> None:
    timers = {name.removesuffix(".timer") for name in UNITS if name.endswith(".timer")}
    for service in SERVICES:
        text = (deployfiles.SYSTEMD / service).read_text(encoding="utf-8")
        assert service.removesuffix(".service") in timers or "WantedBy=multi-user.target" in text, service
    assert {"kla-web", "kla-worker"} <= {s.removesuffix(".service") for s in SERVICES}
    assert {"kla-clearsessions", "kla-prune-tasks", "kla-prune-exports", "kla-backup"} <= timers


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_runs_a_real_command(service: str) -> None:
    argv = deployfiles.exec_start(service)
    assert Path(argv[0]).is_file(), argv
    if argv[1:2] == ["manage.py"]:
        assert argv[2] in get_commands(), f"{service}: manage.py {argv[2]} does not exist"
    else:
        assert Path(argv[0]).name == "gunicorn" and argv[-1] == "config.wsgi"


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    analyze = _need("systemd-analyze")
    for name in UNITS:
        (tmp_path / name).write_text(deployfiles.unit_text(name), encoding="utf-8")
    done = subprocess.run(
        [analyze, "verify", *(str(tmp_path / name) for name in UNITS)], capture_output=True, text=True, timeout=60
    )
    # verify exits 0 on unknown keys and bad values, but says so: any line about our files is a failure
    ours = [line for line in (done.stdout + done.stderr).splitlines() if str(tmp_path) in line or "kla-" in line]
    assert done.returncode == 0 and not ours, done.stdout + done.stderr


def test_gunicorn_accepts_its_settings() -> None:
    argv = deployfiles.exec_start("kla-web.service", app_port=free_port())
    done = subprocess.run(
        [*argv[:-1], "--check-config", argv[-1]],
        cwd=deployfiles.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_changed_deploy_file_stops_the_load_test_rather_than_drifting() -> None:
    with pytest.raises(deployfiles.DeployFileChanged, match="no longer holds 'listen 443 ssl http2;'"):
        deployfiles.replace_exactly("listen 8443 ssl;", {deployfiles.HTTPS_LISTEN: "x"}, source=deployfiles.NGINX_SITE)


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """deploy/nginx/kla.conf under a real nginx on free ports, serving a static directory made here."""
    binary = _need("nginx")
    _need("openssl")
    work, static = tmp_path / "nginx", tmp_path / "static"
    work.mkdir()
    (static / "css").mkdir(parents=True)
    port = free_port()
    conf = deployfiles.nginx_config(
        work, port=port, redirect_port=free_port(), app_port=free_port(), static=static.resolve()
    )
    test = subprocess.run([binary, "-t", "-p", str(work), "-c", str(conf)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    process = subprocess.Popen([binary, "-p", str(work), "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            if (work / "nginx.pid").exists():
                break
            time.sleep(0.05)
        yield port, static
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    import ssl

    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    request = urllib.request.Request(f"https://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_nginx_serves_hashed_static_files_compressed_and_cached_for_a_year(nginx: tuple[int, Path]) -> None:
    port, static = nginx
    css = b"body { color: #123456; }\n" * 200
    (static / "css" / "kla.0123456789ab.css").write_bytes(css)
    (static / "css" / "kla.0123456789ab.css.gz").write_bytes(gzip.compress(css))
    (static / "css" / "kla.css").write_bytes(css)

    status, headers, body = _get(port, "/static/css/kla.0123456789ab.css", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(body) == css
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-type"].startswith("text/css") and headers["x-content-type-options"] == "nosniff"

    status, headers, body = _get(port, "/static/css/kla.0123456789ab.css")
    assert body == css and "content-encoding" not in headers

    status, headers, _ = _get(port, "/static/css/kla.css")
    assert headers["cache-control"] == "max-age=3600"  # an unhashed name may change: an hour only


def test_the_guide_points_at_the_files() -> None:
    guide = (deployfiles.ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for name in UNITS:
        assert name.split(".")[0] in guide, f"docs/deploy.md does not mention {name}"
    for path in ("deploy/nginx/kla.conf", "deploy/gunicorn.conf.py", "deploy/systemd/", "deploy/env.example"):
        assert path in guide, f"docs/deploy.md does not point at {path}"
