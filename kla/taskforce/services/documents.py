"""Files of the task force come in through `kla.evidence.intake`, stored once under the region's path."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext

from kla.evidence import inspection, intake
from kla.evidence import services as evidence_services
from kla.taskforce.models import Document

if TYPE_CHECKING:
    from kla.accounts.models import User

DOCUMENT_KINDS = frozenset({"pdf", "image", "office"})


def policy() -> inspection.EvidencePolicy:
    """The evidence policy (sizes from settings), for documents: PDF, images and office files."""
    base = evidence_services.policy()
    return dataclasses.replace(base, allowed_kinds=base.allowed_kinds & DOCUMENT_KINDS)


def receive(
    *,
    upload: UploadedFile[Any] | None,
    obj: models.Model,
    region_code: str,
    kind: Document.Kind,
    event: str,
    still_writable: Callable[[], object],
    by: User | None,
    then: Callable[[Document], object],
    **links: Any,
) -> Document:
    """Inspect, scan and store one file as a `Document` of `kind` linked by `links` (meeting=…, follow_up=…);
    `then(document)` runs in the same transaction (the caller's row and audit event). Refusals as in the intake."""
    if upload is None:
        raise ValidationError(gettext("Pilih berkas yang akan diunggah terlebih dahulu."))
    received = intake.receive(
        upload=upload,
        target=intake.Target(
            obj=obj,
            object_label=str(obj)[:200],
            region_code=region_code,
            policy=policy(),
            refused_event=f"{event}.refused",
            store_failed_event=f"{event}.store_failed",
            still_writable=still_writable,
            fallback_name="dokumen",
        ),
        by=by,
        build=lambda accepted: Document(
            region_id=region_code,
            kind=kind,
            **accepted.stored_fields(),
            uploaded_by=by,
            **links,
        ),
        record=lambda document, accepted: then(document),
    )
    return received.row


def audit_view(document: Document | None) -> dict[str, Any] | None:
    if document is None:
        return None
    return {"id": document.pk, "name": document.name, "sha256": document.sha256, "size": document.size}
