"""The evaluation workflow as data: states, steps, who takes each step, and why a step is refused.

A cycle stores its `WorkflowConfig` (which optional stages it uses, who acts at each step, the field-verification
rule); a new Juknis year changes that data, not this code. `refusal()` is the one place that says whether a step may
be taken now and, if not, why, in words an officer understands. Pure module: no Django import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import TypedDict

from kla.accounts.roles import Role, role_label
from kla.core.formatting import WIB, format_datetime, format_number
from kla.core.marking import Text, gettext_noop
from kla.evaluations.stages import STAGE_LABELS, Stage
from kla.indicators.bands import BandRule, predicate_for


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PROVINCE_REVIEW = "province_review"
    PROPOSED = "proposed"
    MINISTRY_REVIEW = "ministry_review"
    FIELD_VERIFICATION = "field_verification"
    FINAL_VERIFICATION = "final_verification"
    DETERMINED = "determined"
    PUBLISHED = "published"
    BELOW_GATE = "below_gate"  # final: the EM score did not pass the framework's gate, closed without a predicate


STATE_LABELS: dict[State, str] = {
    State.DRAFT: gettext_noop("Pengisian evaluasi mandiri"),
    State.SUBMITTED: gettext_noop("Evaluasi mandiri dikirim"),
    State.PROVINCE_REVIEW: gettext_noop("Verifikasi administrasi provinsi"),
    State.PROPOSED: gettext_noop("Diusulkan provinsi"),
    State.MINISTRY_REVIEW: gettext_noop("Verifikasi administrasi Kementerian"),
    State.FIELD_VERIFICATION: gettext_noop("Verifikasi lapangan"),
    State.FINAL_VERIFICATION: gettext_noop("Verifikasi akhir"),
    State.DETERMINED: gettext_noop("Ditetapkan (disegel)"),
    State.PUBLISHED: gettext_noop("Diumumkan"),
    State.BELOW_GATE: gettext_noop("Tidak memenuhi ambang batas"),
}
FINAL_STATES = frozenset({State.DETERMINED, State.PUBLISHED, State.BELOW_GATE})


class Step(StrEnum):
    SUBMIT = "submit"
    START_PROVINCE_REVIEW = "start_province_review"
    PROPOSE = "propose"
    START_MINISTRY_REVIEW = "start_ministry_review"
    START_FIELD = "start_field"
    SKIP_FIELD = "skip_field"
    FINISH_FIELD = "finish_field"
    DETERMINE = "determine"
    PUBLISH = "publish"
    STOP_AT_GATE = "stop_at_gate"


STEP_LABELS: dict[Step, str] = {
    Step.SUBMIT: gettext_noop("Kirim"),
    Step.START_PROVINCE_REVIEW: gettext_noop("Mulai verifikasi administrasi provinsi"),
    Step.PROPOSE: gettext_noop("Usulkan ke Kementerian"),
    Step.START_MINISTRY_REVIEW: gettext_noop("Mulai verifikasi administrasi Kementerian"),
    Step.START_FIELD: gettext_noop("Selesai verifikasi administrasi, lanjut ke verifikasi lapangan"),
    Step.SKIP_FIELD: gettext_noop("Selesai verifikasi administrasi, lanjut ke verifikasi akhir"),
    Step.FINISH_FIELD: gettext_noop("Selesaikan verifikasi lapangan"),
    Step.DETERMINE: gettext_noop("Tetapkan nilai akhir dan predikat"),
    Step.PUBLISH: gettext_noop("Umumkan"),
    Step.STOP_AT_GATE: gettext_noop("Tutup: tidak memenuhi ambang batas"),
}


class FieldRule(StrEnum):
    """Which evaluations go to field verification after the ministry's administrative verification."""

    ALL = "all"
    LEVEL_CHANGE = "level_change"  # the verified score implies a predicate other than the previous cycle's
    LEVEL_RISE = "level_rise"  # the published rule: the verified score implies a predicate one level or more higher
    NONE = "none"


FIELD_RULE_LABELS: dict[FieldRule, str] = {
    FieldRule.ALL: gettext_noop("Semua kabupaten/kota yang lolos verifikasi administrasi"),
    FieldRule.LEVEL_CHANGE: gettext_noop(
        "Kabupaten/kota yang nilai verifikasinya mengubah predikat dibanding siklus sebelumnya"
    ),
    FieldRule.LEVEL_RISE: gettext_noop(
        "Kabupaten/kota yang nilai verifikasinya menaikkan predikat satu tingkat atau lebih dibanding siklus "
        "sebelumnya (aturan yang diumumkan)"
    ),
    FieldRule.NONE: gettext_noop("Tanpa verifikasi lapangan"),
}


@dataclass(frozen=True, slots=True)
class Transition:
    step: Step
    source: State
    target: State
    actor: Role
    deadline: Stage | None  # the stage whose end date bounds this step
    label: str
    needs_gate: bool = False  # refused when the self-assessment score does not pass the framework's gate
    below_gate: bool = False  # refused when the self-assessment score passes the gate (closing at the gate)


class WorkflowJSON(TypedDict):
    """A cycle's stored workflow (`Cycle.workflow`)."""

    province_review: bool
    field_rule: str
    actors: dict[str, str]


@dataclass(frozen=True)
class WorkflowConfig:
    """A cycle's workflow: the optional stages it uses, the role acting at each step, the field-verification rule."""

    province_review: bool = True  # since 2023 the province does the first administrative verification
    field_rule: FieldRule = FieldRule.LEVEL_CHANGE
    actors: Mapping[Step, Role] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, object] | None) -> WorkflowConfig:
        """Parse a stored configuration; raise ValueError with an Indonesian message naming the bad field."""
        data = dict(data or {})
        unknown = set(data) - {"province_review", "field_rule", "actors"}
        if unknown:
            raise ValueError(f"Konfigurasi alur tidak dikenal: {', '.join(sorted(unknown))}.")
        province_review = data.get("province_review", True)
        if not isinstance(province_review, bool):
            raise ValueError("province_review harus true atau false.")
        try:
            rule = FieldRule(str(data.get("field_rule", FieldRule.LEVEL_CHANGE)))
        except ValueError:
            raise ValueError(f"field_rule harus salah satu dari: {', '.join(FieldRule)}.") from None
        raw_actors = data.get("actors") or {}
        if not isinstance(raw_actors, Mapping):
            raise ValueError("actors harus berupa pemetaan langkah → peran.")
        actors: dict[Step, Role] = {}
        for step_name, role_name in raw_actors.items():
            try:
                actors[Step(step_name)] = Role(role_name)
            except ValueError:
                raise ValueError(f"actors: langkah '{step_name}' atau peran '{role_name}' tidak dikenal.") from None
        return cls(province_review=province_review, field_rule=rule, actors=actors)

    def to_json(self) -> WorkflowJSON:
        return {
            "province_review": self.province_review,
            "field_rule": self.field_rule.value,
            "actors": {s.value: r.value for s, r in self.actors.items()},
        }


def transitions_for(config: WorkflowConfig) -> list[Transition]:
    """The steps a cycle with this configuration uses, in workflow order, with the configured actors."""
    first, *ministry = _ministry_steps(needs_gate=not config.province_review)
    table = [first, *(_province_steps() if config.province_review else []), *ministry]
    if config.field_rule != FieldRule.NONE:
        table += _field_steps()
    table = [replace(t, actor=config.actors.get(t.step, t.actor)) for t in table]
    # an evaluation below the gate is closed by whoever applies the gate, at any time (no deadline leaves it open)
    gated = next(t for t in table if t.needs_gate)
    actor = config.actors.get(Step.STOP_AT_GATE, gated.actor)
    stop = Transition(Step.STOP_AT_GATE, gated.source, State.BELOW_GATE, actor, None, STEP_LABELS[Step.STOP_AT_GATE])
    return [*table, replace(stop, below_gate=True)]


def _ministry_steps(*, needs_gate: bool) -> list[Transition]:
    """Submission, the ministry's administrative verification, the final determination and the announcement.

    Without the province's review the ministry receives the submitted evaluation directly and applies the gate.
    """
    before_ministry = State.SUBMITTED if needs_gate else State.PROPOSED
    admin = Stage.ADMIN_VERIFICATION
    return [
        _step(Step.SUBMIT, State.DRAFT, State.SUBMITTED, Role.SECRETARIAT, Stage.SELF_ASSESSMENT),
        _step(Step.START_MINISTRY_REVIEW, before_ministry, State.MINISTRY_REVIEW, Role.MINISTRY_VERIFIER, admin,
              needs_gate=needs_gate),
        _step(Step.SKIP_FIELD, State.MINISTRY_REVIEW, State.FINAL_VERIFICATION, Role.MINISTRY_VERIFIER, admin),
        _step(Step.DETERMINE, State.FINAL_VERIFICATION, State.DETERMINED, Role.MINISTRY_ADMIN, Stage.FINAL),
        _step(Step.PUBLISH, State.DETERMINED, State.PUBLISHED, Role.MINISTRY_ADMIN, Stage.ANNOUNCEMENT),
    ]  # fmt: skip


def _province_steps() -> list[Transition]:
    """The province's administrative verification (since 2023): it applies the gate and proposes to the ministry."""
    review = Stage.PROVINCE_REVIEW
    return [
        _step(Step.START_PROVINCE_REVIEW, State.SUBMITTED, State.PROVINCE_REVIEW, Role.PROVINCE_REVIEWER, review,
              needs_gate=True),
        _step(Step.PROPOSE, State.PROVINCE_REVIEW, State.PROPOSED, Role.PROVINCE_REVIEWER, review),
    ]  # fmt: skip


def _field_steps() -> list[Transition]:
    """Field verification, between the ministry's administrative verification and the final verification."""
    return [
        _step(Step.START_FIELD, State.MINISTRY_REVIEW, State.FIELD_VERIFICATION, Role.MINISTRY_VERIFIER,
              Stage.ADMIN_VERIFICATION),
        _step(Step.FINISH_FIELD, State.FIELD_VERIFICATION, State.FINAL_VERIFICATION, Role.FIELD_VERIFIER,
              Stage.FIELD_VERIFICATION),
    ]  # fmt: skip


def _step(
    step: Step, source: State, target: State, actor: Role, deadline: Stage, *, needs_gate: bool = False
) -> Transition:
    return Transition(step, source, target, actor, deadline, STEP_LABELS[step], needs_gate)


def transition(config: WorkflowConfig, step: Step) -> Transition | None:
    return next((t for t in transitions_for(config) if t.step == step), None)


def available(config: WorkflowConfig, state: State) -> list[Transition]:
    """The steps that start from `state` (before role, deadline and gate checks)."""
    return [t for t in transitions_for(config) if t.source == state]


def refusal(
    config: WorkflowConfig,
    step: Step,
    *,
    state: State,
    roles: Iterable[Role],
    now: dt.datetime,
    deadline_end: dt.datetime | None = None,
    em_score: Decimal | None = None,
    gate_min_exclusive: Decimal | None = None,
    zone: str = WIB,
    deadline_start: dt.datetime | None = None,
) -> Text | None:
    """Why `step` may not be taken now (wrong stage, wrong role, its stage not open yet or its deadline passed, EM
    below the gate), or None.

    `zone` is the region's time zone, in which a passed deadline is shown.
    """
    found = transition(config, step)
    if found is None:
        return Text(gettext_noop('Siklus ini tidak memakai langkah "%(step)s".'), step=Text(STEP_LABELS[step]))
    if state != found.source:
        return Text(
            gettext_noop(
                'Langkah "%(step)s" hanya dapat dilakukan pada tahap %(needed)s; evaluasi ini sedang pada tahap '
                "%(state)s."
            ),
            step=Text(found.label),
            needed=Text(STATE_LABELS[found.source]),
            state=Text(STATE_LABELS[state]),
        )
    if found.actor not in set(roles):
        return Text(
            gettext_noop('Langkah "%(step)s" dilakukan oleh %(role)s.'),
            step=Text(found.label),
            role=role_label(found.actor),
        )
    return _time_refusal(found, now, deadline_start, deadline_end, zone) or _gate_refusal(
        found, em_score, gate_min_exclusive
    )


def _time_refusal(
    found: Transition, now: dt.datetime, start: dt.datetime | None, end: dt.datetime | None, zone: str
) -> Text | None:
    if start is not None and now < start and found.deadline is not None:
        return Text(
            gettext_noop('Tahap %(stage)s baru dibuka %(opens)s; langkah "%(step)s" dapat dilakukan sejak saat itu.'),
            stage=Text(STAGE_LABELS[found.deadline]),
            opens=lambda lang: format_datetime(start, zone, lang=lang),
            step=Text(found.label),
        )
    if end is not None and now > end:
        return Text(
            gettext_noop(
                "Batas waktu tahap ini sudah lewat (%(passed)s). Hubungi Kementerian bila perlu perpanjangan."
            ),
            passed=lambda lang: format_datetime(end, zone, lang=lang),
        )
    return None


def _gate_refusal(found: Transition, em_score: Decimal | None, gate: Decimal | None) -> Text | None:
    if found.needs_gate and gate is not None and (em_score is None or em_score <= gate):
        score = em_score
        return Text(
            gettext_noop(
                "Nilai evaluasi mandiri (%(score)s) harus lebih dari %(gate)s untuk lanjut ke verifikasi. Tutup "
                'evaluasi ini dengan langkah "%(stop)s".'
            ),
            score=Text(gettext_noop("belum ada")) if score is None else lambda lang: format_number(score, lang=lang),
            gate=lambda lang: format_number(gate, lang=lang),
            stop=Text(STEP_LABELS[Step.STOP_AT_GATE]),
        )
    if found.below_gate and gate is not None and em_score is not None and em_score > gate:
        return Text(
            gettext_noop(
                "Nilai evaluasi mandiri (%(score)s) melebihi ambang batas %(gate)s: evaluasi ini lanjut ke "
                "verifikasi, bukan ditutup."
            ),
            score=lambda lang: format_number(em_score, 2, lang=lang),
            gate=lambda lang: format_number(gate, lang=lang),
        )
    return None


def needs_field_verification(
    rule: FieldRule, verified_score: Decimal, previous_band: str | None, bands: Sequence[BandRule]
) -> bool:
    """Whether an evaluation goes to field verification after the ministry's administrative verification.

    LEVEL_CHANGE: the verified score implies a predicate other than the previous cycle's (up or down; no predicate
    now never goes). LEVEL_RISE (the published rule): it implies a predicate at least one level above the previous
    one, levels ordered by the bands' minimum scores; a kab/kota without a previous predicate rises by reaching any
    band, and a previous predicate the bands do not know (renamed since) cannot be compared, so it goes.
    """
    if rule == FieldRule.ALL:
        return True
    if rule == FieldRule.NONE:
        return False
    band = predicate_for(verified_score, bands)
    if band is None:
        return False
    if rule == FieldRule.LEVEL_CHANGE:
        return band.code != previous_band
    if previous_band is None:
        return True
    levels = [b.code for b in sorted(bands, key=lambda b: b.min_score)]
    if previous_band not in levels:
        return True
    return levels.index(band.code) > levels.index(previous_band)
