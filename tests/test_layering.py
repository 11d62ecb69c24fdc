"""The layers run one way: a lower app never imports a higher one, and nobody imports another app's views.

Reading order, low to high (docs/architecture.md):

    core < regions < agencies < accounts < indicators < evaluations < evidence < results < verification
         < fieldvisits < reports < site < api < demo

- A **domain module** (models, services, selectors, access, tasks, forms, pure rules …) imports its own app and lower
  apps only, at any place in the file: function-level and ``TYPE_CHECKING`` imports count too.
- An **interface module** (views, urls, template tags, management commands) may also import the services, selectors,
  access gates and forms of apps above it (a page composes siblings), but never another app's views or urls, and never
  ``api`` or ``demo`` unless it belongs to them.
- ``core`` is plumbing: it imports no other app at all.

New apps are placed in ``LAYERS``; an app missing from it fails the test, so its place is decided when it is added.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KLA = ROOT / "kla"

LAYERS = [
    "core",
    "regions",
    "agencies",
    "accounts",
    "indicators",
    "evaluations",
    "evidence",
    "taskforce",
    "rad",
    "activities",
    "results",
    "verification",
    "fieldvisits",
    "notifications",
    "reports",
    "people",
    "dashboards",
    "site",
    "api",
    "demo",
]
RANK = {app: i for i, app in enumerate(LAYERS)}
TOP_ONLY = {"api", "demo"}  # nobody else imports these
INTERFACE_FILES = {"views.py", "urls.py", "admin.py"}
INTERFACE_DIRS = {"views", "templatetags", "commands"}


def _apps() -> list[str]:
    return sorted(p.name for p in KLA.iterdir() if (p / "__init__.py").exists() and p.name != "__pycache__")


def _modules(app: str) -> list[Path]:
    return [
        p
        for p in (KLA / app).rglob("*.py")
        if "tests" not in p.relative_to(KLA / app).parts and "migrations" not in p.relative_to(KLA / app).parts
    ]


def _is_interface(path: Path) -> bool:
    return path.name in INTERFACE_FILES or bool(INTERFACE_DIRS & set(path.parent.relative_to(KLA).parts))


def _kla_imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every ``kla.*`` import in the file, wherever it sits."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("kla.")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "kla":
                found += [(node.lineno, f"kla.{alias.name}") for alias in node.names]
            elif node.module.startswith("kla."):
                # "from kla.reports import views" imports the views module itself
                found += [(node.lineno, node.module)]
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names if alias.name == "views"]
    return found


def _violation(app: str, path: Path, target: str) -> str | None:
    parts = target.split(".")
    other = parts[1]
    if other == app:
        return None
    rel = path.relative_to(ROOT)
    if other not in RANK:
        return f"{rel} imports {target}: kla.{other} has no place in LAYERS"
    if app == "core":
        return f"{rel} imports {target}: core is plumbing and imports no other app"
    if len(parts) > 2 and parts[2] in {"views", "urls"}:
        return f"{rel} imports {target}: another app's views/urls (move what is shared into a non-view module)"
    if other in TOP_ONLY:
        return f"{rel} imports {target}: nothing imports kla.{other}"
    if RANK[other] > RANK[app] and not _is_interface(path):
        return f"{rel} imports {target}: {other} is above {app} (domain modules import only lower apps)"
    return None


def test_every_app_has_a_place():
    missing = [app for app in _apps() if app not in RANK]
    assert not missing, f"add these apps to LAYERS in tests/test_layering.py: {missing}"


def test_imports_run_one_way():
    problems = []
    for app in _apps():
        for path in _modules(app):
            for line, target in _kla_imports(path):
                problem = _violation(app, path, target)
                if problem:
                    problems.append(f"{problem} (line {line})")
    assert not problems, "layering broken:\n" + "\n".join(sorted(problems))


def test_the_checker_sees_a_violation(tmp_path: Path):
    """The rule itself: a lower domain module importing a higher app is reported, an interface module is not."""
    services = KLA / "regions" / "services.py"
    views = KLA / "regions" / "views.py"
    assert _violation("regions", services, "kla.accounts.passwords")
    assert _violation("regions", views, "kla.accounts.access") is None
    assert _violation("regions", views, "kla.accounts.views")
    assert _violation("core", KLA / "core" / "http.py", "kla.accounts.models")
    assert _violation("evaluations", KLA / "evaluations" / "views.py", "kla.api.v1")
    assert _violation("results", KLA / "results" / "selectors.py", "kla.evaluations.models") is None
