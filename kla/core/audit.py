"""Writing to the audit log. Every service that changes data calls `record` inside its transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from kla.core.models import AuditEvent


def record(
    *,
    action: str,
    by: Any | None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    region_code: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit event. `action` is a dotted code such as ``kla.membership.granted``.

    `by` is the acting user (or None for the system: migrations, commands run without --by).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:255]
    actor = by if (by is not None and getattr(by, "is_authenticated", False)) else None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=(actor.get_username() if actor is not None else "sistem")[:150],
        object_type=object_type,
        object_id=object_id,
        object_label=object_label[:255],
        region_code=region_code,
        before=before,
        after=after,
        reason=reason,
        ip=ip,
    )


def client_ip(request: Any) -> str | None:
    """The client address as seen by the server (REMOTE_ADDR; the proxy sets it, X-Forwarded-For is not trusted)."""
    value = request.META.get("REMOTE_ADDR") if request is not None else None
    return str(value) if value else None
