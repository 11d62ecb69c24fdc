"""The evaluation workflow as data: the paths a cycle's configuration allows, who acts, and why a step is refused."""

from __future__ import annotations

import datetime as dt
from collections import deque
from decimal import Decimal as D
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kla.accounts.roles import ROLES, Role
from kla.core.formatting import WITA
from kla.evaluations.stages import STAGE_LABELS, Stage
from kla.evaluations.workflow import (
    FINAL_STATES,
    STATE_LABELS,
    STEP_LABELS,
    FieldRule,
    State,
    Step,
    Transition,
    WorkflowConfig,
    available,
    needs_field_verification,
    refusal,
    transition,
    transitions_for,
)
from kla.indicators.framework_schema import FrameworkSpec, parse_framework
from kla.indicators.scoring import BandRule

FRAMEWORK = Path(__file__).resolve().parents[2] / "indicators" / "frameworks" / "kla-2024.yaml"
FAST = settings(max_examples=200, deadline=None)
NOW = dt.datetime(2024, 7, 23, 10, 0, tzinfo=dt.UTC)
DEFAULT = WorkflowConfig()
NO_PROVINCE = WorkflowConfig(province_review=False)
NO_FIELD = WorkflowConfig(field_rule=FieldRule.NONE)


@cache
def bundled() -> FrameworkSpec:
    return parse_framework(yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8")))


@cache
def bands() -> tuple[BandRule, ...]:
    return tuple(BandRule(b.code, b.name, b.min, b.max) for b in bundled().bands)


@cache
def gate() -> D:
    return D(bundled().gate.min_exclusive)


def walk(config: WorkflowConfig, steps: list[Step], *, em: D = D(750)) -> State:
    """Take `steps` from DRAFT, each by its own actor, checking that `refusal` lets every one through."""
    state = State.DRAFT
    for step in steps:
        found = transition(config, step)
        assert found is not None, step
        problem = refusal(
            config, step, state=state, roles={found.actor}, now=NOW, em_score=em, gate_min_exclusive=gate()
        )
        assert problem is None, (step, problem)
        state = found.target
    return state


def reachable(config: WorkflowConfig) -> set[State]:
    seen = {State.DRAFT}
    queue = deque([State.DRAFT])
    while queue:
        for t in available(config, queue.popleft()):
            if t.target not in seen:
                seen.add(t.target)
                queue.append(t.target)
    return seen


# --- the framework the tests rely on ------------------------------------------------------------------------------


def test_bundled_bands_and_gate_are_the_ones_the_tests_assume() -> None:
    assert [(b.code, b.min_score, b.max_score) for b in bands()] == [
        ("pratama", 500, 600),
        ("madya", 601, 700),
        ("nindya", 701, 800),
        ("utama", 801, 900),
        ("kla", 901, 1000),
    ]
    assert gate() == 500


# --- the default configuration -----------------------------------------------------------------------------------


def test_default_config_uses_province_review_and_level_change() -> None:
    assert DEFAULT.province_review is True
    assert DEFAULT.field_rule == FieldRule.LEVEL_CHANGE
    assert dict(DEFAULT.actors) == {}
    assert WorkflowConfig.from_json(None) == DEFAULT
    assert WorkflowConfig.from_json({}) == DEFAULT


DEFAULT_TABLE: list[tuple[Step, State, State, Role, Stage, bool]] = [
    (Step.SUBMIT, State.DRAFT, State.SUBMITTED, Role.SECRETARIAT, Stage.SELF_ASSESSMENT, False),
    (
        Step.START_PROVINCE_REVIEW,
        State.SUBMITTED,
        State.PROVINCE_REVIEW,
        Role.PROVINCE_REVIEWER,
        Stage.PROVINCE_REVIEW,
        True,
    ),
    (Step.PROPOSE, State.PROVINCE_REVIEW, State.PROPOSED, Role.PROVINCE_REVIEWER, Stage.PROVINCE_REVIEW, False),
    (
        Step.START_MINISTRY_REVIEW,
        State.PROPOSED,
        State.MINISTRY_REVIEW,
        Role.MINISTRY_VERIFIER,
        Stage.ADMIN_VERIFICATION,
        False,
    ),
    (
        Step.SKIP_FIELD,
        State.MINISTRY_REVIEW,
        State.FINAL_VERIFICATION,
        Role.MINISTRY_VERIFIER,
        Stage.ADMIN_VERIFICATION,
        False,
    ),
    (Step.DETERMINE, State.FINAL_VERIFICATION, State.DETERMINED, Role.MINISTRY_ADMIN, Stage.FINAL, False),
    (Step.PUBLISH, State.DETERMINED, State.PUBLISHED, Role.MINISTRY_ADMIN, Stage.ANNOUNCEMENT, False),
    (
        Step.START_FIELD,
        State.MINISTRY_REVIEW,
        State.FIELD_VERIFICATION,
        Role.MINISTRY_VERIFIER,
        Stage.ADMIN_VERIFICATION,
        False,
    ),
    (
        Step.FINISH_FIELD,
        State.FIELD_VERIFICATION,
        State.FINAL_VERIFICATION,
        Role.FIELD_VERIFIER,
        Stage.FIELD_VERIFICATION,
        False,
    ),
]


@pytest.mark.parametrize(("step", "source", "target", "actor", "deadline", "gated"), DEFAULT_TABLE)
def test_default_config_step(
    step: Step, source: State, target: State, actor: Role, deadline: Stage, gated: bool
) -> None:
    found = transition(DEFAULT, step)
    assert found is not None
    assert (found.source, found.target, found.actor, found.deadline, found.needs_gate) == (
        source,
        target,
        actor,
        deadline,
        gated,
    )
    assert found.label


def test_default_config_uses_every_step_once() -> None:
    steps = [t.step for t in transitions_for(DEFAULT)]
    assert sorted(steps) == sorted(Step)


def test_default_full_path_with_field_verification() -> None:
    steps = [
        Step.SUBMIT,
        Step.START_PROVINCE_REVIEW,
        Step.PROPOSE,
        Step.START_MINISTRY_REVIEW,
        Step.START_FIELD,
        Step.FINISH_FIELD,
        Step.DETERMINE,
        Step.PUBLISH,
    ]
    assert walk(DEFAULT, steps) == State.PUBLISHED


def test_default_full_path_skipping_field_verification() -> None:
    steps = [
        Step.SUBMIT,
        Step.START_PROVINCE_REVIEW,
        Step.PROPOSE,
        Step.START_MINISTRY_REVIEW,
        Step.SKIP_FIELD,
        Step.DETERMINE,
        Step.PUBLISH,
    ]
    assert walk(DEFAULT, steps) == State.PUBLISHED


def test_default_path_visits_the_states_in_order() -> None:
    visited = [State.DRAFT]
    for step in (Step.SUBMIT, Step.START_PROVINCE_REVIEW, Step.PROPOSE, Step.START_MINISTRY_REVIEW, Step.START_FIELD):
        found = transition(DEFAULT, step)
        assert found is not None and found.source == visited[-1]
        visited.append(found.target)
    assert visited == [
        State.DRAFT,
        State.SUBMITTED,
        State.PROVINCE_REVIEW,
        State.PROPOSED,
        State.MINISTRY_REVIEW,
        State.FIELD_VERIFICATION,
    ]


def test_ministry_review_offers_field_or_skip() -> None:
    assert {t.step for t in available(DEFAULT, State.MINISTRY_REVIEW)} == {Step.START_FIELD, Step.SKIP_FIELD}
    assert [t.step for t in available(DEFAULT, State.DRAFT)] == [Step.SUBMIT]
    assert [t.step for t in available(DEFAULT, State.SUBMITTED)] == [Step.START_PROVINCE_REVIEW, Step.STOP_AT_GATE]
    assert available(DEFAULT, State.PUBLISHED) == []
    assert available(DEFAULT, State.BELOW_GATE) == []


# --- without province review -------------------------------------------------------------------------------------


def test_without_province_review_the_ministry_starts_from_submitted_with_the_gate() -> None:
    assert transition(NO_PROVINCE, Step.START_PROVINCE_REVIEW) is None
    assert transition(NO_PROVINCE, Step.PROPOSE) is None
    found = transition(NO_PROVINCE, Step.START_MINISTRY_REVIEW)
    assert found is not None
    assert (found.source, found.target, found.actor, found.needs_gate) == (
        State.SUBMITTED,
        State.MINISTRY_REVIEW,
        Role.MINISTRY_VERIFIER,
        True,
    )
    assert [t.step for t in available(NO_PROVINCE, State.SUBMITTED)] == [Step.START_MINISTRY_REVIEW, Step.STOP_AT_GATE]
    assert State.PROVINCE_REVIEW not in reachable(NO_PROVINCE)
    assert State.PROPOSED not in reachable(NO_PROVINCE)


def test_with_province_review_the_ministry_step_has_no_gate() -> None:
    found = transition(DEFAULT, Step.START_MINISTRY_REVIEW)
    assert found is not None and not found.needs_gate
    low = refusal(
        DEFAULT,
        Step.START_MINISTRY_REVIEW,
        state=State.PROPOSED,
        roles={Role.MINISTRY_VERIFIER},
        now=NOW,
        em_score=D(100),
        gate_min_exclusive=gate(),
    )
    assert low is None  # the province already applied the gate


def test_without_province_review_full_path() -> None:
    steps = [Step.SUBMIT, Step.START_MINISTRY_REVIEW, Step.START_FIELD, Step.FINISH_FIELD, Step.DETERMINE, Step.PUBLISH]
    assert walk(NO_PROVINCE, steps) == State.PUBLISHED


def test_without_province_review_gate_refuses_low_em() -> None:
    problem = refusal(
        NO_PROVINCE,
        Step.START_MINISTRY_REVIEW,
        state=State.SUBMITTED,
        roles={Role.MINISTRY_VERIFIER},
        now=NOW,
        em_score=D(500),
        gate_min_exclusive=gate(),
    )
    assert problem == GATE_REFUSAL % "500"


def test_without_province_review_the_province_steps_are_refused_as_unused() -> None:
    for step in (Step.START_PROVINCE_REVIEW, Step.PROPOSE):
        problem = refusal(
            NO_PROVINCE,
            step,
            state=State.SUBMITTED,
            roles=set(Role),
            now=NOW,
            em_score=D(900),
            gate_min_exclusive=gate(),
        )
        assert problem == f'Siklus ini tidak memakai langkah "{STEP_LABELS[step]}".'
    assert STEP_LABELS[Step.PROPOSE] == "Usulkan ke Kementerian"


# --- field rule none ---------------------------------------------------------------------------------------------


def test_field_rule_none_removes_the_field_steps() -> None:
    assert transition(NO_FIELD, Step.START_FIELD) is None
    assert transition(NO_FIELD, Step.FINISH_FIELD) is None
    assert [t.step for t in available(NO_FIELD, State.MINISTRY_REVIEW)] == [Step.SKIP_FIELD]
    assert State.FIELD_VERIFICATION not in reachable(NO_FIELD)
    assert all(State.FIELD_VERIFICATION not in (t.source, t.target) for t in transitions_for(NO_FIELD))
    steps = [
        Step.SUBMIT,
        Step.START_PROVINCE_REVIEW,
        Step.PROPOSE,
        Step.START_MINISTRY_REVIEW,
        Step.SKIP_FIELD,
        Step.DETERMINE,
        Step.PUBLISH,
    ]
    assert walk(NO_FIELD, steps) == State.PUBLISHED


def test_field_rule_none_refuses_start_field() -> None:
    problem = refusal(NO_FIELD, Step.START_FIELD, state=State.MINISTRY_REVIEW, roles=set(Role), now=NOW)
    assert (
        problem == 'Siklus ini tidak memakai langkah "Selesai verifikasi administrasi, lanjut ke verifikasi lapangan".'
    )


@pytest.mark.parametrize("rule", [FieldRule.ALL, FieldRule.LEVEL_CHANGE])
def test_field_rules_other_than_none_keep_the_field_steps(rule: FieldRule) -> None:
    config = WorkflowConfig(field_rule=rule)
    assert transition(config, Step.START_FIELD) is not None
    assert transition(config, Step.FINISH_FIELD) is not None
    assert State.FIELD_VERIFICATION in reachable(config)


def test_minimal_config_path() -> None:
    config = WorkflowConfig(province_review=False, field_rule=FieldRule.NONE)
    assert [t.step for t in transitions_for(config)] == [
        Step.SUBMIT,
        Step.START_MINISTRY_REVIEW,
        Step.SKIP_FIELD,
        Step.DETERMINE,
        Step.PUBLISH,
        Step.STOP_AT_GATE,
    ]
    assert walk(config, [t.step for t in transitions_for(config)][:-1]) == State.PUBLISHED


# --- actor overrides ---------------------------------------------------------------------------------------------


def test_actor_override_replaces_only_that_step() -> None:
    config = WorkflowConfig(actors={Step.FINISH_FIELD: Role.MINISTRY_VERIFIER, Step.PUBLISH: Role.MINISTRY_VERIFIER})
    by_step = {t.step: t for t in transitions_for(config)}
    defaults = {t.step: t for t in transitions_for(DEFAULT)}
    assert by_step[Step.FINISH_FIELD].actor == Role.MINISTRY_VERIFIER
    assert by_step[Step.PUBLISH].actor == Role.MINISTRY_VERIFIER
    for step, found in by_step.items():
        default = defaults[step]
        assert (found.source, found.target, found.deadline, found.label, found.needs_gate) == (
            default.source,
            default.target,
            default.deadline,
            default.label,
            default.needs_gate,
        )
        if step not in (Step.FINISH_FIELD, Step.PUBLISH):
            assert found.actor == default.actor


def test_actor_override_changes_who_may_act() -> None:
    config = WorkflowConfig(actors={Step.FINISH_FIELD: Role.MINISTRY_VERIFIER})
    kwargs: dict[str, Any] = {"state": State.FIELD_VERIFICATION, "now": NOW}
    assert refusal(config, Step.FINISH_FIELD, roles={Role.MINISTRY_VERIFIER}, **kwargs) is None
    problem = refusal(config, Step.FINISH_FIELD, roles={Role.FIELD_VERIFIER}, **kwargs)
    assert problem is not None and ROLES[Role.MINISTRY_VERIFIER].label in problem
    assert refusal(DEFAULT, Step.FINISH_FIELD, roles={Role.FIELD_VERIFIER}, **kwargs) is None


def test_actor_override_from_json() -> None:
    config = WorkflowConfig.from_json({"actors": {"determine": "ministry_verifier"}})
    found = transition(config, Step.DETERMINE)
    assert found is not None and found.actor == Role.MINISTRY_VERIFIER
    assert config.actors == {Step.DETERMINE: Role.MINISTRY_VERIFIER}


def test_actor_override_for_an_unused_step_is_harmless() -> None:
    config = WorkflowConfig(province_review=False, actors={Step.PROPOSE: Role.MINISTRY_ADMIN})
    assert transition(config, Step.PROPOSE) is None
    assert [t.actor for t in transitions_for(config)] == [t.actor for t in transitions_for(NO_PROVINCE)]


# --- from_json / to_json -----------------------------------------------------------------------------------------


def test_from_json_reads_every_field() -> None:
    config = WorkflowConfig.from_json(
        {
            "province_review": False,
            "field_rule": "all",
            "actors": {"submit": "opd_operator", "publish": "ministry_admin"},
        }
    )
    assert config == WorkflowConfig(
        province_review=False,
        field_rule=FieldRule.ALL,
        actors={Step.SUBMIT: Role.OPD_OPERATOR, Step.PUBLISH: Role.MINISTRY_ADMIN},
    )
    assert isinstance(config.field_rule, FieldRule)
    assert all(isinstance(s, Step) and isinstance(r, Role) for s, r in config.actors.items())


def test_from_json_accepts_null_actors() -> None:
    assert WorkflowConfig.from_json({"actors": None}) == DEFAULT


def test_from_json_unknown_keys_are_named_sorted() -> None:
    with pytest.raises(ValueError, match=r"^Konfigurasi alur tidak dikenal: extra, zeta\.$"):
        WorkflowConfig.from_json({"zeta": 1, "extra": 2, "province_review": True})


@pytest.mark.parametrize("rule", ["some", "", "ALL", None, 3, ["all"]])
def test_from_json_bad_field_rule(rule: Any) -> None:
    with pytest.raises(ValueError, match="field_rule harus salah satu dari: all, level_change, level_rise, none"):
        WorkflowConfig.from_json({"field_rule": rule})


@pytest.mark.parametrize(
    ("actors", "step", "role"),
    [
        ({"submit": "king"}, "submit", "king"),
        ({"launch": "secretariat"}, "launch", "secretariat"),
        ({"submit": None}, "submit", "None"),
        ({"SUBMIT": "secretariat"}, "SUBMIT", "secretariat"),
    ],
)
def test_from_json_bad_actor_or_step(actors: dict[str, Any], step: str, role: str) -> None:
    with pytest.raises(ValueError) as caught:
        WorkflowConfig.from_json({"actors": actors})
    message = str(caught.value)
    assert message.startswith("actors:")
    assert f"'{step}'" in message and f"'{role}'" in message


@pytest.mark.parametrize("actors", [5, "submit", ["submit", "secretariat"], [["submit", "secretariat"]], True])
def test_from_json_actors_must_be_a_mapping(actors: Any) -> None:
    # A malformed stored value is refused with the same kind of message as every other bad field (not a TypeError
    # or Python's own English ValueError, and a list of pairs is not silently read as a mapping).
    with pytest.raises(ValueError, match=r"^actors harus berupa pemetaan langkah → peran\.$"):
        WorkflowConfig.from_json({"actors": actors})


@pytest.mark.parametrize("value", [1, 0, "true", "false", None, "yes", [True]])
def test_from_json_province_review_must_be_bool(value: Any) -> None:
    with pytest.raises(ValueError, match=r"^province_review harus true atau false\.$"):
        WorkflowConfig.from_json({"province_review": value})


def test_to_json_shape() -> None:
    config = WorkflowConfig(
        province_review=False, field_rule=FieldRule.NONE, actors={Step.DETERMINE: Role.MINISTRY_VERIFIER}
    )
    assert config.to_json() == {
        "province_review": False,
        "field_rule": "none",
        "actors": {"determine": "ministry_verifier"},
    }
    assert DEFAULT.to_json() == {"province_review": True, "field_rule": "level_change", "actors": {}}


configs = st.builds(
    WorkflowConfig,
    province_review=st.booleans(),
    field_rule=st.sampled_from(FieldRule),
    actors=st.dictionaries(st.sampled_from(Step), st.sampled_from(Role)),
)


@FAST
@given(configs)
def test_to_json_round_trip(config: WorkflowConfig) -> None:
    stored = config.to_json()
    assert WorkflowConfig.from_json(stored) == config
    assert WorkflowConfig.from_json(stored).to_json() == stored
    assert all(isinstance(v, str) for v in stored["actors"].values())


# --- refusal -----------------------------------------------------------------------------------------------------


def test_refusal_wrong_state_names_both_stages() -> None:
    problem = refusal(DEFAULT, Step.PROPOSE, state=State.DRAFT, roles={Role.PROVINCE_REVIEWER}, now=NOW)
    assert problem is not None
    assert STATE_LABELS[State.PROVINCE_REVIEW] in problem  # where the step belongs
    assert STATE_LABELS[State.DRAFT] in problem  # where the evaluation is
    assert "Usulkan ke Kementerian" in problem


def test_refusal_wrong_state_is_checked_before_role() -> None:
    problem = refusal(DEFAULT, Step.PUBLISH, state=State.DRAFT, roles=set(), now=NOW)
    assert problem is not None and STATE_LABELS[State.DETERMINED] in problem


@pytest.mark.parametrize("step", list(Step))
def test_refusal_wrong_role_names_the_role_label(step: Step) -> None:
    found = transition(DEFAULT, step)
    assert found is not None
    others = set(Role) - {found.actor}
    problem = refusal(DEFAULT, step, state=found.source, roles=others, now=NOW)
    assert problem == f'Langkah "{found.label}" dilakukan oleh {ROLES[found.actor].label}.'
    assert refusal(DEFAULT, step, state=found.source, roles=set(), now=NOW) == problem
    assert refusal(DEFAULT, step, state=found.source, roles=others | {found.actor}, now=NOW) is None


def test_refusal_accepts_roles_as_any_iterable() -> None:
    roles = iter([Role.OPD_OPERATOR, Role.SECRETARIAT])
    assert refusal(DEFAULT, Step.SUBMIT, state=State.DRAFT, roles=roles, now=NOW) is None


def test_refusal_deadline_passed() -> None:
    end = dt.datetime(2024, 7, 22, 23, 59, tzinfo=dt.UTC)
    problem = refusal(DEFAULT, Step.SUBMIT, state=State.DRAFT, roles={Role.SECRETARIAT}, now=NOW, deadline_end=end)
    assert problem is not None
    # 23:59 UTC is 06:59 the next morning in Jakarta; the zone is named
    assert problem == (
        "Batas waktu tahap ini sudah lewat (23 Juli 2024 pukul 06.59 WIB). Hubungi Kementerian bila perlu perpanjangan."
    )
    in_makassar = refusal(
        DEFAULT, Step.SUBMIT, state=State.DRAFT, roles={Role.SECRETARIAT}, now=NOW, deadline_end=end, zone=WITA
    )
    assert in_makassar is not None and "23 Juli 2024 pukul 07.59 WITA" in in_makassar


def test_refusal_deadline_boundary_and_future() -> None:
    kwargs: dict[str, Any] = {"state": State.DRAFT, "roles": {Role.SECRETARIAT}, "now": NOW}
    assert refusal(DEFAULT, Step.SUBMIT, deadline_end=NOW, **kwargs) is None  # at the deadline itself: still open
    assert refusal(DEFAULT, Step.SUBMIT, deadline_end=NOW + dt.timedelta(days=1), **kwargs) is None
    assert refusal(DEFAULT, Step.SUBMIT, deadline_end=None, **kwargs) is None
    late = refusal(DEFAULT, Step.SUBMIT, deadline_end=NOW - dt.timedelta(seconds=1), **kwargs)
    assert late is not None and "Batas waktu" in late


def test_refusal_before_the_stage_opens_names_the_stage_and_its_opening() -> None:
    kwargs: dict[str, Any] = {"state": State.SUBMITTED, "roles": {Role.PROVINCE_REVIEWER}, "now": NOW}
    opens = NOW + dt.timedelta(seconds=1)
    early = refusal(DEFAULT, Step.START_PROVINCE_REVIEW, deadline_start=opens, **kwargs)
    found = transition(DEFAULT, Step.START_PROVINCE_REVIEW)
    assert found is not None and found.deadline is not None
    assert early is not None and early.startswith(f"Tahap {STAGE_LABELS[found.deadline]} baru dibuka ")
    assert f'langkah "{found.label}" dapat dilakukan sejak saat itu.' in early
    assert refusal(DEFAULT, Step.START_PROVINCE_REVIEW, deadline_start=NOW, **kwargs) is None  # opens right now
    assert refusal(DEFAULT, Step.START_PROVINCE_REVIEW, deadline_start=None, **kwargs) is None


def _gated(em: D | None, gate_value: D | None = None) -> str | None:
    return refusal(
        DEFAULT,
        Step.START_PROVINCE_REVIEW,
        state=State.SUBMITTED,
        roles={Role.PROVINCE_REVIEWER},
        now=NOW,
        em_score=em,
        gate_min_exclusive=gate() if gate_value is None else gate_value,
    )


def test_refusal_em_exactly_at_the_gate_is_refused() -> None:
    problem = _gated(D("500"))
    assert problem == GATE_REFUSAL % "500"
    assert _gated(D("500.00")) is not None


def test_refusal_em_just_above_the_gate_is_accepted() -> None:
    assert _gated(D("500.01")) is None
    assert _gated(D("1000")) is None


def test_refusal_em_below_the_gate_is_refused() -> None:
    problem = _gated(D("499.99"))
    assert problem is not None and "499,99" in problem


def test_refusal_em_none_is_refused() -> None:
    problem = _gated(None)
    assert problem == GATE_REFUSAL % "belum ada"


def test_refusal_without_a_gate_does_not_check_em() -> None:
    problem = refusal(
        DEFAULT, Step.START_PROVINCE_REVIEW, state=State.SUBMITTED, roles={Role.PROVINCE_REVIEWER}, now=NOW
    )
    assert problem is None


def test_refusal_gate_only_applies_to_gated_steps() -> None:
    problem = refusal(
        DEFAULT,
        Step.SUBMIT,
        state=State.DRAFT,
        roles={Role.SECRETARIAT},
        now=NOW,
        em_score=D(10),
        gate_min_exclusive=gate(),
    )
    assert problem is None  # a low EM may still be submitted


def test_refusal_deadline_is_checked_before_the_gate() -> None:
    problem = refusal(
        DEFAULT,
        Step.START_PROVINCE_REVIEW,
        state=State.SUBMITTED,
        roles={Role.PROVINCE_REVIEWER},
        now=NOW,
        deadline_end=NOW - dt.timedelta(hours=1),
        em_score=None,
        gate_min_exclusive=gate(),
    )
    assert problem is not None and "Batas waktu" in problem


def test_refusal_acting_twice() -> None:
    problem = refusal(DEFAULT, Step.SUBMIT, state=State.SUBMITTED, roles={Role.SECRETARIAT}, now=NOW)
    assert problem is not None
    assert STATE_LABELS[State.DRAFT] in problem and STATE_LABELS[State.SUBMITTED] in problem
    again = refusal(DEFAULT, Step.PUBLISH, state=State.PUBLISHED, roles={Role.MINISTRY_ADMIN}, now=NOW)
    assert again is not None and STATE_LABELS[State.PUBLISHED] in again


# --- needs_field_verification ------------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [D(0), D(450), D(500), D(750), D(1000)])
@pytest.mark.parametrize("previous", [None, "pratama", "kla"])
def test_field_rule_all_and_none(score: D, previous: str | None) -> None:
    assert needs_field_verification(FieldRule.ALL, score, previous, bands()) is True
    assert needs_field_verification(FieldRule.NONE, score, previous, bands()) is False


@pytest.mark.parametrize(
    ("score", "previous", "expected"),
    [
        (D("650"), "madya", False),  # same band as the previous cycle
        (D("601"), "madya", False),
        (D("700"), "madya", False),
        (D("600.50"), "pratama", False),  # below 601: still Pratama
        (D("1000"), "kla", False),
        (D("701"), "madya", True),  # moved up
        (D("600"), "madya", True),  # moved down
        (D("500"), "nindya", True),
        (D("650"), None, True),  # no previous predicate, a band now
        (D("500"), None, True),
        (D("499.99"), None, False),  # below every band
        (D("0"), None, False),
        (D("499.99"), "pratama", False),
    ],
)
def test_field_rule_level_change(score: D, previous: str | None, expected: bool) -> None:
    assert needs_field_verification(FieldRule.LEVEL_CHANGE, score, previous, bands()) is expected


def test_field_rule_level_change_without_bands_never_needs_a_visit() -> None:
    assert needs_field_verification(FieldRule.LEVEL_CHANGE, D(800), None, []) is False


GATE_REFUSAL = (
    "Nilai evaluasi mandiri (%s) harus lebih dari 500 untuk lanjut ke verifikasi. "
    'Tutup evaluasi ini dengan langkah "Tutup: tidak memenuhi ambang batas".'
)


# --- properties --------------------------------------------------------------------------------------------------


@FAST
@given(configs, st.sampled_from(State), st.sampled_from(Step))
def test_refusal_is_none_only_from_the_steps_source(config: WorkflowConfig, state: State, step: Step) -> None:
    found = transition(config, step)
    problem = refusal(config, step, state=state, roles=set(Role), now=NOW, em_score=D("900"), gate_min_exclusive=gate())
    if problem is None:
        assert found is not None and found.source == state
    if found is not None and found.source == state and not found.below_gate:
        assert problem is None  # every role, no deadline, EM above the gate: nothing left to refuse
    if found is not None and found.below_gate:
        assert problem is not None  # an EM above the gate is never closed at the gate
    if found is not None and found.source != state:
        assert problem is not None and STATE_LABELS[state] in problem


@FAST
@given(configs)
def test_every_target_is_reachable_and_published_is_final(config: WorkflowConfig) -> None:
    table = transitions_for(config)
    seen = reachable(config)
    assert all(t.target in seen for t in table)
    assert all(t.source in seen for t in table)
    assert State.PUBLISHED in seen
    assert all(t.source != State.PUBLISHED for t in table)
    assert available(config, State.PUBLISHED) == []
    assert len({t.step for t in table}) == len(table)  # each step appears once
    assert all(t.target != State.DRAFT for t in table)


@FAST
@given(configs)
def test_transitions_respect_overrides_and_defaults(config: WorkflowConfig) -> None:
    defaults = {t.step: t for t in transitions_for(WorkflowConfig(config.province_review, config.field_rule))}
    gated = next(t for t in transitions_for(config) if t.needs_gate)
    for t in transitions_for(config):
        assert isinstance(t, Transition)
        default = gated.actor if t.step == Step.STOP_AT_GATE else defaults[t.step].actor
        assert t.actor == config.actors.get(t.step, default)
        assert transition(config, t.step) == t
        assert t in available(config, t.source)


# --- closing at the gate (issue 21) ------------------------------------------------------------------------------


@pytest.mark.parametrize("config", [DEFAULT, NO_PROVINCE])
def test_stop_at_gate_closes_a_low_em_where_the_gate_stands(config: WorkflowConfig) -> None:
    gated = next(t for t in transitions_for(config) if t.needs_gate)
    stop = transition(config, Step.STOP_AT_GATE)
    assert stop is not None
    assert (stop.source, stop.target, stop.actor, stop.deadline) == (
        gated.source,
        State.BELOW_GATE,
        gated.actor,
        None,
    )
    kwargs = {"state": State.SUBMITTED, "roles": {gated.actor}, "now": NOW, "gate_min_exclusive": gate()}
    assert refusal(config, Step.STOP_AT_GATE, em_score=D("45"), **kwargs) is None
    assert refusal(config, Step.STOP_AT_GATE, em_score=D("500"), **kwargs) is None  # the gate is exclusive
    assert "melebihi ambang batas 500" in (refusal(config, Step.STOP_AT_GATE, em_score=D("500.01"), **kwargs) or "")
    assert refusal(config, Step.STOP_AT_GATE, em_score=D("45"), **{**kwargs, "roles": {Role.SECRETARIAT}})
    assert available(config, State.BELOW_GATE) == []


def test_stop_at_gate_follows_the_gate_actor_override() -> None:
    config = WorkflowConfig(actors={Step.START_PROVINCE_REVIEW: Role.MINISTRY_VERIFIER})
    stop = transition(config, Step.STOP_AT_GATE)
    assert stop is not None and stop.actor == Role.MINISTRY_VERIFIER
    own = WorkflowConfig(actors={Step.STOP_AT_GATE: Role.MINISTRY_ADMIN})
    found = transition(own, Step.STOP_AT_GATE)
    assert found is not None and found.actor == Role.MINISTRY_ADMIN


def test_below_gate_is_a_final_state() -> None:
    assert STATE_LABELS[State.BELOW_GATE] == "Tidak memenuhi ambang batas"
    assert State.BELOW_GATE in FINAL_STATES and State.DRAFT not in FINAL_STATES
