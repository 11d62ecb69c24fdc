"""bin/mutation.py: which modules a run covers, how mutmut's verdicts and fresh re-runs are read, and the report."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("mutation", ROOT / "bin" / "mutation.py")
assert _spec is not None and _spec.loader is not None
mutation = importlib.util.module_from_spec(_spec)
sys.modules["mutation"] = mutation  # dataclasses look their module up
_spec.loader.exec_module(mutation)

PATHS = [
    "kla/evaluations/seal.py",
    "kla/evidence/inspection/__init__.py",
    "kla/evidence/inspection/pdf.py",
    "kla/evidence/inspection/sniffing.py",
    "kla/indicators/scoring.py",
]

MUTATED = """
def x_gap__mutmut_orig(total, gate):
    target = gate + 1
    return max(0, target - total)


def x_gap__mutmut_1(total, gate):
    target = gate + 2
    return max(0, target - total)


class Scorer:
    def xǁScorerǁscore__mutmut_orig(self, value):
        return value >= 3

    def xǁScorerǁscore__mutmut_2(self, value):
        return value > 3
"""


def test_every_pure_module_is_configured_for_mutation_testing() -> None:
    config = mutation.load_config()
    assert mutation.unconfigured(mutation.pure_modules(), config.paths) == []
    assert "kla/evaluations/seal.py" in config.paths and "kla/indicators/scoring.py" in config.paths
    assert all(Path(ROOT, path).exists() for path in config.paths)
    # only database-free tests: a database test would seed the demo data for every mutant
    assert not any("test_views" in t or "test_services" in t for t in config.tests)


def test_a_pure_module_missing_from_the_configuration_is_named() -> None:
    assert mutation.unconfigured(["kla/a.py", "kla/b.py"], ["kla/a.py"]) == ["kla/b.py"]


@pytest.mark.parametrize(
    ("wanted", "chosen"),
    [
        ([], PATHS),
        (["seal"], ["kla/evaluations/seal.py"]),
        (["seal.py", "kla.indicators.scoring"], ["kla/evaluations/seal.py", "kla/indicators/scoring.py"]),
        (["inspection"], PATHS[1:4]),
        (["kla/evidence/inspection/pdf.py", "pdf"], ["kla/evidence/inspection/pdf.py"]),
    ],
)
def test_modules_are_chosen_by_stem_folder_dotted_name_or_path(wanted: list[str], chosen: list[str]) -> None:
    assert mutation.select(PATHS, wanted) == chosen


def test_an_unknown_module_is_refused() -> None:
    with pytest.raises(mutation.RunFailed, match="no module 'sealed'"):
        mutation.select(PATHS, ["sealed"])


def test_module_names_follow_mutmut() -> None:
    assert mutation.module_of("kla/evaluations/seal.py") == "kla.evaluations.seal"
    assert mutation.module_of("kla/evidence/inspection/__init__.py") == "kla.evidence.inspection"


@pytest.mark.parametrize(
    ("code", "verdict"),
    [(1, "killed"), (3, "killed"), (36, "killed"), (-9, "killed"), (0, "survived"), (33, "no tests"),
     (None, "not checked"), (34, "skipped"), (2, "suspicious"), (99, "suspicious")],
)  # fmt: skip
def test_mutmut_exit_codes(code: int | None, verdict: str) -> None:
    assert mutation.verdict_of(code) == verdict


@pytest.mark.parametrize(
    ("code", "verdict"), [(0, "survived"), (1, "killed"), (2, "killed"), (4, "killed"), (5, "killed"), (-1, "killed")]
)
def test_fresh_process_exit_codes(code: int, verdict: str) -> None:
    # the same tests passed without the mutant, so any failure (even settings that no longer load) is the mutant's
    assert mutation.fresh_verdict(code) == verdict


def test_survivors_rerun_every_selected_test_of_the_files_that_exercise_the_module() -> None:
    stats = {
        "kla.evaluations.seal.x_redact": ["kla/evaluations/tests/test_seal.py::test_redact[a]"],
        "kla.evaluations.seal.x_visible_stages": ["tests/test_other.py::test_x"],
        "kla.evaluations.sealing.x_other": ["kla/evaluations/tests/test_sealing.py::test_y"],
    }
    selection = [
        "kla/evaluations/tests/test_seal.py",
        "kla/evaluations/tests/test_sealing.py",
        "tests/test_other.py::test_x",
        "tests/test_other.py::test_z",
    ]
    assert mutation.tests_for("kla.evaluations.seal", stats, selection) == [
        "kla/evaluations/tests/test_seal.py",
        "tests/test_other.py::test_x",
        "tests/test_other.py::test_z",
    ]
    # a module no test reached at all: everything
    assert mutation.tests_for("kla.regions.levels", stats, selection) == selection


def test_the_change_of_a_mutant_is_read_from_the_mutated_file() -> None:
    assert mutation.change_of(MUTATED, "kla.x.x_gap__mutmut_1") == "target = gate + 1 → target = gate + 2"
    assert mutation.change_of(MUTATED, "kla.x.xǁScorerǁscore__mutmut_2") == "return value >= 3 → return value > 3"


def _result(path: str, mutants: int, survivors: list[str]) -> object:
    result = mutation.ModuleResult(path, mutants=mutants, killed=mutants - len(survivors))
    result.survivors = [mutation.Mutant(name, path, "survived", change=f"a → {name}") for name in survivors]
    return result


def test_a_module_passes_at_95_percent_or_when_every_survivor_is_equivalent() -> None:
    assert _result("a.py", 20, ["m1"]).passes  # 95 %
    assert not _result("a.py", 19, ["m1"]).passes  # 94.7 %
    listed = _result("a.py", 10, ["m1", "m2"])
    stale = mutation.apply_equivalents([listed], {
        "m1": {"change": "a → m1", "reason": "same behaviour"},
        "m2": {"change": "a → m2", "reason": "same behaviour"},
        "m3": {"change": "a → m3", "reason": "gone"},
    })  # fmt: skip
    assert listed.passes and listed.equivalent == 2 and stale == ["m3"]


def test_an_equivalent_entry_whose_change_differs_does_not_count() -> None:
    # mutant numbers shift when a function changes: the recorded change must still match
    result = _result("a.py", 10, ["m1"])
    assert mutation.apply_equivalents([result], {"m1": {"change": "a → other", "reason": "x"}}) == ["m1"]
    assert not result.passes


def test_equivalents_need_a_change_and_a_reason(tmp_path: Path) -> None:
    listing = tmp_path / "equivalents.toml"
    listing.write_text('["kla.x.x_f__mutmut_1"]\nchange = "a → b"\nreason = ""\n', encoding="utf-8")
    with pytest.raises(mutation.RunFailed, match="reason"):
        mutation.load_equivalents(listing)
    assert mutation.load_equivalents(tmp_path / "missing.toml") == {}


def test_the_listed_equivalents_are_well_formed_and_name_real_modules() -> None:
    config = mutation.load_config()
    modules = {mutation.module_of(p) for p in config.paths}
    for name in mutation.load_equivalents():
        assert name.rpartition(".")[0] in modules, name
        assert "__mutmut_" in name


def test_the_table_shows_each_module_and_the_total() -> None:
    text = mutation.table([_result("kla/a.py", 20, ["m1"]), _result("kla/b.py", 10, ["m2", "m3"])])
    lines = text.splitlines()
    assert lines[2].split() == ["kla/a.py", "20", "19", "0", "1", "0", "95.0%"]
    assert lines[3].split()[:7] == ["kla/b.py", "10", "8", "0", "2", "0", "80.0%"] and "< 95 %" in lines[3]
    assert lines[4].split() == ["total", "30", "27", "0", "3", "0", "90.0%"]


def test_a_fresh_process_gets_the_mutant_its_two_plugins_and_a_bytecode_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    env = mutation.fresh_env("kla.x.x_f__mutmut_1", Path("/tmp/work"))
    assert env["MUTANT_UNDER_TEST"] == "kla.x.x_f__mutmut_1"
    assert env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] == "1" and env["PYTHONPYCACHEPREFIX"] == "/tmp/work/pycache"
    assert "PYTHONDONTWRITEBYTECODE" not in env
    config = mutation.Config(["kla/x.py"], ["kla/tests/test_x.py"], ["--hypothesis-seed=0"])
    command = mutation.pytest_command(["kla/tests/test_x.py"], config)
    assert command[1:3] == ["-m", "pytest"] and "--assert=plain" in command
    assert command[-2:] == ["--hypothesis-seed=0", "kla/tests/test_x.py"]
    assert [command[i + 1] for i, arg in enumerate(command) if arg == "-p"] == list(mutation.PLUGINS)
