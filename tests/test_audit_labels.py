"""Every audit action recorded anywhere has a label, and so does every literal key of the values recorded with it.

The source of every app is read (as `tests/test_layering.py` reads imports):

- every string that looks like an action code (``kla.<noun>.<verb>``) must be labelled in
  `kla.core.audit_labels.ACTION_LABELS`, unless it names a module (a task's name) or is the prefix the code of a
  labelled action is built from (``f"{event}.refused"`` with ``event="kla.taskforce.decree"``);
- an action built at run time (an f-string given as ``action=`` or as an intake ``*_event=``) must be listed in
  `DYNAMIC` with the codes it can produce, and each of those must be labelled;
- every literal key of a ``before=``/``after=`` dict given to ``record`` must be in `FIELD_LABELS`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from kla.core.audit_labels import ACTION_LABELS, FIELD_LABELS, UNKNOWN_ACTION, action_label
from kla.evaluations.workflow import Step

ROOT = Path(__file__).resolve().parents[1]
KLA = ROOT / "kla"
CODE = re.compile(r"^kla(\.[a-z0-9_]+){2,}$")


@cache
def _parsed() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(KLA.rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(KLA).parts)
    ]


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    yield from _parsed()


def _first_args(path: str, function: str) -> list[str]:
    """The literal first arguments of every call of `function` in one module (``_audit("node.added", …)``)."""
    tree = ast.parse((KLA / path).read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == function
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


def _event_prefixes() -> list[str]:
    """The values given as ``event=`` (the task force's documents build ``{event}.refused`` from them)."""
    return [
        kw.value.value
        for _, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == "event" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)
    ]


# The actions built at run time: (module, source of the f-string) -> the codes it can produce.
DYNAMIC: dict[tuple[str, str], Callable[[], list[str]]] = {
    ("verification/services/steps.py", "f'kla.evaluation.{step.value}'"): lambda: [
        f"kla.evaluation.{s.value}" for s in Step
    ],
    ("evidence/services.py", "f'kla.evidence.confirmed_{decision}'"): lambda: [
        "kla.evidence.confirmed_valid",
        "kla.evidence.confirmed_withdrawn",
    ],
    ("rad/services/nodes.py", "f'kla.rad.{action}'"): lambda: [
        f"kla.rad.{a}" for a in _first_args("rad/services/nodes.py", "_audit")
    ],
    ("taskforce/services/documents.py", "f'{event}.refused'"): lambda: [f"{e}.refused" for e in _event_prefixes()],
    ("taskforce/services/documents.py", "f'{event}.store_failed'"): lambda: [
        f"{e}.store_failed" for e in _event_prefixes()
    ],
}


def _is_module(code: str) -> bool:
    parts = code.split(".")
    return any(
        (ROOT.joinpath(*parts[:n]).with_suffix(".py")).exists() or (ROOT.joinpath(*parts[:n]) / "__init__.py").exists()
        for n in range(3, len(parts) + 1)
    )


def _is_prefix(code: str) -> bool:
    return any(label.startswith(code + ".") for label in ACTION_LABELS)


def _is_action_keyword(name: str | None) -> bool:
    return name is not None and (name == "action" or name.endswith("_event"))


def kw_uid(node: ast.keyword) -> bool:
    return node.arg == "dispatch_uid"


def test_every_action_code_in_the_source_has_a_label() -> None:
    missing = []
    for path, tree in _sources():
        # fragments of f-strings are checked through DYNAMIC; a signal receiver's dispatch_uid is no action
        skip = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
        skip |= {id(kw.value) for kw in ast.walk(tree) if isinstance(kw, ast.keyword) and kw_uid(kw)}
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
                code = node.value
                if code not in ACTION_LABELS and not _is_module(code) and not _is_prefix(code):
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {code}")
    assert missing == [], "label these actions in kla/core/audit_labels.py ACTION_LABELS:\n" + "\n".join(missing)


def test_every_action_built_at_run_time_is_listed_and_labelled() -> None:
    found: set[tuple[str, str]] = set()
    unlisted = []
    for path, tree in _sources():
        rel = str(path.relative_to(KLA))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if _is_action_keyword(kw.arg) and isinstance(kw.value, ast.JoinedStr):
                    key = (rel, ast.unparse(kw.value))
                    found.add(key)
                    if key not in DYNAMIC:
                        unlisted.append(f"{rel}:{node.lineno} {key[1]}")
    assert unlisted == [], "list the codes these build in DYNAMIC (tests/test_audit_labels.py):\n" + "\n".join(unlisted)
    assert set(DYNAMIC) <= found, f"DYNAMIC names f-strings no longer in the source: {set(DYNAMIC) - found}"
    codes = [code for expand in DYNAMIC.values() for code in expand()]
    assert len(codes) > len(DYNAMIC), "every f-string expands to at least one code"
    assert [c for c in codes if c not in ACTION_LABELS] == []


def _recorded_keys() -> Iterator[tuple[str, str]]:
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in {"record", "_audit"}:
                continue
            for kw in node.keywords:
                if kw.arg in {"before", "after"} and isinstance(kw.value, ast.Dict):
                    for key in kw.value.keys:
                        if isinstance(key, ast.Constant) and isinstance(key.value, str):
                            yield f"{path.relative_to(ROOT)}:{node.lineno}", key.value


def _audit_view_keys() -> Iterator[tuple[str, str]]:
    """The keys of every model's `audit_view()` (what most events record as their values)."""
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in {"audit_view", "_audit_view", "_fields"}:
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Dict):
                        for key in inner.keys:
                            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                                yield f"{path.relative_to(ROOT)}:{inner.lineno}", key.value


def test_every_recorded_value_has_a_field_label() -> None:
    keys = [*_recorded_keys(), *_audit_view_keys()]
    assert len(keys) > 100, "the scan finds the recorded values"
    missing = sorted({f"{where} {key}" for where, key in keys if key not in FIELD_LABELS})
    assert missing == [], "label these keys in kla/core/audit_labels.py FIELD_LABELS:\n" + "\n".join(missing)


def test_the_scan_sees_a_new_unlabelled_action() -> None:
    """The rule itself: a code not in the registry is neither a module nor a prefix, and reads as a plain label."""
    code = "kla.entry.invented_now"
    assert CODE.match(code) and code not in ACTION_LABELS
    assert not _is_module(code) and not _is_prefix(code)
    assert _is_module("kla.reports.tasks.build_export") and _is_prefix("kla.taskforce.decree")
    assert action_label(code) == str(UNKNOWN_ACTION) and "kla." not in action_label(code)
    assert action_label("kla.answer.saved") == "Jawaban disimpan"
