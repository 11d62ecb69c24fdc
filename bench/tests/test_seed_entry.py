"""`python -m bench.seed_national`, the way benchmarks, the load test and the restore drill load the national data
set, run as they run it: a separate process with the project's settings from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _seed(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    drop = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "bench.seed_national", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_entry_point_sets_django_up_and_describes_its_options() -> None:
    result = _seed({"DEBUG": "1"}, "--help")
    assert result.returncode == 0, result.stderr
    assert "python -m bench.seed_national" in result.stdout
    assert "--provinces" in result.stdout and "--force" in result.stdout


def test_the_entry_point_refuses_production_settings_with_exit_status_1() -> None:
    result = _seed({"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "kla.example.go.id"}, "--provinces", "75")
    assert result.returncode == 1
    assert "hanya untuk pengembangan" in result.stderr
