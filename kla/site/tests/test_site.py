"""The shell of the site: health, language, security headers, error pages, self-contained assets."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
PAGES = [
    "/",
    "/wilayah/",
    "/wilayah/16/",
    "/instrumen/",
    "/instrumen/kla-2024-ref/",
    "/instrumen/kla-2024-ref/indikator/1/",
    "/akun/masuk/",
    "/akun/lupa-sandi/",
]


def test_healthz_ok(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_the_database_does_not_answer(client, monkeypatch) -> None:
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "error"


def test_home_explains_the_platform_in_indonesian(client) -> None:
    body = client.get("/").content.decode()
    assert '<html lang="id">' in body
    assert "Kabupaten/Kota Layak Anak" in body and "Evaluasi mandiri" in body and "514" in body


def test_english_is_switchable_and_indonesian_is_the_default(client) -> None:
    assert client.get("/", headers={"Accept-Language": "en"}).headers["Content-Language"] == "id"
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert ('<html lang="en">' in body and "Evaluation" in body) or "evaluation" in body
    assert "Sign in" in body
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert "Masuk" in client.get("/").content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_outside_the_server(client, path: str) -> None:
    body = client.get(path).content.decode()
    external = re.findall(r'(?:src|href)=["\'](?:https?:)?//[^"\']+', body)
    assert external == [], external


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_and_strict_csp(client, path: str) -> None:
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    body = response.content.decode()
    # no inline script or style that a strict CSP would block
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body)
    assert "<style" not in body and " style=" not in body


def test_signed_in_pages_are_not_cached(client_for) -> None:
    response = client_for("secretariat").get("/")
    assert "no-store" in response.headers["Cache-Control"] and "private" in response.headers["Cache-Control"]


def test_forms_carry_csrf_protection(client) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("accounts:login"), {"username": "gt-palembang", "password": "x"})
    assert response.status_code == 403
    assert "csrfmiddlewaretoken" in client.get(reverse("accounts:login")).content.decode()


def test_404_page_is_in_the_site_chrome_and_indonesian(client, settings) -> None:
    settings.DEBUG = False
    response = client.get("/tidak-ada-halaman-ini/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in body and "Kembali ke beranda" in body


def test_500_page_shows_no_traceback(client, settings) -> None:
    from django.test import Client

    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    from kla.core import errors

    response = errors.server_error(Client().get("/").wsgi_request)
    body = response.content.decode()
    assert response.status_code == 500 and "Terjadi kesalahan" in body and "Traceback" not in body


def _django(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    drop = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_HOST", "CLAMD_ADDRESS"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_mode_refuses_to_start_without_a_secret_key() -> None:
    result = _django({"DEBUG": "0", "ALLOWED_HOSTS": "kla.example.go.id"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY wajib diisi bila DEBUG=0" in result.stderr


def test_deployment_check_demands_malware_scanning() -> None:
    result = _django(
        {
            "DEBUG": "0",
            "SECRET_KEY": "y" * 80,
            "ALLOWED_HOSTS": "kla.example.go.id",
            "EMAIL_HOST": "smtp.example.go.id",
        },
        "check",
        "--deploy",
    )
    assert result.returncode != 0 and "kla.E001" in result.stderr + result.stdout


def test_production_settings_pass_the_deployment_checklist() -> None:
    result = _django(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 60 + "-production-secret-for-the-check-only-8d7f6a5e",
            "ALLOWED_HOSTS": "kla.example.go.id",
            "EMAIL_HOST": "smtp.example.go.id",
            "CLAMD_ADDRESS": "/run/clamav/clamd.ctl",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_403_page_says_why_and_what_to_do(client_for, settings) -> None:
    settings.DEBUG = False
    response = client_for("opd").get(reverse("accounts:users"))
    body = response.content.decode()
    assert response.status_code == 403
    assert "Akses ditolak" in body and "Anda tidak berwenang mengelola pengguna" in body
    assert "hubungi Sekretariat Gugus Tugas KLA" in body


def test_collectstatic_succeeds_in_production_mode(tmp_path) -> None:
    """The manifest storage rewrites every reference in CSS and JS; a dangling one (a source map we don't ship)
    would stop a deployment at `collectstatic`."""
    result = _django(
        {
            "DEBUG": "0",
            "SECRET_KEY": "z" * 60 + "-collectstatic-check",
            "ALLOWED_HOSTS": "kla.example.go.id",
            "STATIC_ROOT": str(tmp_path / "static"),
        },
        "collectstatic",
        "--no-input",
        "-v",
        "0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    static = tmp_path / "static"
    manifest = json.loads((static / "staticfiles.json").read_text(encoding="utf-8"))["paths"]
    hashed = manifest["css/kla.css"]
    assert re.fullmatch(r"css/kla\.[0-9a-f]{12}\.css", hashed)
    # whitenoise compresses what is worth it, under the hashed name too (nginx: gzip_static on)
    assert (static / hashed).exists() and (static / (hashed + ".gz")).exists()
    with gzip.open(static / (hashed + ".gz")) as packed:
        assert packed.read() == (static / hashed).read_bytes()
