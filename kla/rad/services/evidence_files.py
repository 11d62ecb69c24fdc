"""Evidence files of a quarter's realisation: added through `kla.evidence.intake` (inspection, re-encoding, scanning,
storage) and removed softly. Only a recorded quarter takes files (record its figures first); who may add or remove
one is who records that quarter (`kla.rad.access.can_realise_recorded`). Audited ``kla.rad.realisation.file.*``."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from kla.core import audit
from kla.evidence import inspection, intake
from kla.evidence import services as evidence_services
from kla.rad import access
from kla.rad.models import Realisation, RealisationFile
from kla.rad.services.scope import lock_plan

if TYPE_CHECKING:
    from kla.accounts.models import User

FILE_KINDS = frozenset({"pdf", "image", "office"})
NO_FILE = gettext_lazy("Pilih foto atau dokumen bukti realisasi yang akan diunggah terlebih dahulu.")


def policy() -> inspection.EvidencePolicy:
    """The evidence policy (sizes from settings), for photos and documents of a realisation."""
    base = evidence_services.policy()
    return dataclasses.replace(base, allowed_kinds=base.allowed_kinds & FILE_KINDS)


def label_of(realisation: Realisation) -> str:
    """What the file proves, as the evidence picker and the entry page name it."""
    node = access.activity_node(realisation)
    name = node.name if node is not None else "kegiatan"
    return (
        gettext("%(name)s, triwulan %(quarter)s %(year)s")
        % {"name": name, "quarter": realisation.quarter, "year": realisation.year}
    )[:200]


def _writable(realisation: Realisation, by: User | None) -> None:
    lock_plan(realisation.plan)
    if by is not None and not access.can_realise_recorded(by, realisation):
        raise PermissionDenied(access.REALISE_REFUSED)


def realisation_file_add(
    *, realisation: Realisation, upload: UploadedFile[Any] | None, by: User | None
) -> RealisationFile:
    """Inspect, scan and store one photo or document of a recorded quarter (refusals as in `kla.evidence.intake`)."""
    if upload is None:
        raise ValidationError(NO_FILE, code="no_file")
    region_code = realisation.plan.region_id
    label = label_of(realisation)

    def record(row: RealisationFile, accepted: intake.Accepted) -> None:
        audit.record(
            action="kla.rad.realisation.file.added", by=by, obj=row, region_code=region_code, after=row.audit_view()
        )

    received = intake.receive(
        upload=upload,
        target=intake.Target(
            obj=realisation,
            object_label=label,
            region_code=region_code,
            policy=policy(),
            refused_event="kla.rad.realisation.file.refused",
            store_failed_event="kla.rad.realisation.file.store_failed",
            still_writable=lambda: _writable(realisation, by),
            fallback_name="bukti-realisasi",
        ),
        by=by,
        build=lambda accepted: RealisationFile(
            realisation=realisation,
            region_id=region_code,
            label=label,
            **accepted.stored_fields(),
            uploaded_by=by,
        ),
        record=record,
    )
    return received.row


@transaction.atomic
def realisation_file_remove(*, file: RealisationFile, by: User | None) -> RealisationFile:
    """Remove a file from the realisation and from the picker; evidence already linked to it keeps it."""
    current = RealisationFile.objects.select_for_update().select_related("realisation__plan").get(pk=file.pk)
    _writable(current.realisation, by)
    if current.removed_at is not None:
        raise ValidationError(gettext("Berkas ini sudah dihapus sebelumnya."), code="removed")
    current.removed_at = timezone.now()
    current.removed_by = by
    current.save(update_fields=["removed_at", "removed_by"])
    audit.record(
        action="kla.rad.realisation.file.removed",
        by=by,
        obj=current,
        region_code=current.region_id,
        before=current.audit_view(),
    )
    return current
