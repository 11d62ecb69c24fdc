"""Rule modules stay pure: they import no Django, so they run and are tested without a database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE = [
    "kla/regions/levels.py",
    "kla/regions/zones.py",
    "kla/regions/geometry.py",
    "kla/regions/boundary_file.py",
    "kla/agencies/catalogue.py",
    "kla/agencies/rules.py",
    "kla/accounts/roles.py",
    "kla/accounts/totp.py",
    "kla/accounts/recovery.py",
    "kla/accounts/password_words.py",
    "kla/indicators/framework_schema.py",
    "kla/indicators/points.py",
    "kla/indicators/answers.py",
    "kla/indicators/rubrics.py",
    "kla/indicators/scorers.py",
    "kla/indicators/bands.py",
    "kla/indicators/scoring.py",
    "kla/core/validation_messages.py",
    "kla/core/formatting.py",
    "kla/core/marking.py",
    "kla/evaluations/stages.py",
    "kla/evaluations/workflow.py",
    "kla/evaluations/seal.py",
    "kla/evaluations/gate.py",
    "kla/evaluations/next_steps.py",
    "kla/notifications/escalation_rules.py",
    "kla/taskforce/rules.py",
    "kla/taskforce/facts.py",
    "kla/rad/rules.py",
    "kla/rad/analytics.py",
    "kla/rad/spreadsheet_rules.py",
    "kla/rad/spreadsheet_rules_realisation.py",
    "kla/activities/rules.py",
    "kla/verification/tally.py",
    "kla/results/targets.py",
    "kla/results/provila.py",
    "kla/results/outcomes.py",
    "kla/results/tilegrid.py",
    "kla/dashboards/figures.py",
    "kla/verification/letter_text.py",
    "kla/evidence/inspection/__init__.py",
    "kla/evidence/inspection/policy.py",
    "kla/evidence/inspection/formats.py",
    "kla/evidence/inspection/filenames.py",
    "kla/evidence/inspection/refusals.py",
    "kla/evidence/inspection/sniffing.py",
    "kla/evidence/inspection/pipeline.py",
    "kla/evidence/inspection/pdf.py",
    "kla/evidence/inspection/images.py",
    "kla/evidence/inspection/office.py",
    "kla/evidence/inspection/text.py",
    "kla/evidence/inspection/zipfiles.py",
    "kla/evidence/scanning.py",
    "kla/evidence/requirements.py",
    "kla/evidence/sources.py",
    "kla/reports/writers.py",
    "kla/reports/packing.py",
]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("relative", PURE)
def test_pure_module_imports_no_django(relative: str) -> None:
    path = ROOT / relative
    imported = _imports(path)
    assert not {n for n in imported if n == "django" or n.startswith("django.")}, imported
    # and only other pure modules of the project
    project = {n for n in imported if n.startswith("kla.")}
    pure_modules = {p.removesuffix(".py").replace("/", ".") for p in PURE}
    assert project <= pure_modules, project - pure_modules
