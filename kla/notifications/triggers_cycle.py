"""What notifies whom, for a cycle as a whole: stage opening and extension, field visits, publication, and the export
that is ready (called by reports, which sits above)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from kla.accounts.models import User
from kla.core.models import AuditEvent
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.stages import Stage
from kla.notifications import selectors as who
from kla.notifications import wording
from kla.notifications.models import Kind
from kla.notifications.services import Message, deliver
from kla.notifications.triggers import on, when
from kla.regions.zones import zone_of


def _cycle(event: AuditEvent) -> Cycle | None:
    return Cycle.objects.filter(pk=event.object_id).first()


@on("kla.cycle.opened")
def cycle_opened(event: AuditEvent, obj: Any) -> int:
    """The secretariat of every participating kab/kota: the self-assessment is open."""
    cycle = _cycle(event)
    if cycle is None:
        return 0
    regions = list(Evaluation.objects.filter(cycle=cycle).values_list("region_id", flat=True))

    def build() -> Message:
        return Message(
            kind=Kind.STAGE,
            title=_("Tahap evaluasi mandiri dibuka · %(cycle)s") % {"cycle": cycle.name},
            body=_("Siklus %(cycle)s dibuka. Bagikan indikator kepada instansi dan mulai mengisi evaluasi mandiri.")
            % {"cycle": cycle.name},
            url=reverse("evaluations:evaluations"),
            key=f"stage-opened:{cycle.pk}:{Stage.SELF_ASSESSMENT.value}",
            object_type="evaluations.cycle",
            object_id=str(cycle.pk),
        )

    return deliver(who.secretariat_of(regions), build, now=event.at)


@on("kla.cycle.deadline_extended")
def deadline_extended(event: AuditEvent, obj: Any) -> int:
    """The secretariat of the kab/kota concerned (every participant when the whole cycle's stage moved)."""
    cycle = _cycle(event)
    after = event.after or {}
    if cycle is None or "stage" not in after:
        return 0
    regions = after.get("regions")
    evaluations = Evaluation.objects.filter(cycle=cycle)
    if isinstance(regions, list):
        evaluations = evaluations.filter(region_id__in=regions)
    codes = list(evaluations.values_list("region_id", flat=True))
    stage = Stage(after["stage"])
    total = 0
    for code in codes if isinstance(regions, list) else [None]:

        def build(code: str | None = code) -> Message:
            return Message(
                kind=Kind.STAGE,
                title=_("Batas waktu %(stage)s diperpanjang · %(cycle)s")
                % {"stage": wording.stage(stage), "cycle": cycle.name},
                body=_("Batas waktu baru: %(deadline)s. Alasan: %(reason)s")
                % {"deadline": when(after.get("ends_at"), code), "reason": event.reason},
                url=reverse("evaluations:evaluations"),
                key=f"extended:{cycle.pk}:{event.pk}",
                email=False,  # the secretariats are emailed already (evaluations.tasks.send_extension_notice)
                object_type="evaluations.cycle",
                object_id=str(cycle.pk),
            )

        total += deliver(who.secretariat_of([code] if code else codes), build, now=event.at)
    return total


@on("kla.fieldplan.created", "kla.fieldplan.updated")
def field_visit_planned(event: AuditEvent, obj: Any) -> int:
    """The kab/kota's secretariat: the date and the way of the field verification (again when it changes)."""
    from kla.fieldvisits.models import FieldPlan

    plan = (
        FieldPlan.objects.select_related("evaluation__region", "evaluation__cycle").filter(pk=event.object_id).first()
    )
    if plan is None:
        return 0
    evaluation = plan.evaluation

    def build() -> Message:
        return Message(
            kind=Kind.FIELD_VISIT,
            title=_("Verifikasi lapangan direncanakan · %(region)s") % {"region": evaluation.region.name},
            body=_("Verifikasi lapangan %(cycle)s: %(mode)s pada %(date)s.")
            % {
                "cycle": evaluation.cycle.name,
                "mode": plan.get_mode_display().lower(),
                "date": wording.on(plan.visit_date),
            },
            url=reverse("evaluations:evaluation_detail", args=[evaluation.pk]),
            key=f"fieldplan:{plan.pk}:{plan.visit_date.isoformat()}:{plan.mode}",
            object_type="fieldvisits.fieldplan",
            object_id=str(plan.pk),
        )

    return deliver(who.secretariat_of([evaluation.region_id]), build, now=event.at)


@on("kla.cycle.publish_requested")
def publication_requested(event: AuditEvent, obj: Any) -> int:
    """The other ministry administrators: one of them must confirm."""
    cycle = _cycle(event)
    if cycle is None:
        return 0
    others = [u for u in who.ministry_admins() if u.pk != event.actor_id]

    def build() -> Message:
        release = when((event.after or {}).get("release_at"), None)
        return Message(
            kind=Kind.PUBLICATION,
            title=_("Permintaan pengumuman menunggu konfirmasi · %(cycle)s") % {"cycle": cycle.name},
            body=_(
                "%(who)s meminta hasil %(cycle)s diumumkan pada %(release)s. Konfirmasi harus dilakukan "
                "administrator lain."
            )
            % {"who": event.actor_label, "cycle": cycle.name, "release": release},
            url=reverse("results:publication", kwargs={"cycle_code": cycle.code}),
            key=f"publish-requested:{cycle.pk}:{event.pk}",
            object_type="evaluations.cycle",
            object_id=str(cycle.pk),
        )

    return deliver(others, build, now=event.at)


@on("kla.cycle.published")
def results_published(event: AuditEvent, obj: Any) -> int:
    """Each published kab/kota's secretariat, and its province's reviewers: when the results become visible."""
    cycle = _cycle(event)
    if cycle is None or cycle.release_at is None:
        return 0
    release_at = cycle.release_at
    rows = list(
        Evaluation.objects.filter(cycle=cycle, status=Evaluation.Status.PUBLISHED).values_list(
            "region_id", "region__parent_id"
        )
    )
    regions = {code: [code] for code, _province in rows}
    for code, province in rows:
        regions.setdefault(province or "", []).append(code)
    total = 0
    for place, codes in regions.items():
        if not place:
            continue

        def build(place: str = place) -> Message:
            return Message(
                kind=Kind.PUBLISHED,
                title=_("Hasil %(cycle)s diumumkan") % {"cycle": cycle.name},
                body=_("Hasil evaluasi %(cycle)s ditetapkan dan dapat dilihat mulai %(release)s.")
                % {"cycle": cycle.name, "release": wording.at(release_at, zone_of(place))},
                url=reverse("results:region", kwargs={"code": place}),
                key=f"published:{cycle.pk}:{place}",
                object_type="evaluations.cycle",
                object_id=str(cycle.pk),
            )

        people = who.secretariat_of([place]) if place in codes else who.province_reviewers_of([place])
        total += deliver(people, build, now=event.at)
    return total


def export_ready(*, export: Any, label: str | Callable[[], str]) -> int:
    """Tell the requester their export is ready (reports calls this when a file is stored). `label` is the report's
    name, or a function that names it in the active language (called in the requester's)."""
    requester: User | None = export.requested_by
    if requester is None:
        return 0

    def build() -> Message:
        return Message(
            kind=Kind.EXPORT,
            title=_("Laporan siap diunduh: %(label)s") % {"label": label() if callable(label) else label},
            body=_("Laporan yang Anda minta sudah selesai dibuat dan dapat diunduh dari halaman Laporan."),
            url=reverse("reports:index"),
            key=f"export:{export.pk}",
            object_type=export._meta.label_lower,
            object_id=str(export.pk),
        )

    return deliver([requester], build)
