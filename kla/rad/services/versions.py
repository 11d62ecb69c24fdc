"""Adopting a version with its legal basis, and starting a revision as a copy of the adopted version.

A revision copies every node, output, target and budget line with the same stable keys (`key`), so realisation
recorded under a key follows the activity, and the adopted figures stay untouched for comparison. Adopting the
revision supersedes its predecessor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.core import audit
from kla.core.wording import say
from kla.rad import rules
from kla.rad.access import require_manage
from kla.rad.models import BudgetLine, Node, Output, Plan, Target, Version
from kla.rad.services.scope import lock_plan, locked_draft

if TYPE_CHECKING:
    from kla.accounts.models import User


@dataclass(frozen=True, slots=True)
class Basis:
    """The regulation that adopts a version: its kind (perda, perbup, perwal, pergub), number and date."""

    kind: str
    number: str
    date: dt.date | None


@transaction.atomic
def version_adopt(*, version: Version, basis: Basis, by: User | None, today: dt.date | None = None) -> Version:
    """Adopt a draft with its legal basis; a revision supersedes the version it revises. Refused (nothing written):
    a version already adopted, a basis that does not fit the region (a Perbup for a kota) or lacks its number or
    date, a date in the future, or a draft without any funded activity."""
    version = locked_draft(version)
    plan = version.plan
    require_manage(by, plan.region_id)
    refusal = rules.basis_refusal(basis.kind, plan.region.kind, basis.number, basis.date, today or timezone.localdate())
    if refusal:
        raise ValidationError(say(refusal), code="basis")
    if not BudgetLine.objects.filter(node__version=version).exists():
        raise ValidationError(
            gettext(
                "Rencana belum memiliki kegiatan beranggaran. Tambahkan kegiatan dan anggarannya sebelum ditetapkan."
            ),
            code="empty",
        )
    previous = Version.objects.filter(plan=plan, status=Version.Status.ADOPTED).first()
    if previous is not None:
        previous.status = Version.Status.SUPERSEDED
        previous.save(update_fields=["status"])
        audit.record(
            action="kla.rad.version.superseded",
            by=by,
            obj=previous,
            object_label=f"{plan} {previous}",
            region_code=plan.region_id,
            after={"status": previous.status, "by_version": version.number},
        )
    before = version.audit_view()
    version.basis_kind = basis.kind
    version.basis_number = " ".join(basis.number.split())[:120]
    version.basis_date = basis.date
    version.status = Version.Status.ADOPTED
    version.adopted_at = timezone.now()
    version.adopted_by = by
    version.save(update_fields=["basis_kind", "basis_number", "basis_date", "status", "adopted_at", "adopted_by"])
    audit.record(
        action="kla.rad.version.adopted",
        by=by,
        obj=version,
        object_label=f"{plan} {version}",
        region_code=plan.region_id,
        before=before,
        after=version.audit_view(),
    )
    return version


def _copy_nodes(source: Version, target: Version) -> dict[int, Node]:
    """Copy the nodes level by level (parents first), keeping keys; old pk → new node."""
    copied: dict[int, Node] = {}
    for level in rules.Level:
        originals = list(Node.objects.filter(version=source, level=level).order_by("position", "id"))
        fresh = Node.objects.bulk_create(
            Node(
                version=target,
                key=n.key,
                level=n.level,
                parent=copied[n.parent_id] if n.parent_id is not None else None,
                indicator_id=n.indicator_id,
                agency_id=n.agency_id,
                code=n.code,
                name=n.name,
                position=n.position,
            )
            for n in originals
        )
        copied.update({old.pk: new for old, new in zip(originals, fresh, strict=True)})
    return copied


def _copy_figures(source: Version, nodes: dict[int, Node]) -> None:
    outputs = list(Output.objects.filter(node__version=source).order_by("id"))
    fresh = Output.objects.bulk_create(
        Output(node=nodes[o.node_id], key=o.key, name=o.name, unit=o.unit, position=o.position) for o in outputs
    )
    by_old = {old.pk: new for old, new in zip(outputs, fresh, strict=True)}
    Target.objects.bulk_create(
        Target(output=by_old[t.output_id], year=t.year, value=t.value)
        for t in Target.objects.filter(output__node__version=source)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(node=nodes[b.node_id], year=b.year, source=b.source, amount=b.amount)
        for b in BudgetLine.objects.filter(node__version=source)
    )


@transaction.atomic
def revision_start(*, plan: Plan, by: User | None) -> Version:
    """Start a revision of the adopted version: a new draft, a copy of it with the same stable keys. Refused: a plan
    without an adopted version (edit its draft instead), or one whose revision is already under way."""
    plan = lock_plan(plan)
    require_manage(by, plan.region_id)
    versions = list(Version.objects.filter(plan=plan))
    if any(v.is_draft for v in versions):
        raise ValidationError(
            gettext("Rencana ini sudah memiliki draf yang belum ditetapkan. Lanjutkan draf itu."), code="draft_exists"
        )
    adopted = next((v for v in versions if v.status == Version.Status.ADOPTED), None)
    if adopted is None:
        raise ValidationError(gettext("Rencana ini belum ditetapkan; ubah drafnya langsung."), code="not_adopted")
    revision = Version.objects.create(
        plan=plan, number=max(v.number for v in versions) + 1, based_on=adopted, created_by=by
    )
    _copy_figures(adopted, _copy_nodes(adopted, revision))
    audit.record(
        action="kla.rad.revision.started",
        by=by,
        obj=revision,
        object_label=f"{plan} {revision}",
        region_code=plan.region_id,
        after=revision.audit_view(),
    )
    return revision
