"""Adopting a version with the file of its legal basis: the file enters through `kla.evidence.intake` (inspection,
re-encoding, scanning, storage) and the adoption happens in the same transaction as the stored row, so a refused
adoption leaves no file and a refused file leaves the version a draft."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from kla.core import audit
from kla.core.wording import say
from kla.evidence import inspection, intake
from kla.evidence import services as evidence_services
from kla.rad import rules
from kla.rad.access import require_manage
from kla.rad.models import Document, Version
from kla.rad.services.scope import locked_draft
from kla.rad.services.versions import Basis, version_adopt

if TYPE_CHECKING:
    from kla.accounts.models import User

DOCUMENT_KINDS = frozenset({"pdf", "image", "office"})


def policy() -> inspection.EvidencePolicy:
    """The evidence policy (sizes from settings), for regulations: PDF, images and office files."""
    base = evidence_services.policy()
    return dataclasses.replace(base, allowed_kinds=base.allowed_kinds & DOCUMENT_KINDS)


def _adoptable(version: Version, basis: Basis, by: User | None) -> None:
    fresh = locked_draft(version)
    require_manage(by, fresh.plan.region_id)
    refusal = rules.basis_refusal(basis.kind, fresh.plan.region.kind, basis.number, basis.date, timezone.localdate())
    if refusal:
        raise ValidationError(say(refusal), code="basis")


def _attach(version: Version, document: Document, basis: Basis, by: User | None) -> None:
    adopted = version_adopt(version=version, basis=basis, by=by)
    adopted.basis_document = document
    adopted.save(update_fields=["basis_document"])
    audit.record(
        action="kla.rad.version.basis_stored",
        by=by,
        obj=adopted,
        object_label=f"{adopted.plan} {adopted}",
        region_code=adopted.plan.region_id,
        after={"document": document.pk, "name": document.name, "sha256": document.sha256, "size": document.size},
    )


def version_adopt_with_file(
    *, version: Version, basis: Basis, upload: UploadedFile[Any] | None, by: User | None
) -> Version:
    """Adopt `version` (see `version_adopt`); with `upload`, store the regulation's file as its basis document."""
    if upload is None:
        with transaction.atomic():
            return version_adopt(version=version, basis=basis, by=by)
    region_code = version.plan.region_id
    intake.receive(
        upload=upload,
        target=intake.Target(
            obj=version,
            object_label=f"{version.plan} {version}"[:200],
            region_code=region_code,
            policy=policy(),
            refused_event="kla.rad.document.refused",
            store_failed_event="kla.rad.document.store_failed",
            still_writable=lambda: _adoptable(version, basis, by),
            fallback_name="dasar-hukum",
        ),
        by=by,
        build=lambda accepted: Document(
            region_id=region_code,
            kind=Document.Kind.BASIS,
            name=accepted.inspection.safe_filename,
            mime=accepted.inspection.mime,
            size=accepted.inspection.size,
            sha256=accepted.inspection.sha256,
            uploaded_by=by,
        ),
        record=lambda document, accepted: _attach(version, document, basis, by),
    )
    return Version.objects.select_related("plan", "basis_document").get(pk=version.pk)
