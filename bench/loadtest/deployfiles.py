"""The deployment files of deploy/, made runnable on a scratch host: only their paths and ports are replaced.

`make loadtest` runs the stack through these (so what it measures is what deploy/ installs), and
kla/core/tests/test_deploy_files.py checks that they parse (`nginx -t`, `systemd-analyze verify`). A replacement that
no longer matches the file fails loudly, so an edit of deploy/ cannot silently leave the load test on other values.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX_SITE = DEPLOY / "nginx" / "kla.conf"
NGINX_UPSTREAM = DEPLOY / "nginx" / "kla-upstream.conf"
SYSTEMD = DEPLOY / "systemd"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"

# Where the files put things on a production host.
APP_DIR = "/srv/kla/app"
VENV_BIN = f"{APP_DIR}/.venv/bin/"
STATIC_DIR = "/srv/kla/static/"
APP_ADDRESS = "127.0.0.1:8001"
PROXY_PASS = f"proxy_pass http://{APP_ADDRESS};"
UPSTREAM_SERVERS = ("10.0.0.11:8001", "10.0.0.12:8001")
HTTPS_LISTEN = "listen 443 ssl http2;"
HTTP_LISTEN = "listen 80;"
CERTIFICATE = "/etc/letsencrypt/live/kla.example.go.id/fullchain.pem"
CERTIFICATE_KEY = "/etc/letsencrypt/live/kla.example.go.id/privkey.pem"


class DeployFileChanged(RuntimeError):
    """A value the load test replaces is no longer in the deployment file."""


def replace_exactly(text: str, replacements: Mapping[str, str], *, source: Path) -> str:
    """Replace each key of `replacements` (which must occur in `text`) by its value."""
    for old, new in replacements.items():
        if old not in text:
            raise DeployFileChanged(f"{source.relative_to(ROOT)} no longer holds {old!r}: update {__name__}")
        text = text.replace(old, new)
    return text


def nginx_site(*, port: int, redirect_port: int, app_port: int, static: Path, cert: Path, key: Path) -> str:
    """deploy/nginx/kla.conf listening on 127.0.0.1 ports, with a scratch certificate and static directory."""
    return replace_exactly(
        NGINX_SITE.read_text(encoding="utf-8"),
        {
            HTTPS_LISTEN: f"listen 127.0.0.1:{port} ssl http2;",
            HTTP_LISTEN: f"listen 127.0.0.1:{redirect_port};",
            CERTIFICATE: str(cert),
            CERTIFICATE_KEY: str(key),
            STATIC_DIR: f"{static}/",
            APP_ADDRESS: f"127.0.0.1:{app_port}",
        },
        source=NGINX_SITE,
    )


def unit_text(name: str, *, root: Path = ROOT, venv_bin: Path | None = None) -> str:
    """A systemd unit of deploy/systemd with the application directory and its virtualenv moved."""
    path = SYSTEMD / name
    venv = venv_bin or Path(sys.executable).parent
    text = path.read_text(encoding="utf-8")
    if name.endswith(".service"):  # every service runs a program of the virtualenv
        text = replace_exactly(text, {VENV_BIN: f"{venv}/"}, source=path)
    return text.replace(APP_DIR, str(root))


def exec_start(name: str, *, root: Path = ROOT, venv_bin: Path | None = None, app_port: int | None = None) -> list[str]:
    """The command line of a unit's ExecStart, ready for subprocess (the gunicorn address moved to `app_port`)."""
    match = re.search(r"^ExecStart=(.+)$", unit_text(name, root=root, venv_bin=venv_bin), re.MULTILINE)
    if match is None:
        raise DeployFileChanged(f"deploy/systemd/{name} has no ExecStart")
    command = match.group(1)
    if app_port is not None:
        command = replace_exactly(command, {APP_ADDRESS: f"127.0.0.1:{app_port}"}, source=SYSTEMD / name)
    return shlex.split(command)


def upstream_site(site: str, app_ports: list[int]) -> str:
    """deploy/nginx/kla-upstream.conf with its two example servers moved to `app_ports` (two of them), followed by
    the site with `proxy_pass` sent to that upstream: the layout of several application servers."""
    if len(app_ports) != len(UPSTREAM_SERVERS):
        raise ValueError(f"{NGINX_UPSTREAM.name} names {len(UPSTREAM_SERVERS)} servers")
    upstream = replace_exactly(
        NGINX_UPSTREAM.read_text(encoding="utf-8"),
        {old: f"127.0.0.1:{p}" for old, p in zip(UPSTREAM_SERVERS, app_ports, strict=True)},
        source=NGINX_UPSTREAM,
    )
    proxied = re.sub(
        rf"^(\s*){re.escape('proxy_pass http://127.0.0.1:')}\d+;", r"\1proxy_pass http://kla_app;", site, flags=re.M
    )
    if proxied == site:
        raise DeployFileChanged(f"{NGINX_SITE.relative_to(ROOT)} no longer holds {PROXY_PASS!r}: update {__name__}")
    return upstream + "\n" + proxied


def nginx_config(
    work: Path, *, port: int, redirect_port: int, app_port: int, static: Path, app_ports: list[int] | None = None
) -> Path:
    """Write bench/loadtest/nginx.conf (the main context) and the rendered site into `work`, with a self-signed
    certificate for 127.0.0.1 made by openssl; returns the main configuration file (`nginx -p work -c it`).
    With `app_ports`, the site proxies to those application servers through deploy/nginx/kla-upstream.conf."""
    cert, key = work / "cert.pem", work / "key.pem"
    openssl = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"]
    subprocess.run([*openssl, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    site = nginx_site(port=port, redirect_port=redirect_port, app_port=app_port, static=static, cert=cert, key=key)
    if app_ports:
        site = upstream_site(site, app_ports)
    (work / "kla.conf").write_text(site, encoding="utf-8")
    main = (Path(__file__).parent / "nginx.conf").read_text(encoding="utf-8").replace("{{WORK}}", str(work))
    (work / "nginx.conf").write_text(main, encoding="utf-8")
    return work / "nginx.conf"
