"""Roles, their scope, and who may grant what. Pure module: no Django import.

A user holds memberships: role × region × (optional) agency. The rules here decide, from plain values, whether a
set of memberships allows granting another one; `kla.accounts.access` applies them to requests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from kla.core.marking import Text, gettext_noop
from kla.regions.levels import LEVEL_LABELS, Level, is_within, level_of


class Role(StrEnum):
    OPD_OPERATOR = "opd_operator"
    SECRETARIAT = "secretariat"
    PROVINCE_REVIEWER = "province_reviewer"
    MINISTRY_VERIFIER = "ministry_verifier"
    FIELD_VERIFIER = "field_verifier"
    MINISTRY_ADMIN = "ministry_admin"


@dataclass(frozen=True, slots=True)
class RoleSpec:
    role: Role
    label: str
    label_en: str
    scope: Level | None  # the region level a membership of this role is bound to; None = national
    needs_agency: bool
    description: str


ROLES: dict[Role, RoleSpec] = {
    spec.role: spec
    for spec in (
        RoleSpec(
            Role.OPD_OPERATOR,
            "Operator Instansi",
            "Agency operator",
            Level.KABKOTA,
            True,
            "Mengisi indikator yang ditugaskan kepada instansinya dan mengunggah bukti dukung.",
        ),
        RoleSpec(
            Role.SECRETARIAT,
            "Sekretariat Gugus Tugas KLA",
            "Task-force secretariat",
            Level.KABKOTA,
            False,
            "Dinas PPPA kabupaten/kota: membagi tugas ke instansi, memantau kelengkapan, mengirim evaluasi mandiri.",
        ),
        RoleSpec(
            Role.PROVINCE_REVIEWER,
            "Verifikator Provinsi (Pembina)",
            "Province verifier",
            Level.PROVINSI,
            False,
            "Memverifikasi administrasi kabupaten/kota di provinsinya dan mengusulkannya ke Kementerian.",
        ),
        RoleSpec(
            Role.MINISTRY_VERIFIER,
            "Verifikator Administrasi Kementerian",
            "Ministry administrative verifier",
            None,
            False,
            "Memverifikasi administrasi evaluasi seluruh kabupaten/kota.",
        ),
        RoleSpec(
            Role.FIELD_VERIFIER,
            "Verifikator Lapangan",
            "Field verifier",
            None,
            False,
            "Melakukan verifikasi lapangan (hibrida atau kunjungan) dan memberi nilai VL.",
        ),
        RoleSpec(
            Role.MINISTRY_ADMIN,
            "Administrator Kementerian (Publikasi)",
            "Ministry administrator (publisher)",
            None,
            False,
            "Mengelola siklus, instrumen dan pengguna; menetapkan dan mengumumkan hasil.",
        ),
    )
}

ROLE_CHOICES: list[tuple[str, str]] = [(spec.role.value, spec.label) for spec in ROLES.values()]

# Which roles a holder of a role may grant (always within the holder's own region subtree).
GRANTABLE: dict[Role, frozenset[Role]] = {
    Role.MINISTRY_ADMIN: frozenset(Role),
    Role.PROVINCE_REVIEWER: frozenset({Role.PROVINCE_REVIEWER, Role.SECRETARIAT, Role.OPD_OPERATOR}),
    Role.SECRETARIAT: frozenset({Role.SECRETARIAT, Role.OPD_OPERATOR}),
    Role.OPD_OPERATOR: frozenset(),
    Role.MINISTRY_VERIFIER: frozenset(),
    Role.FIELD_VERIFIER: frozenset(),
}


class Action(StrEnum):
    """What a role may do within its region scope. Object rules (e.g. "assigned to my agency") sit on top."""

    CYCLE_MANAGE = "cycle.manage"
    EVALUATION_VIEW = "evaluation.view"
    EVALUATION_ASSIGN = "evaluation.assign"
    EVALUATION_SUBMIT = "evaluation.submit"
    ENTRY_ANSWER = "entry.answer"
    AGENCY_VIEW = "agency.view"
    AGENCY_MANAGE = "agency.manage"
    TASKFORCE_VIEW = "taskforce.view"
    TASKFORCE_MANAGE = "taskforce.manage"
    RAD_VIEW = "rad.view"
    RAD_MANAGE = "rad.manage"
    RAD_REALISE = "rad.realise"
    ACTIVITY_VIEW = "activity.view"
    ACTIVITY_RECORD = "activity.record"
    DASHBOARD_VIEW = "dashboard.view"


NATIONAL_ROLES = frozenset({Role.MINISTRY_VERIFIER, Role.FIELD_VERIFIER, Role.MINISTRY_ADMIN})
# Accounts holding one of these roles sign in with a second step (TOTP) and get the shorter session timeouts: they
# see many regions' evidence and the scores before publication (reliability plan: ASVS 6.3.3 and 7.3.x).
PRIVILEGED_ROLES = frozenset({Role.PROVINCE_REVIEWER} | NATIONAL_ROLES)
ALLOWED: dict[Action, frozenset[Role]] = {
    Action.CYCLE_MANAGE: frozenset({Role.MINISTRY_ADMIN}),
    Action.EVALUATION_VIEW: frozenset({Role.OPD_OPERATOR, Role.SECRETARIAT, Role.PROVINCE_REVIEWER} | NATIONAL_ROLES),
    Action.EVALUATION_ASSIGN: frozenset({Role.SECRETARIAT}),
    Action.EVALUATION_SUBMIT: frozenset({Role.SECRETARIAT}),
    # Operators answer what is assigned to their agency (checked on the entry); the secretariat answers anything of
    # its own kab/kota (Dinas PPPA often fills cross-cutting indicators itself).
    Action.ENTRY_ANSWER: frozenset({Role.OPD_OPERATOR, Role.SECRETARIAT}),
    # Agencies: everyone with a role reads those of their scope; the secretariat manages its kab/kota's, the province
    # its kab/kota's and its own, the ministry administrator all of them (kla.accounts.agency_access).
    Action.AGENCY_VIEW: frozenset({Role.OPD_OPERATOR, Role.SECRETARIAT, Role.PROVINCE_REVIEWER} | NATIONAL_ROLES),
    Action.AGENCY_MANAGE: frozenset({Role.SECRETARIAT, Role.PROVINCE_REVIEWER, Role.MINISTRY_ADMIN}),
    # The Gugus Tugas: read across the scope; managed only in the region the membership is bound to (a province
    # manages its own task force and reads its kab/kota's; checked in kla.taskforce.access).
    Action.TASKFORCE_VIEW: frozenset({Role.OPD_OPERATOR, Role.SECRETARIAT, Role.PROVINCE_REVIEWER} | NATIONAL_ROLES),
    Action.TASKFORCE_MANAGE: frozenset({Role.SECRETARIAT, Role.PROVINCE_REVIEWER}),
    # RAD KLA: read across the scope (a province reads its kab/kota's plans); the plan is drawn up and adopted in the
    # region the membership is bound to (the secretariat its kab/kota, the province reviewer the province's own);
    # realisation is recorded there by the same managers and, for their own agency's activities, by its operators
    # (object rules in kla.rad.access).
    Action.RAD_VIEW: frozenset({Role.OPD_OPERATOR, Role.SECRETARIAT, Role.PROVINCE_REVIEWER} | NATIONAL_ROLES),
    Action.RAD_MANAGE: frozenset({Role.SECRETARIAT, Role.PROVINCE_REVIEWER}),
    Action.RAD_REALISE: frozenset({Role.OPD_OPERATOR, Role.SECRETARIAT, Role.PROVINCE_REVIEWER}),
    # Activities carried out (kegiatan): read across the scope; recorded in the kab/kota the membership is bound to,
    # by the secretariat for every agency and by an agency's operators for their own (kla.activities.access).
    Action.ACTIVITY_VIEW: frozenset({Role.OPD_OPERATOR, Role.SECRETARIAT, Role.PROVINCE_REVIEWER} | NATIONAL_ROLES),
    Action.ACTIVITY_RECORD: frozenset({Role.OPD_OPERATOR, Role.SECRETARIAT}),
    # Dashboards: the kab/kota's secretariat its own, a province reviewer its province and its kab/kota, the ministry
    # every level (kla.dashboards); every figure still passes the seal.
    Action.DASHBOARD_VIEW: frozenset({Role.SECRETARIAT, Role.PROVINCE_REVIEWER} | NATIONAL_ROLES),
}


@dataclass(frozen=True, slots=True)
class Grant:
    """A membership as plain values: role, region code (None = national) and agency region code if any."""

    role: Role
    region_code: str | None
    agency_region_code: str | None = None


def shape_problem(grant: Grant) -> str | None:
    """Why a membership is malformed for its role (wrong region level, missing agency), or None if it is fine."""
    spec = ROLES[grant.role]
    role = role_label(grant.role)
    if spec.scope is None:
        if grant.region_code is not None:
            return Text(gettext_noop("Peran %(role)s berlaku nasional: jangan pilih wilayah."), role=role)
    else:
        level = Text(LEVEL_LABELS[spec.scope].lower())
        if grant.region_code is None:
            return Text(gettext_noop("Peran %(role)s harus terikat pada satu %(level)s."), role=role, level=level)
        if level_of(grant.region_code) != spec.scope:
            return Text(
                gettext_noop("Peran %(role)s harus terikat pada wilayah tingkat %(level)s."), role=role, level=level
            )
    if spec.needs_agency and grant.agency_region_code is None:
        return Text(gettext_noop("Peran %(role)s harus memilih instansinya."), role=role)
    if not spec.needs_agency and grant.agency_region_code is not None:
        return Text(gettext_noop("Peran %(role)s tidak terikat pada instansi."), role=role)
    if grant.agency_region_code is not None and grant.agency_region_code != grant.region_code:
        return Text(gettext_noop("Instansi yang dipilih bukan instansi wilayah tersebut."))
    return None


def role_label(role: Role) -> Callable[[str], str]:
    """A role's name in a language, as a `Text` value (roles carry their English label)."""
    spec = ROLES[role]
    return lambda lang: spec.label_en if lang.startswith("en") else spec.label


def covers(holder: Grant, region_code: str | None) -> bool:
    """True if `holder`'s scope includes `region_code` (None = a national scope, which only national holders hold)."""
    if holder.region_code is None:
        return True
    if region_code is None:
        return False
    return is_within(region_code, holder.region_code)


def can_grant(held: Iterable[Grant], wanted: Grant) -> bool:
    """True if one of the `held` memberships may grant `wanted`: a grantable role, within the holder's subtree.

    Nobody grants more than they hold: a secretariat cannot create a province reviewer, a province reviewer
    cannot reach another province, and national roles can only come from a ministry administrator.
    """
    if shape_problem(wanted) is not None:
        return False
    return any(wanted.role in GRANTABLE[h.role] and covers(h, wanted.region_code) for h in held)


def allows(held: Iterable[Grant], action: Action, region_code: str | None) -> bool:
    """True if one of the memberships may perform `action` on something in `region_code` (None = national)."""
    return any(h.role in ALLOWED[action] and covers(h, region_code) for h in held)


def grantable_roles(held: Iterable[Grant]) -> list[Role]:
    roles: set[Role] = set()
    for h in held:
        roles |= GRANTABLE[h.role]
    return [r for r in Role if r in roles]
