"""Settings refuse values they do not understand, at start-up, naming the variable; secrets may come from files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_secret, env_sizes

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("word", ["1", "true", "TRUE", "Yes", "on", "ya", " 1 "])
def test_true_words(word: str) -> None:
    assert env_bool("KLA_X", False, {"KLA_X": word}) is True


@pytest.mark.parametrize("word", ["0", "false", "No", "off", "tidak"])
def test_false_words(word: str) -> None:
    assert env_bool("KLA_X", True, {"KLA_X": word}) is False


def test_unset_or_blank_is_the_default() -> None:
    assert env_bool("KLA_X", True, {}) is True and env_bool("KLA_X", False, {"KLA_X": "  "}) is False
    assert env_int("KLA_N", 7, environ={}) == 7 and env_choice("KLA_C", "a", ("a", "b"), {"KLA_C": ""}) == "a"


@pytest.mark.parametrize("typo", ["ture", "flase", "2", "enabled", "y"])
def test_a_boolean_typo_is_refused_with_the_name_and_the_accepted_words(typo: str) -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("KLA_TOTP_REQUIRED", True, {"KLA_TOTP_REQUIRED": typo})
    message = str(refused.value)
    assert f"KLA_TOTP_REQUIRED={typo!r}" in message and "1/true/yes/on/ya" in message and "0/false" in message


def test_integers() -> None:
    assert env_int("KLA_N", 1, minimum=0, environ={"KLA_N": "1_000"}) == 1000
    for bad in ("10m", "1.5", "sepuluh", "0x10"):
        with pytest.raises(ImproperlyConfigured, match=r"KLA_N='.*' tidak dikenali.*bilangan bulat"):
            env_int("KLA_N", 1, environ={"KLA_N": bad})
    with pytest.raises(ImproperlyConfigured, match="bilangan bulat ≥ 1"):
        env_int("KLA_LOGIN_FAILURE_LIMIT", 10, minimum=1, environ={"KLA_LOGIN_FAILURE_LIMIT": "0"})


def test_choices_lists_and_sizes() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"MEDIA_STORAGE='S3'.*filesystem, s3"):
        env_choice("MEDIA_STORAGE", "filesystem", ("filesystem", "s3"), {"MEDIA_STORAGE": "S3"})
    assert env_list("HOSTS", "a", {"HOSTS": " x, ,y "}) == ["x", "y"] and env_list("HOSTS", "a,b", {}) == ["a", "b"]
    assert env_sizes("LIMITS", "pdf=50", {"LIMITS": "pdf=10, image=2"}) == {"pdf": 10, "image": 2}
    for bad in ("pdf", "pdf=", "pdf=ten", "=5", "pdf=0"):
        with pytest.raises(ImproperlyConfigured, match="LIMITS"):
            env_sizes("LIMITS", "", {"LIMITS": bad})


def test_a_secret_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret_key"
    secret.write_text("s3cr3t with spaces \n", encoding="utf-8")
    assert env_secret("SECRET_KEY", "", {"SECRET_KEY_FILE": str(secret)}) == "s3cr3t with spaces "
    assert env_secret("SECRET_KEY", "dev", {}) == "dev"
    assert env_secret("SECRET_KEY", "dev", {"SECRET_KEY": "direct"}) == "direct"
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY dan SECRET_KEY_FILE keduanya diisi"):
        env_secret("SECRET_KEY", "", {"SECRET_KEY": "a", "SECRET_KEY_FILE": str(secret)})
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE='/nonexistent/key' tidak dapat dibaca"):
        env_secret("SECRET_KEY", "", {"SECRET_KEY_FILE": "/nonexistent/key"})


def _settings(env: dict[str, str], expression: str) -> subprocess.CompletedProcess[str]:
    drop = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "KLA_TOTP_REQUIRED", "EMAIL_HOST", "DJANGO_SETTINGS_MODULE"}
    environ = {k: v for k, v in os.environ.items() if k not in drop and not k.endswith("_FILE")}
    environ.update(env)
    code = f"import django; from django.conf import settings; print(repr({expression}))"
    environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )


def test_the_platform_refuses_to_start_on_a_typo() -> None:
    done = _settings({"KLA_TOTP_REQUIRED": "ture"}, "settings.KLA_TOTP_REQUIRED")
    assert done.returncode != 0
    assert "ImproperlyConfigured: KLA_TOTP_REQUIRED='ture' tidak dikenali" in done.stderr
    done = _settings({"KLA_SESSION_IDLE_MINUTES": "30m"}, "settings.KLA_SESSION_IDLE_MINUTES")
    assert done.returncode != 0 and "KLA_SESSION_IDLE_MINUTES='30m'" in done.stderr
    assert _settings({"KLA_TOTP_REQUIRED": "tidak"}, "settings.KLA_TOTP_REQUIRED").stdout.strip() == "False"


def test_secrets_and_the_database_url_come_from_files(tmp_path: Path) -> None:
    (tmp_path / "key").write_text("k" * 60 + "\n", encoding="utf-8")
    (tmp_path / "db").write_text(f"sqlite:///{tmp_path / 'from-file.sqlite3'}\n", encoding="utf-8")
    (tmp_path / "smtp").write_text("sandi-surel\n", encoding="utf-8")
    env = {
        "DEBUG": "0",
        "ALLOWED_HOSTS": "kla.example.go.id",
        "SECRET_KEY_FILE": str(tmp_path / "key"),
        "DATABASE_URL_FILE": str(tmp_path / "db"),
        "EMAIL_HOST": "smtp.example.go.id",
        "EMAIL_HOST_PASSWORD_FILE": str(tmp_path / "smtp"),
    }
    expression = (
        "(settings.SECRET_KEY, str(settings.DATABASES['default']['NAME']), "
        "settings.MAILERS['default']['OPTIONS']['password'])"
    )
    done = _settings(env, expression)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == repr(("k" * 60, str(tmp_path / "from-file.sqlite3"), "sandi-surel"))
