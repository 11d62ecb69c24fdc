"""Writing to the audit log. Every service that changes data calls `record` inside its transaction."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.dispatch import Signal
from django.http import HttpRequest

from kla.core.models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

# Sent by `record` inside the caller's transaction, after the event is written, with `event` (the AuditEvent) and
# `obj` (the changed object, or None). Apps above listen (notifications); core knows none of them. A receiver that
# raises rolls the action back with it, so receivers write only what belongs to the same change.
audit_recorded = Signal()


def record(
    *,
    action: str,
    by: _User | AnonymousUser | None,
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
    actor = None if by is None or isinstance(by, AnonymousUser) else by
    event = AuditEvent.objects.create(
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
    audit_recorded.send(sender=AuditEvent, event=event, obj=obj)
    return event


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or, when the request comes from a trusted reverse proxy
    (`KLA_TRUSTED_PROXIES`), the last address that proxy put in X-Forwarded-For (nginx sets it to the peer address;
    anything a client sends in the header itself sits to the left and is ignored)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote and forwarded and remote in getattr(settings, "KLA_TRUSTED_PROXIES", []):
        candidate = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return str(remote)
    return str(remote) if remote else None
