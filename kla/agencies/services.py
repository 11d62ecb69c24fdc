"""Writes to agencies: create, update, deactivate (handing open work over), import. Each one audited and atomic.

Who may call them is decided above (`kla.accounts.agency_access`); these check the data rules (`rules.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.agencies import handover, rules
from kla.agencies.catalogue import BY_CODE, default_name
from kla.agencies.models import Agency
from kla.agencies.selectors import agency_names
from kla.core import audit
from kla.core.wording import say
from kla.regions.models import Region

if TYPE_CHECKING:
    from django.contrib.auth.models import _User


def _fields(agency: Agency) -> dict[str, object]:
    return {"kind": agency.kind, "name": agency.name, "short_name": agency.short_name, "is_active": agency.is_active}


def _require_unique(region: Region, name: str, *, exclude: int | None = None) -> None:
    taken = Agency.objects.filter(region=region).exclude(pk=exclude or 0).values_list("name", flat=True)
    if any(rules.name_key(n) == rules.name_key(name) for n in taken):
        raise ValidationError(
            {"name": gettext("%(name)s sudah terdaftar di %(name2)s.") % {"name": name, "name2": region.name}}
        )


def _sentence(problem: str) -> str:
    """A rule's problem (lower case, no full stop) as a sentence in the reader's language."""
    said = say(problem)
    return said[:1].upper() + said[1:] + "."


def _checked(region: Region, kind: str, name: str, short_name: str, kept: str = "") -> tuple[str, str, str]:
    """(kind, name, short name) cleaned and checked, or ValidationError naming the field. A kind `kept` unchanged
    is not checked against the region's level again (an office registered before the levels were known)."""
    problem = None if kind.strip().upper() == kept else rules.kind_problem(kind, region.level_enum)
    if problem:
        raise ValidationError({"kind": _sentence(problem)})
    spec = BY_CODE[kind.strip().upper()]
    name = rules.clean_name(name) or default_name(spec, region.name)
    short_name = rules.clean_name(short_name) or spec.short_name
    problem = rules.name_problem(name, short_name)
    if problem:
        raise ValidationError({"short_name" if "singkatan" in problem else "name": _sentence(problem)})
    return spec.code, name, short_name


@transaction.atomic
def agency_ensure(*, region: Region, kind: str, name: str = "", short_name: str = "", by: _User | None) -> Agency:
    """Create the agency of this kind in the region unless one with the same name exists; audited on creation."""
    spec = BY_CODE[kind]
    name = name or default_name(spec, region.name)
    agency, created = Agency.objects.get_or_create(
        region=region, name=name, defaults={"kind": kind, "short_name": short_name or spec.short_name}
    )
    if created:
        audit.record(action="kla.agency.created", by=by, obj=agency, region_code=region.code, after=_fields(agency))
    return agency


@transaction.atomic
def agency_create(*, region: Region, kind: str, name: str = "", short_name: str = "", by: _User | None) -> Agency:
    """Register an agency of a kab/kota or province: a kind of the catalogue that sits at the region's level, a
    name unique within the region (empty: the catalogue's name with the region's, "Dinas Kesehatan Kota Palembang")."""
    kind, name, short_name = _checked(region, kind, name, short_name)
    _require_unique(region, name)
    agency = Agency.objects.create(region=region, kind=kind, name=name, short_name=short_name)
    audit.record(action="kla.agency.created", by=by, obj=agency, region_code=region.code, after=_fields(agency))
    return agency


@transaction.atomic
def agency_update(*, agency: Agency, kind: str, name: str, short_name: str, by: _User | None) -> Agency:
    """Change an agency's kind, name or short name (the region never changes; history keeps pointing at it)."""
    agency = Agency.objects.select_for_update().select_related("region").get(pk=agency.pk)
    before = _fields(agency)
    agency.kind, agency.name, agency.short_name = _checked(agency.region, kind, name, short_name, kept=agency.kind)
    _require_unique(agency.region, agency.name, exclude=agency.pk)
    agency.save(update_fields=["kind", "name", "short_name"])
    if before != _fields(agency):
        audit.record(
            action="kla.agency.updated",
            by=by,
            obj=agency,
            region_code=agency.region_id,
            before=before,
            after=_fields(agency),
        )
    return agency


def _check_successor(agency: Agency, to: Agency | None) -> None:
    if to is None:
        return
    if to.pk == agency.pk or to.region_id != agency.region_id or not to.is_active:
        raise ValidationError(
            {
                "reassign_to": gettext(
                    "Pilih instansi pengganti yang aktif di wilayah yang sama, bukan instansi ini sendiri."
                )
            }
        )


@transaction.atomic
def agency_deactivate(
    *, agency: Agency, reassign_to: Agency | None = None, reason: str = "", by: _User | None
) -> Agency:
    """Deactivate an agency, keeping it and its history. Refused while it still holds open work (indicators assigned
    in an evaluation that is being filled), unless `reassign_to`, an active agency of the same region, takes that
    work over in the same transaction."""
    agency = Agency.objects.select_for_update().select_related("region").get(pk=agency.pk)
    if not agency.is_active:
        raise ValidationError(gettext("%(name)s sudah nonaktif.") % {"name": agency.name})
    if reassign_to is not None:
        reassign_to = Agency.objects.select_for_update().get(pk=reassign_to.pk)
    _check_successor(agency, reassign_to)
    work = handover.open_work(agency)
    if work and reassign_to is None:
        raise ValidationError(
            {
                "reassign_to": gettext(
                    "%(name)s masih memegang %(describe)s yang belum selesai; pilih instansi pengganti agar "
                    "tugasnya dialihkan, atau selesaikan dahulu."
                )
                % {"name": agency.name, "describe": handover.describe(work)}
            }
        )
    moved = handover.hand_over(agency, reassign_to, by) if reassign_to is not None and work else {}
    agency.is_active, agency.deactivated_at, agency.deactivated_by = False, timezone.now(), by
    agency.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])
    audit.record(
        action="kla.agency.deactivated",
        by=by,
        obj=agency,
        region_code=agency.region_id,
        before={"is_active": True},
        after={"is_active": False, "reassigned_to": reassign_to.pk if reassign_to else None, "moved": moved},
        reason=reason,
    )
    return agency


@transaction.atomic
def agency_reactivate(*, agency: Agency, by: _User | None) -> Agency:
    """Bring a deactivated agency back (its name must still be free in the region)."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if agency.is_active:
        return agency
    agency.is_active, agency.deactivated_at, agency.deactivated_by = True, None, None
    agency.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])
    audit.record(
        action="kla.agency.reactivated",
        by=by,
        obj=agency,
        region_code=agency.region_id,
        before={"is_active": False},
        after={"is_active": True},
    )
    return agency


@transaction.atomic
def agencies_import(*, region: Region, rows: list[rules.Row], by: _User | None) -> list[Agency]:
    """Register every row, or none: every bad row is named (row number, column, why) in one ValidationError."""
    Region.objects.select_for_update().filter(pk=region.pk).first()  # one import of a region at a time
    errors = rules.check_rows(rows, level=region.level_enum, existing_names=agency_names(region))
    if not rows:
        raise ValidationError(gettext("Berkas tidak berisi satu pun instansi (baris 2 dan seterusnya)."))
    if errors:
        raise ValidationError([say(e.text()) for e in errors])
    created = Agency.objects.bulk_create(
        [
            Agency(
                region=region,
                kind=row.kind_spec().code,
                name=row.name,
                short_name=row.short_name or row.kind_spec().short_name,
            )
            for row in rows
        ]
    )
    for agency in created:
        audit.record(
            action="kla.agency.created",
            by=by,
            obj=agency,
            region_code=region.code,
            after=_fields(agency),
            reason="impor berkas",
        )
    return created
