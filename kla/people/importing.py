"""Importing users and their first membership from a spreadsheet: every row checked, then all written or none.

A row is refused, with its number and column named in Indonesian, for: a missing or malformed username, one used
twice in the file or already taken, a bad email, an unknown role or one the importer may not grant, an unknown
region or one outside the importer's subtree, an agency unknown in that region, or an operator without one. The
users are created through `kla.accounts.services.user_create` (its audit events and rules) in one transaction.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from kla.accounts import access
from kla.accounts import services as accounts
from kla.accounts.models import User
from kla.accounts.roles import ROLES, Grant, Role, can_grant, grantable_roles, role_label, shape_problem
from kla.agencies.models import Agency
from kla.core import audit
from kla.core.wording import for_reader, say
from kla.people import spreadsheet as sp
from kla.rad.spreadsheet import refuse
from kla.rad.spreadsheet_rules import RowError, lookup_key, text
from kla.regions.models import Region

USERNAME_RE = re.compile(r"^[a-zA-Z0-9._-]{3,150}$")


@dataclass(frozen=True, slots=True)
class Row:
    number: int
    username: str
    full_name: str
    email: str
    position: str
    role: Role
    region: Region | None
    agency: Agency | None


@dataclass(slots=True)
class Context:
    """What the rows are checked against, read once for the whole file."""

    grants: list[Grant]
    roles: dict[str, Role]
    taken: set[str]
    repeated: set[str]
    regions: dict[str, Region]
    agencies: dict[tuple[str, str], Agency]


def _context(records: Sequence[tuple[int, dict[str, Any]]], by: User) -> Context:
    names = [text(cells.get(sp.USERNAME)).lower() for _n, cells in records]
    codes = {text(cells.get(sp.REGION)).split(" ")[0] for _n, cells in records}
    taken = set(User.objects.annotate(low=Lower("username")).filter(low__in=names).values_list("low", flat=True))
    agencies: dict[tuple[str, str], Agency] = {}
    for agency in Agency.objects.filter(region_id__in=codes, is_active=True).order_by("pk"):
        for name in (agency.name, agency.short_name):
            if name:
                agencies.setdefault((agency.region_id, lookup_key(name)), agency)
    roles: dict[str, Role] = {}
    for role, spec in ROLES.items():
        for name in (spec.label, spec.label_en, role.value):
            roles[lookup_key(name)] = role
    return Context(
        grants=access.grants(by),
        roles=roles,
        taken=taken,
        repeated={n for n, count in Counter(names).items() if n and count > 1},
        regions={r.code: r for r in Region.objects.filter(code__in=codes)},
        agencies=agencies,
    )


def _person(number: int, cells: dict[str, Any], ctx: Context, errors: list[RowError]) -> tuple[str, str, str]:
    username, full_name, email = (text(cells.get(c)) for c in (sp.USERNAME, sp.FULL_NAME, sp.EMAIL))
    low = username.lower()
    if not USERNAME_RE.match(username):
        message = _("gunakan 3–150 huruf, angka, titik, garis bawah, atau tanda hubung.")
        errors.append(RowError(number, sp.USERNAME, message))
    elif low in ctx.repeated:
        message = _('"%(name)s" muncul lebih dari sekali di berkas ini.') % {"name": low}
        errors.append(RowError(number, sp.USERNAME, message))
    elif low in ctx.taken:
        errors.append(RowError(number, sp.USERNAME, _('"%(name)s" sudah dipakai pengguna lain.') % {"name": low}))
    if not full_name or len(full_name) > 150:
        errors.append(RowError(number, sp.FULL_NAME, _("isi nama lengkap (paling banyak 150 huruf).")))
    try:
        validate_email(email)
    except ValidationError:
        errors.append(RowError(number, sp.EMAIL, _('"%(email)s" bukan alamat email yang benar.') % {"email": email}))
    return low, full_name, email.lower()


def _membership(
    number: int, cells: dict[str, Any], ctx: Context, errors: list[RowError]
) -> tuple[Role | None, Region | None, Agency | None]:
    role = ctx.roles.get(lookup_key(text(cells.get(sp.ROLE))))
    code = text(cells.get(sp.REGION)).split(" ")[0]
    region = ctx.regions.get(code)
    agency_name = text(cells.get(sp.AGENCY))
    agency = ctx.agencies.get((code, lookup_key(agency_name))) if agency_name else None
    if role is None:
        errors.append(RowError(number, sp.ROLE, _("peran tidak dikenal; pilih dari daftar di templat.")))
    elif role not in grantable_roles(ctx.grants):
        message = _("Anda tidak dapat memberikan peran %(role)s.") % {"role": for_reader(role_label(role))}
        errors.append(RowError(number, sp.ROLE, message))
        role = None
    if code and region is None:
        errors.append(RowError(number, sp.REGION, _('kode wilayah "%(code)s" tidak dikenal.') % {"code": code}))
    if agency_name and agency is None:
        message = _('instansi "%(name)s" tidak ada di wilayah %(code)s.') % {"name": agency_name, "code": code}
        errors.append(RowError(number, sp.AGENCY, message))
    if role is None or (code and region is None) or (agency_name and agency is None):
        return None, None, None
    grant = Grant(role, region.code if region else None, agency.region_id if agency else None)
    problem = shape_problem(grant)
    if problem:
        column = sp.AGENCY if ROLES[role].needs_agency or agency is not None else sp.REGION
        errors.append(RowError(number, column, say(problem)))
    elif not can_grant(ctx.grants, grant):
        errors.append(RowError(number, sp.REGION, _("wilayah ini di luar wilayah kewenangan Anda.")))
    return role, region, agency


def check(records: Sequence[tuple[int, dict[str, Any]]], by: User) -> tuple[list[Row], list[RowError]]:
    """The rows ready to import and every problem found, row by row (3 queries for the whole file)."""
    ctx = _context(records, by)
    rows: list[Row] = []
    errors: list[RowError] = []
    for number, cells in records:
        username, full_name, email = _person(number, cells, ctx, errors)
        role, region, agency = _membership(number, cells, ctx, errors)
        if role is not None:
            position = text(cells.get(sp.POSITION))[:150]
            rows.append(Row(number, username, full_name, email, position, role, region, agency))
    return rows, errors


@transaction.atomic
def import_users(*, upload: UploadedFile[bytes], by: User) -> list[User]:
    """Create every user of the file with their membership, or none (ImportRefused naming the rows to fix)."""
    records = sp.read_records(upload)
    if not records:
        raise ValidationError(
            _("Berkas tidak berisi baris pengguna di bawah judul kolom; isi templat terlebih dahulu.")
        )
    rows, errors = check(records, by)
    refuse(errors)
    users = [
        accounts.user_create(
            username=row.username,
            full_name=row.full_name,
            email=row.email,
            position=row.position,
            password=None,
            role=row.role,
            region=row.region,
            agency=row.agency,
            by=by,
        )
        for row in rows
    ]
    audit.record(
        action="kla.people.imported",
        by=by,
        object_type="accounts.user",
        object_label=upload.name or "",
        after={"count": len(users), "usernames": [u.username for u in users], "file": upload.name or ""},
    )
    return users
