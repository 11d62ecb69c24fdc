"""Mutation testing of the pure rule modules, with a fresh process for every survivor (standard library only).

mutmut 3 (configured in ``[tool.mutmut]`` of pyproject.toml) copies ``kla`` into ``var/mutation/mutants`` with every
mutant behind a trampoline, then runs each mutant's tests in a worker forked from one process that has already
imported everything and run the suite once. Whatever was computed at import time or cached there (a module-level
table, a ``functools.cache`` of the bundled instrument in a test file) was computed by the original code, so a
mutant that only shows through such an object survives there. This driver therefore re-tests every mutant mutmut
did not kill in a new ``pytest`` process with the mutant active from the start (``MUTANT_UNDER_TEST=<name>``, which
mutmut's trampoline reads), on the database-free test files that exercise the module. Then it prints per module:
mutants, killed, survived, equivalent, score, and the surviving mutants with their change.

A survivor that no test can kill because it does not change behaviour is listed, with its change and the reason,
in ``tests/mutation_equivalents.toml``. A module fails below 95 % killed unless every survivor is listed there.

    python bin/mutation.py [MODULE ...] [--jobs N] [--fresh-only]

MODULE is a file stem (``seal``), a package (``inspection``), a dotted name or a path; default: every module of
``only_mutate``. Exit status: 0 every module passes; 1 a module fails; 2 the run itself failed (a test that fails
without any mutant, a pure module missing from the configuration, mutmut stopped).
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.toml"
PURE_LIST = ROOT / "tests" / "test_pure_modules.py"
THRESHOLD = 95.0
LINKED = ("kla", "config", "tests", "conftest.py", "manage.py")  # what mutmut copies into mutants/

# mutmut's exit codes per mutant (mutmut/stats.py): these count as found by the tests.
DETECTED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout",
            -11: "segfault", -9: "segfault", 37: "type check"}  # fmt: skip
NOT_COUNTED = {34}  # skipped ("pragma: no mutate")


class RunFailed(Exception):
    """The run cannot give a trustworthy result (configuration, a failing clean run, mutmut stopped)."""


@dataclass(frozen=True)
class Config:
    paths: list[str]  # the modules to mutate, relative to ROOT
    tests: list[str]  # database-free test files or node ids
    pytest_args: list[str]


@dataclass
class Mutant:
    name: str  # kla.evaluations.seal.x_visible_stages__mutmut_3
    path: str  # kla/evaluations/seal.py
    verdict: str  # killed, survived, or why mutmut did not count it
    fresh: bool = False  # killed only in a fresh process
    change: str = ""  # the changed line(s): "old → new"
    equivalent: str = ""  # the reason listed in tests/mutation_equivalents.toml


@dataclass
class ModuleResult:
    path: str
    mutants: int = 0
    killed: int = 0
    fresh: int = 0
    survivors: list[Mutant] = field(default_factory=list)

    @property
    def equivalent(self) -> int:
        return sum(1 for m in self.survivors if m.equivalent)

    @property
    def score(self) -> float:
        return 100.0 if self.mutants == 0 else 100.0 * self.killed / self.mutants

    @property
    def passes(self) -> bool:
        return self.score >= THRESHOLD or all(m.equivalent for m in self.survivors)


# --- configuration ------------------------------------------------------------------------------------------------


def load_config(pyproject: Path = ROOT / "pyproject.toml", root: Path = ROOT) -> Config:
    """The modules (``only_mutate`` globs expanded) and tests of ``[tool.mutmut]``."""
    section = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["mutmut"]
    paths = sorted(
        {
            str(p.relative_to(root))
            for pattern in section["only_mutate"]
            for p in root.glob(pattern)
            if p.suffix == ".py"
        }
    )
    return Config(
        paths, list(section["pytest_add_cli_args_test_selection"]), list(section.get("pytest_add_cli_args", []))
    )


def pure_modules(path: Path = PURE_LIST) -> list[str]:
    """The PURE list of tests/test_pure_modules.py, read without importing it."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "PURE" for t in node.targets):
            return [str(v) for v in ast.literal_eval(node.value)]
    raise RunFailed(f"{path}: no PURE list")


def unconfigured(pure: Iterable[str], configured: Iterable[str]) -> list[str]:
    """Pure modules that mutation testing would skip."""
    return sorted(set(pure) - set(configured))


def select(paths: Sequence[str], wanted: Sequence[str]) -> list[str]:
    """The configured paths a user's names refer to: a stem (seal), a folder (inspection), a dotted name, a path."""
    if not wanted:
        return list(paths)
    chosen: list[str] = []
    for name in wanted:
        hits = [p for p in paths if _matches(p, name)]
        if not hits:
            raise RunFailed(f"no module '{name}' in [tool.mutmut] only_mutate")
        chosen += [p for p in hits if p not in chosen]
    return chosen


def _matches(path: str, name: str) -> bool:
    name = name.removesuffix(".py").replace(".", "/")
    parts = path.removesuffix(".py").split("/")
    return path.removesuffix(".py") == name or parts[-1] == name or name in parts[:-1]


def module_of(path: str) -> str:
    """kla/evidence/inspection/__init__.py → kla.evidence.inspection (as mutmut names mutants)."""
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


# --- results ------------------------------------------------------------------------------------------------------


def verdict_of(exit_code: int | None) -> str:
    if exit_code in DETECTED:
        return "killed"
    if exit_code in NOT_COUNTED:
        return "skipped"
    return {0: "survived", 33: "no tests", 5: "no tests", None: "not checked"}.get(exit_code, "suspicious")


def read_mutants(path: str, work: Path = WORK) -> list[Mutant]:
    meta = work / "mutants" / f"{path}.meta"
    if not meta.exists():
        return []
    codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return [Mutant(name, path, verdict_of(code)) for name, code in sorted(codes.items(), key=lambda kv: _order(kv[0]))]


def _order(name: str) -> tuple[str, int]:
    function, _, number = name.rpartition("__mutmut_")
    return function, int(number) if number.isdigit() else 0


def tests_for(module: str, stats: dict[str, list[str]], selection: Sequence[str]) -> list[str]:
    """The selection entries in the test files that exercised any function of `module` (all when none did).

    Whole files, not single tests: a file's module-level objects and caches are rebuilt with the mutant active.
    """
    files = {test.split("::")[0] for key, tests in stats.items() if key.startswith(module + ".") for test in tests}
    chosen = [entry for entry in selection if entry.split("::")[0] in files]
    return chosen or list(selection)


def load_equivalents(path: Path = EQUIVALENTS) -> dict[str, dict[str, str]]:
    """``["<mutant>"]`` tables with ``change`` (as printed in the survivor list) and ``reason``."""
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for name, entry in data.items():
        if not str(entry.get("reason", "")).strip() or "change" not in entry:
            raise RunFailed(f"{path.name}: {name} needs a 'change' and a 'reason'")
    return data


def apply_equivalents(results: Iterable[ModuleResult], listed: dict[str, dict[str, str]]) -> list[str]:
    """Mark listed survivors as equivalent; return the entries that no longer match a survivor (stale)."""
    used: set[str] = set()
    for result in results:
        for mutant in result.survivors:
            entry = listed.get(mutant.name)
            if entry is not None and entry["change"] == mutant.change:
                mutant.equivalent = entry["reason"]
                used.add(mutant.name)
    return sorted(set(listed) - used)


def change_of(mutated_source: str, name: str) -> str:
    """The lines a mutant changes, ``old → new`` (several joined with `` | ``), from the mutated file's text."""
    function = name.rpartition(".")[2]
    orig_name = function.rpartition("__mutmut_")[0] + "__mutmut_orig"
    functions = {
        node.name: ast.get_source_segment(mutated_source, node) or ""
        for node in ast.walk(ast.parse(mutated_source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in (function, orig_name)
    }
    before = functions.get(orig_name, "").replace(orig_name, function).splitlines()
    after = functions.get(function, "").splitlines()
    diff = [line for line in difflib.unified_diff(before, after, lineterm="", n=0) if line[:1] in "+-"]
    removed = [line[1:].strip() for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in diff if line.startswith("+") and not line.startswith("+++")]
    return f"{' | '.join(removed)} → {' | '.join(added)}"


# --- running ------------------------------------------------------------------------------------------------------


def prepare(work: Path = WORK) -> None:
    """A fresh work directory: the sources linked, pyproject copied, no mutants (stale results hide changes)."""
    work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work / "mutants", ignore_errors=True)
    for name in LINKED:
        link = work / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(ROOT / name)
    shutil.copyfile(ROOT / "pyproject.toml", work / "pyproject.toml")


def run_mutmut(paths: Sequence[str], jobs: int, everything: bool, work: Path = WORK) -> None:
    names = [] if everything else [f"{module_of(p)}.*" for p in paths]
    command = [str(Path(sys.executable).with_name("mutmut")), "run", "--max-children", str(jobs), *names]
    log = work / "mutmut.log"
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.call(command, cwd=work, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603 (our own venv)
    if code != 0 and not all(read_mutants(p, work) == [] for p in paths):
        raise RunFailed(f"mutmut stopped with exit code {code}; see {log}")


# A fresh process starts in about 2 s instead of 7: only the two plugins the database-free tests use, plain asserts
# (pass or fail is all a mutant needs; rewriting every plugin module took most of the start), and compiled modules
# kept between runs in var/mutation/pycache (this environment sets PYTHONDONTWRITEBYTECODE).
PLUGINS = ("pytest_django.plugin", "_hypothesis_pytestplugin")


def pytest_command(tests: Sequence[str], config: Config) -> list[str]:
    plugins = [arg for name in PLUGINS for arg in ("-p", name)]
    return [sys.executable, "-m", "pytest", "--rootdir=.", "-x", "-q", "--tb=no", "--assert=plain", *plugins,
            *config.pytest_args, *tests]  # fmt: skip


def fresh_env(mutant: str, work: Path = WORK) -> dict[str, str]:
    env = {**os.environ, "MUTANT_UNDER_TEST": mutant, "PY_IGNORE_IMPORTMISMATCH": "1"}
    env |= {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def fresh_run(mutant: str, tests: Sequence[str], config: Config, timeout: float, work: Path = WORK) -> int:
    """Exit code of the tests in a new process with `mutant` active ("" = none); -1 on timeout."""
    env = fresh_env(mutant, work)
    try:
        done = subprocess.run(  # noqa: S603 (this Python, test names from pyproject.toml)
            pytest_command(tests, config), cwd=work / "mutants", env=env, capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return -1
    return done.returncode


def fresh_verdict(exit_code: int) -> str:
    """Any failure is the mutant's doing: the same tests passed in a fresh process without it (`_clean_run`).

    1 a test failed, 2 collection broke (an import), 3 internal error, 4 pytest-django could not load the settings
    (a mutant in a module they import), 5 no test left, -1 timeout.
    """
    return "survived" if exit_code == 0 else "killed"


def retest(
    mutants: list[Mutant], plan: dict[str, list[str]], config: Config, jobs: int, timeout: float, work: Path = WORK,
    run: Callable[..., int] = fresh_run,
) -> None:  # fmt: skip
    """Re-test every mutant mutmut did not kill in a fresh process, on its module's tests (`plan`)."""
    done = 0

    def one(mutant: Mutant) -> None:
        nonlocal done
        if fresh_verdict(run(mutant.name, plan[mutant.path], config, timeout, work)) == "killed":
            mutant.verdict, mutant.fresh = "killed", True
        else:
            mutant.verdict = "survived"
        done += 1
        if done % 25 == 0:
            print(f"  {done}/{len(mutants)}", flush=True)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, mutants))


def test_plan(paths: Iterable[str], selection: Sequence[str], work: Path = WORK) -> dict[str, list[str]]:
    """The tests each module's survivors are re-run with, from the associations mutmut recorded."""
    stats_file = work / "mutants" / "mutmut-stats.json"
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else {}
    by_function: dict[str, list[str]] = stats.get("tests_by_mangled_function_name", {})
    return {path: tests_for(module_of(path), by_function, selection) for path in paths}


def collect(paths: Sequence[str], work: Path = WORK) -> tuple[list[ModuleResult], list[Mutant]]:
    """Per-module results from mutmut, and the mutants to re-test in a fresh process."""
    results, pending = [], []
    for path in paths:
        mutants = [m for m in read_mutants(path, work) if m.verdict != "skipped"]
        results.append(ModuleResult(path, mutants=len(mutants)))
        pending += [m for m in mutants if m.verdict != "killed"]
    return results, pending


def finish(results: list[ModuleResult], mutants_by_path: dict[str, list[Mutant]], work: Path = WORK) -> None:
    for result in results:
        mutants = mutants_by_path.get(result.path, [])
        survivors = [m for m in mutants if m.verdict == "survived"]
        if survivors:
            source = (work / "mutants" / result.path).read_text(encoding="utf-8")
            for mutant in survivors:
                mutant.change = change_of(source, mutant.name)
        result.survivors = survivors
        result.fresh = sum(1 for m in mutants if m.fresh)
        result.killed = result.mutants - len(survivors)


# --- report -------------------------------------------------------------------------------------------------------


def table(results: Sequence[ModuleResult]) -> str:
    head = f"{'module':<40} {'mutants':>7} {'killed':>7} {'fresh':>5} {'survived':>8} {'equiv':>5} {'score':>7}"
    lines = [head, "-" * len(head)]
    for r in results:
        mark = "" if r.passes else "  < 95 %"
        lines.append(
            f"{r.path:<40} {r.mutants:>7} {r.killed:>7} {r.fresh:>5} {len(r.survivors):>8} {r.equivalent:>5} "
            f"{r.score:>6.1f}%{mark}"
        )
    total = ModuleResult("total", sum(r.mutants for r in results), sum(r.killed for r in results))
    total.survivors = [m for r in results for m in r.survivors]
    total.fresh = sum(r.fresh for r in results)
    lines.append(
        f"{'total':<40} {total.mutants:>7} {total.killed:>7} {total.fresh:>5} {len(total.survivors):>8} "
        f"{total.equivalent:>5} {total.score:>6.1f}%"
    )
    return "\n".join(lines)


def survivor_list(results: Sequence[ModuleResult]) -> str:
    lines = []
    for r in results:
        for m in r.survivors:
            tag = "equivalent" if m.equivalent else "SURVIVED"
            lines.append(f"{tag:<10} {m.name}\n           {m.change}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="seal, tally, inspection, kla/results/targets.py …")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--fresh-only",
        action="store_true",
        help="keep var/mutation/mutants from the last run; redo the fresh processes",
    )
    args = parser.parse_args(argv)
    try:
        return _run(args.modules, args.jobs, reuse=args.fresh_only)
    except RunFailed as exc:
        print(f"mutation: {exc}", file=sys.stderr)
        return 2


def _run(wanted: Sequence[str], jobs: int, *, reuse: bool = False) -> int:
    started = time.monotonic()
    config = load_config()
    missing = unconfigured(pure_modules(), config.paths)
    if missing:
        raise RunFailed(f"pure modules without mutation testing (add them to [tool.mutmut]): {', '.join(missing)}")
    paths = select(config.paths, [w for name in wanted for w in name.replace(",", " ").split()])
    listed = load_equivalents()
    if not reuse:
        prepare()
        print(f"mutmut: {len(paths)} modules, {jobs} workers (log: var/mutation/mutmut.log)", flush=True)
        run_mutmut(paths, jobs, everything=len(paths) == len(config.paths))
    mutmut_done = time.monotonic()
    results, pending = collect(paths)
    if pending:
        plan = test_plan({m.path for m in pending}, config.tests)
        baseline = _clean_run(sorted({t for tests in plan.values() for t in tests}, key=config.tests.index), config)
        print(f"fresh processes: {len(pending)} mutants mutmut did not kill", flush=True)
        retest(pending, plan, config, jobs, timeout=max(120.0, 5 * baseline))
    by_path: dict[str, list[Mutant]] = {}
    for mutant in pending:
        by_path.setdefault(mutant.path, []).append(mutant)
    finish(results, by_path)
    stale = apply_equivalents(results, listed)
    return _report(results, stale, started, mutmut_done)


def _clean_run(tests: Sequence[str], config: Config) -> float:
    """The tests pass in a fresh process without a mutant (else a failure says nothing about a mutant)."""
    begin = time.monotonic()
    code = fresh_run("", tests, config, timeout=1800)
    if code != 0:
        raise RunFailed(f"the tests fail in a fresh process without any mutant (exit code {code})")
    return time.monotonic() - begin


def _report(results: list[ModuleResult], stale: list[str], started: float, mutmut_done: float) -> int:
    print()
    print(table(results))
    if any(r.survivors for r in results):
        print("\nSurvivors (change: old → new):")
        print(survivor_list(results))
    if stale:
        print("\nEntries of tests/mutation_equivalents.toml that match no survivor (remove or update them):")
        print("\n".join(f"  {name}" for name in stale))
    elapsed = time.monotonic() - started
    print(f"\nTime: {elapsed / 60:.1f} min (mutmut {(mutmut_done - started) / 60:.1f}, fresh processes "
          f"{(time.monotonic() - mutmut_done) / 60:.1f})")  # fmt: skip
    (WORK / "results.json").write_text(json.dumps([asdict(r) for r in results], indent=2), encoding="utf-8")
    failing = [r.path for r in results if not r.passes]
    if failing:
        print(f"Below {THRESHOLD:.0f} % with survivors not listed as equivalent: {', '.join(failing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
