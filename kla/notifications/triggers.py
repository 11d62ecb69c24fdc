"""What notifies whom: audit action code → who is told and what. `on_audit` receives `kla.core.audit.audit_recorded`
inside the transaction of the action, so the notifications are written (or not) with it. Each message is built by a
function `deliver` calls once per language of the recipients (dates through `wording`). Never a score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from kla.accounts.models import User
from kla.core.models import AuditEvent
from kla.evaluations.models import Entry, Evaluation
from kla.notifications import selectors as who
from kla.notifications import wording
from kla.notifications.models import Kind
from kla.notifications.services import Message, deliver
from kla.regions.zones import zone_of

Handler = Callable[[AuditEvent, Any], int]
REGISTRY: dict[str, Handler] = {}


def on(*actions: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for action in actions:
            REGISTRY[action] = handler
        return handler

    return register


def on_audit(sender: type[AuditEvent], event: AuditEvent, obj: Model | None = None, **kwargs: Any) -> None:
    handler = REGISTRY.get(event.action)
    if handler is None:
        return
    with override("id"):
        handler(event, obj)


def _entry(event: AuditEvent) -> Entry | None:
    return (
        Entry.objects.select_related("indicator", "evaluation__region", "evaluation__cycle")
        .filter(pk=event.object_id)
        .first()
    )


def _minute(event: AuditEvent) -> str:
    return event.at.strftime("%Y%m%d%H%M")


@on("kla.entry.assigned")
def entry_assigned(event: AuditEvent, obj: Any) -> int:
    """The operators of each newly assigned agency; one notification per person for a batch of assignments."""
    entry = _entry(event)
    new = set((event.after or {}).get("agencies", [])) - set((event.before or {}).get("agencies", []))
    if entry is None or not new:
        return 0
    evaluation = entry.evaluation

    def build() -> Message:
        return Message(
            kind=Kind.ASSIGNED,
            title=_("Indikator baru ditugaskan kepada instansi Anda · %(region)s") % {"region": evaluation.region.name},
            body=f"{entry.indicator.number}. {entry.indicator.name}",
            url=reverse("evaluations:my_work"),
            key=f"assigned:{evaluation.pk}:{_minute(event)}",
            merge=True,
            object_type=evaluation._meta.label_lower,
            object_id=str(evaluation.pk),
        )

    return deliver(who.operators_of(new), build, now=event.at)


@on("kla.entry.returned")
def entry_returned(event: AuditEvent, obj: Any) -> int:
    """The kab/kota's secretariat and the operators of the agencies assigned to the entry: which indicator, why,
    by when. One notification per person for the entries returned together."""
    entry = _entry(event)
    if entry is None:
        return 0
    evaluation = entry.evaluation
    zone = zone_of(evaluation.region_id)
    agencies = list(entry.assignments.values_list("agency_id", flat=True))
    secretariat = who.secretariat_of([evaluation.region_id])
    people = {u.pk: u for u in [*secretariat, *who.operators_of(agencies)]}

    def build() -> Message:
        line = _("%(number)s. %(name)s: %(reason)s (batas perbaikan %(deadline)s)") % {
            "number": entry.indicator.number,
            "name": entry.indicator.name,
            "reason": entry.return_reason,
            "deadline": wording.at(entry.return_deadline, zone) if entry.return_deadline else "-",
        }
        return Message(
            kind=Kind.RETURNED,
            title=_("Indikator dikembalikan untuk diperbaiki · %(cycle)s · %(region)s")
            % {"cycle": evaluation.cycle.name, "region": evaluation.region.name},
            body=line,
            url=reverse("evaluations:entry_detail", args=[entry.pk]),
            key=f"returned:{evaluation.pk}:{entry.returned_at.isoformat() if entry.returned_at else _minute(event)}",
            merge=True,
            # the secretariat's email lists the returned entries already (kla.verification.tasks.notify_returned)
            emailed_elsewhere=frozenset(u.pk for u in secretariat),
            object_type=evaluation._meta.label_lower,
            object_id=str(evaluation.pk),
        )

    return deliver(people.values(), build, now=event.at)


@on("kla.entry.resubmitted")
def entry_resubmitted(event: AuditEvent, obj: Any) -> int:
    """The verifier who returned the entry."""
    entry = _entry(event)
    if entry is None or entry.returned_by_id is None:
        return 0
    returned_by = User.objects.filter(pk=entry.returned_by_id, is_active=True)

    def build() -> Message:
        return Message(
            kind=Kind.RESUBMITTED,
            title=_("Indikator dikirim ulang setelah diperbaiki · %(region)s")
            % {"region": entry.evaluation.region.name},
            body=_("%(number)s. %(name)s dikirim ulang oleh %(who)s dan siap diperiksa kembali.")
            % {"number": entry.indicator.number, "name": entry.indicator.name, "who": event.actor_label},
            url=reverse("verification:entry", args=[entry.pk]),
            key=f"resubmitted:{entry.pk}:{event.pk}",
            object_type=entry._meta.label_lower,
            object_id=str(entry.pk),
        )

    return deliver(list(returned_by), build, now=event.at)


def _evaluation(event: AuditEvent) -> Evaluation | None:
    return Evaluation.objects.select_related("region", "cycle").filter(pk=event.object_id).first()


@on("kla.evaluation.submitted")
def evaluation_submitted(event: AuditEvent, obj: Any) -> int:
    """The reviewers of the kab/kota's province."""
    evaluation = _evaluation(event)
    if evaluation is None:
        return 0

    def build() -> Message:
        return Message(
            kind=Kind.SUBMITTED,
            title=_("Evaluasi mandiri dikirim · %(region)s") % {"region": evaluation.region.name},
            body=_("%(region)s mengirim evaluasi mandiri %(cycle)s pada %(when)s. Evaluasi ini menunggu verifikasi.")
            % {
                "region": evaluation.region.name,
                "cycle": evaluation.cycle.name,
                "when": wording.at(event.at, zone_of(evaluation.region_id)),
            },
            url=reverse("verification:evaluation", args=[evaluation.pk]),
            key=f"submitted:{evaluation.pk}:{event.pk}",
            object_type=evaluation._meta.label_lower,
            object_id=str(evaluation.pk),
        )

    return deliver(who.province_reviewers_of([evaluation.region.parent_id or ""]), build, now=event.at)


def when(value: str | None, region_code: str | None) -> str:
    """A stored ISO instant in the region's zone (WIB without one), in the language being written in."""
    return wording.at(dt.datetime.fromisoformat(value), zone_of(region_code)) if value else "-"
