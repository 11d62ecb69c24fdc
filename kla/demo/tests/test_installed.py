"""The demo app (its `seed_demo` command: accounts with a published password) is installed in development or where
KLA_DEMO=1 asks for it, never by default in production; the product itself never imports it."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "kla.example.go.id"}


def _manage(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    drop = {"SECRET_KEY", "DEBUG", "KLA_DEMO", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "CLAMD_ADDRESS"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("env", "installed"),
    [({"DEBUG": "1"}, True), (PRODUCTION, False), ({**PRODUCTION, "KLA_DEMO": "1"}, True)],
    ids=["development", "production", "production-with-KLA_DEMO"],
)
def test_seed_demo_exists_only_where_the_demo_is_installed(env: dict[str, str], installed: bool) -> None:
    result = _manage(env, "help", "seed_demo")
    if installed:
        assert result.returncode == 0, result.stderr
        assert "--force" in result.stdout
    else:
        assert result.returncode != 0
        assert "Unknown command: 'seed_demo'" in result.stderr


def _imported(tree: ast.AST) -> list[str]:
    """Every module an import statement names (`from kla import demo` counts as `kla.demo`)."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
    return names


def test_no_product_module_imports_the_demo() -> None:
    """Only the demo itself and tests (which load the demo personas) may import `kla.demo`."""
    offenders = []
    for path in sorted([*(ROOT / "kla").rglob("*.py"), *(ROOT / "config").rglob("*.py")]):
        parts = path.relative_to(ROOT).parts
        if parts[:2] == ("kla", "demo") or "tests" in parts:
            continue
        for name in _imported(ast.parse(path.read_text(encoding="utf-8"))):
            if name == "kla.demo" or name.startswith("kla.demo."):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
