"""The decree (SK) of a task force: recorded, or recorded as replacing the decree in force."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.core import audit
from kla.regions.models import Region
from kla.taskforce import rules
from kla.taskforce.access import require_manage
from kla.taskforce.models import Decree, Document
from kla.taskforce.services import documents
from kla.taskforce.services.scope import lock_region

if TYPE_CHECKING:
    from kla.accounts.models import User


@dataclass(frozen=True, kw_only=True)
class DecreeFacts:
    number: str
    date: dt.date
    signer: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    in_force: bool = True


def decree_record(
    *,
    region: Region,
    facts: DecreeFacts,
    upload: UploadedFile[Any] | None = None,
    by: User | None,
    today: dt.date | None = None,
) -> Decree:
    """Record a decree of the region's task force (with its file, through the intake, when one is given).

    Refused (ValidationError, nothing written): a decree dated in the future marked in force, reversed validity
    dates, an empty number or signer, or a second decree in force (replace the one in force instead).
    """
    _check_facts(facts, today or timezone.localdate())
    return _write(region=region, facts=facts, replaces=None, upload=upload, by=by)


def decree_replace(
    *,
    old: Decree,
    facts: DecreeFacts,
    upload: UploadedFile[Any] | None = None,
    by: User | None,
    today: dt.date | None = None,
) -> Decree:
    """Record a later decree that replaces `old`: `old` stops being in force and points to its successor."""
    _check_facts(DecreeFacts(**{**facts.__dict__, "in_force": True}), today or timezone.localdate())
    if facts.date < old.date:
        raise ValidationError(
            gettext("SK pengganti harus bertanggal sama dengan atau sesudah SK yang digantikannya. Periksa tanggal SK.")
        )
    return _write(region=old.region, facts=facts, replaces=old, upload=upload, by=by)


def _check_facts(facts: DecreeFacts, today: dt.date) -> None:
    if not facts.number.strip() or not facts.signer.strip():
        raise ValidationError(gettext("Isi nomor SK dan penanda tangannya terlebih dahulu."))
    refusal = rules.decree_refusal(
        date=facts.date,
        valid_from=facts.valid_from,
        valid_until=facts.valid_until,
        in_force=facts.in_force,
        today=today,
    )
    if refusal:
        raise ValidationError(refusal, code="decree_dates")


def _lock_and_check(region: Region, replaces: Decree | None, facts: DecreeFacts, by: User | None) -> None:
    lock_region(region)
    require_manage(by, region.code)
    in_force = Decree.objects.filter(region=region, in_force=True).first()
    if replaces is not None:
        if in_force is None or in_force.pk != replaces.pk:
            raise ValidationError(gettext("SK yang akan diganti sudah tidak berlaku. Muat ulang halaman Gugus Tugas."))
    elif facts.in_force and in_force is not None:
        raise ValidationError(
            gettext('Sudah ada SK yang berlaku (%(number)s). Gunakan "Ganti SK" untuk mencatat SK pengganti.')
            % {"number": in_force.number}
        )


def _write(
    *, region: Region, facts: DecreeFacts, replaces: Decree | None, upload: UploadedFile[Any] | None, by: User | None
) -> Decree:
    def create(document: Document | None) -> Decree:
        _lock_and_check(region, replaces, facts, by)
        return _create(region, facts, replaces, document, by)

    if upload is None:
        with transaction.atomic():
            return create(None)
    created: list[Decree] = []
    documents.receive(
        upload=upload,
        obj=region,
        region_code=region.code,
        kind=Document.Kind.DECREE,
        event="kla.taskforce.decree",
        still_writable=lambda: _lock_and_check(region, replaces, facts, by),
        by=by,
        then=lambda document: created.append(_create(region, facts, replaces, document, by)),
    )
    return created[0]


def _create(
    region: Region, facts: DecreeFacts, replaces: Decree | None, document: Document | None, by: User | None
) -> Decree:
    if replaces is not None:
        replaces.in_force = False
        replaces.save(update_fields=["in_force"])
    decree = Decree.objects.create(
        region=region,
        number=facts.number.strip(),
        date=facts.date,
        signer=facts.signer.strip(),
        valid_from=facts.valid_from,
        valid_until=facts.valid_until,
        in_force=True if replaces is not None else facts.in_force,
        document=document,
        created_by=by,
    )
    if replaces is not None:
        before = replaces.audit_view()
        replaces.replaced_by = decree
        replaces.save(update_fields=["replaced_by"])
        audit.record(
            action="kla.taskforce.decree.replaced",
            by=by,
            obj=replaces,
            region_code=region.code,
            before=before,
            after=replaces.audit_view(),
        )
    audit.record(
        action="kla.taskforce.decree.recorded",
        by=by,
        obj=decree,
        region_code=region.code,
        after={**decree.audit_view(), "file": documents.audit_view(document)},
    )
    return decree
