"""Accounts for every persona, the five agencies of every kab/kota, memberships and second-step devices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from bench.national_data.constants import AGENCY_KINDS, NATIONAL_PASSWORD, PREFIX
from bench.national_data.names import (
    national_usernames,
    operator_username,
    person,
    province_username,
    secretariat_username,
)
from bench.national_data.report import Inserter
from kla.accounts import totp
from kla.accounts.models import Membership, TotpDevice, User
from kla.accounts.roles import PRIVILEGED_ROLES, Role
from kla.agencies.catalogue import BY_CODE
from kla.agencies.models import Agency
from kla.demo.data import DEMO_TOTP_SECRET
from kla.regions.models import Region

MINISTRY_POSITIONS = {
    Role.MINISTRY_VERIFIER: "Verifikator Administrasi KemenPPPA",
    Role.FIELD_VERIFIER: "Verifikator Lapangan KemenPPPA",
    Role.MINISTRY_ADMIN: "Administrator KemenPPPA",
}


@dataclass(frozen=True)
class UserSpec:
    username: str
    full_name: str
    position: str
    role: Role
    region: str | None = None
    agency_kind: str | None = None


@dataclass
class People:
    users: dict[str, int]  # username → id
    agencies: dict[tuple[str, str], int]  # (region code, kind) → id
    agency_names: dict[int, str]
    ministry_verifiers: list[int]
    field_verifiers: list[int]
    admins: list[int]

    def secretariat(self, region: str) -> int:
        return self.users[secretariat_username(region)]

    def operator(self, region: str, kind: str) -> int:
        return self.users[operator_username(region, kind)]

    def reviewer(self, region: str) -> int:
        return self.users[province_username(region.split(".")[0])]


def user_specs(seed: int, provinces: Sequence[Region], kabkota: Sequence[Region]) -> list[UserSpec]:
    """Ministry staff, one province reviewer per province, a secretariat and five operators per kab/kota."""
    specs: list[UserSpec] = []
    for role, names in national_usernames().items():
        specs += [UserSpec(n, person(seed, n), MINISTRY_POSITIONS[role], role) for n in names]
    for p in provinces:
        name = province_username(p.code)
        position = f"Tim KLA Dinas PPPA Provinsi {p.name.title()}"
        specs.append(UserSpec(name, person(seed, name), position, Role.PROVINCE_REVIEWER, p.code))
    for r in kabkota:
        name = secretariat_username(r.code)
        position = f"Sekretariat Gugus Tugas KLA {r.name.title()}"
        specs.append(UserSpec(name, person(seed, name), position, Role.SECRETARIAT, r.code))
        for kind in AGENCY_KINDS:
            name = operator_username(r.code, kind)
            position = f"Operator {BY_CODE[kind].short_name} {r.name.title()}"
            specs.append(UserSpec(name, person(seed, name), position, Role.OPD_OPERATOR, r.code, kind))
    return specs


def agency_name(kind: str, region: Region) -> str:
    return f"{BY_CODE[kind].name} {region.name}"  # the name agency_ensure gives


def seed_people(
    ins: Inserter, seed: int, provinces: Sequence[Region], kabkota: Sequence[Region], now: dt.datetime
) -> People:
    """What is missing of the accounts, agencies, memberships and devices; returns who is who."""
    specs = user_specs(seed, provinces, kabkota)
    _seed_users(ins, specs, now)
    agencies, agency_names = _seed_agencies(ins, [p.code for p in provinces], kabkota)
    users = dict(User.objects.filter(username__startswith=PREFIX).values_list("username", "pk"))
    _seed_memberships(ins, specs, users, agencies)
    _seed_devices(ins, specs, users, now)
    national = national_usernames()
    return People(
        users=users,
        agencies=agencies,
        agency_names=agency_names,
        ministry_verifiers=[users[n] for n in national[Role.MINISTRY_VERIFIER]],
        field_verifiers=[users[n] for n in national[Role.FIELD_VERIFIER]],
        admins=[users[n] for n in national[Role.MINISTRY_ADMIN]],
    )


def _seed_users(ins: Inserter, specs: Sequence[UserSpec], now: dt.datetime) -> None:
    existing = set(User.objects.filter(username__startswith=PREFIX).values_list("username", flat=True))
    missing = [s for s in specs if s.username not in existing]
    if not missing:
        return
    password = make_password(NATIONAL_PASSWORD)  # hashed once: every national account shares it
    ins.now(
        [
            User(
                username=s.username,
                full_name=s.full_name,
                position=s.position,
                email=f"{s.username}@nasional.kla.invalid",
                password=password,
                date_joined=now,
            )
            for s in missing
        ]
    )


def _seed_agencies(
    ins: Inserter, province_codes: list[str], kabkota: Sequence[Region]
) -> tuple[dict[tuple[str, str], int], dict[int, str]]:
    """The five agencies of every kab/kota (an agency of the same name already there counts); returns
    ((region, kind) → id, id → name)."""
    ours = Agency.objects.filter(region__parent_id__in=province_codes, kind__in=AGENCY_KINDS)
    held = set(ours.values_list("region_id", "kind"))
    names = set(Agency.objects.filter(region__parent_id__in=province_codes).values_list("region_id", "name"))
    ins.now(
        [
            Agency(region_id=r.code, kind=kind, name=agency_name(kind, r), short_name=BY_CODE[kind].short_name)
            for r in kabkota
            for kind in AGENCY_KINDS
            if (r.code, kind) not in held and (r.code, agency_name(kind, r)) not in names
        ]
    )
    agencies: dict[tuple[str, str], int] = {}
    agency_names: dict[int, str] = {}
    for region, kind, pk, name in ours.order_by("pk").values_list("region_id", "kind", "pk", "name"):
        agencies.setdefault((region, kind), pk)
        agency_names[pk] = name
    return agencies, agency_names


def _seed_memberships(
    ins: Inserter, specs: Sequence[UserSpec], users: dict[str, int], agencies: dict[tuple[str, str], int]
) -> None:
    held = set(
        Membership.objects.active()
        .filter(user__username__startswith=PREFIX)
        .values_list("user_id", "role", "region_id", "agency_id")
    )
    grants = []
    for s in specs:
        agency = agencies[(s.region, s.agency_kind)] if s.region and s.agency_kind else None
        key = (users[s.username], s.role.value, s.region, agency)
        if key not in held:
            grants.append(Membership(user_id=key[0], role=key[1], region_id=key[2], agency_id=key[3]))
    ins.now(grants)


def _seed_devices(ins: Inserter, specs: Sequence[UserSpec], users: dict[str, int], now: dt.datetime) -> None:
    """Province and ministry roles sign in with a second step: a confirmed authenticator with the public demo secret."""
    with_device = set(
        TotpDevice.objects.filter(user__username__startswith=PREFIX).values_list("user__username", flat=True)
    )
    secret = totp.normalise_secret(DEMO_TOTP_SECRET)
    ins.now(
        [
            TotpDevice(user_id=users[name], secret=secret, confirmed_at=now)
            for name in sorted({s.username for s in specs if s.role in PRIVILEGED_ROLES} - with_device)
        ]
    )
