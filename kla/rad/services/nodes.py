"""The structure of a draft version: programmes under an indicator, activities, sub-activities, and their outputs.

Only a draft changes (an adopted version is changed through a revision). Budget lines sit on leaves only: an
activity with money of its own gets no sub-activities, and one with sub-activities gets no money of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from kla.core import audit
from kla.core.wording import say
from kla.rad import rules
from kla.rad.access import require_manage
from kla.rad.models import Node, Output, Version
from kla.rad.services.scope import agency_in_scope, indicator_of, locked_draft

if TYPE_CHECKING:
    from kla.accounts.models import User

NAME_MAX, OUTPUT_MAX, UNIT_MAX = 400, 300, 60
HAS_MONEY = gettext_lazy(
    "{name} sudah memiliki anggaran sendiri, sehingga tidak dapat diberi sub kegiatan. "
    "Pindahkan anggarannya ke sub kegiatan: hapus anggaran kegiatan ini terlebih dahulu."
)


def _clean(text: str, limit: int, what: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ValidationError(gettext("Isi %(what)s terlebih dahulu.") % {"what": what}, code="empty")
    if len(text) > limit:
        raise ValidationError(f"{what.capitalize()} paling panjang {limit} karakter. Persingkat teksnya.", code="long")
    return text


def _level(level: str) -> rules.Level:
    try:
        return rules.Level(level)
    except ValueError:
        raise ValidationError(gettext("Pilih tingkat: program, kegiatan, atau sub kegiatan."), code="level") from None


def _check_parent(level: rules.Level, parent: Node | None, version: Version) -> None:
    wanted = rules.PARENT_LEVEL[level]
    label = rules.LEVEL_LABELS[level]
    if wanted is None and parent is not None:
        raise ValidationError(gettext("Program berada langsung di bawah indikator; jangan pilih induk."), code="parent")
    if wanted is not None and (parent is None or parent.level != wanted or parent.version_id != version.pk):
        raise ValidationError(
            gettext("%(label)s harus berada di bawah %(lower)s versi ini. Pilih induknya dari daftar.")
            % {"label": label, "lower": rules.LEVEL_LABELS[wanted].lower()},
            code="parent",
        )
    if parent is not None and parent.budget_lines.exists():
        raise ValidationError(HAS_MONEY.format(name=parent.name), code="parent_funded")


def _audit(action: str, node: Node, by: User | None, **extra: Any) -> None:
    audit.record(action=f"kla.rad.{action}", by=by, obj=node, region_code=node.version.plan.region_id, **extra)


@transaction.atomic
def node_add(
    *,
    version: Version,
    level: str,
    name: str,
    parent: Node | None = None,
    indicator_id: int | None = None,
    agency_id: int | None = None,
    code: str = "",
    by: User | None,
) -> Node:
    """Add a programme (under `indicator_id`), an activity (under a programme) or a sub-activity (under an
    activity) to a draft. Activities and sub-activities name the responsible agency (a sub-activity defaults to its
    activity's). Refused (nothing written): a version already adopted, a wrong parent, an indicator outside the
    plan's instrument, an agency outside the region, a code of the wrong shape or not under its parent's code."""
    version = locked_draft(version)
    plan = version.plan
    require_manage(by, plan.region_id)
    node_level = _level(level)
    _check_parent(node_level, parent, version)
    indicator = indicator_of(indicator_id, plan) if parent is None else parent.indicator
    if agency_id is None and node_level == rules.Level.SUB_ACTIVITY and parent is not None:
        agency_id = parent.agency_id
    agency = None
    if agency_id is not None or node_level in rules.FUNDED_LEVELS:
        agency = agency_in_scope(agency_id, plan.region)
    refusal = rules.code_refusal(node_level, code, parent.code if parent is not None else "")
    if refusal:
        raise ValidationError(say(refusal), code="code")
    node = Node.objects.create(
        version=version,
        level=node_level,
        parent=parent,
        indicator=indicator,
        agency=agency,
        code=rules.clean_code(code),
        name=_clean(name, NAME_MAX, "nama"),
        position=Node.objects.filter(version=version, parent=parent, indicator=indicator).count(),
    )
    _audit("node.added", node, by, after=node.audit_view())
    return node


@transaction.atomic
def node_update(*, node: Node, name: str, code: str = "", agency_id: int | None = None, by: User | None) -> Node:
    """Rename a node, correct its code or change the responsible agency (`agency_id` None keeps it) in a draft; its
    level, place and stable key stay, so realisation recorded under the key follows."""
    version = locked_draft(node.version)
    require_manage(by, version.plan.region_id)
    node = Node.objects.select_related("parent", "version__plan").get(pk=node.pk)
    before = node.audit_view()
    node_level = rules.Level(node.level)
    refusal = rules.code_refusal(node_level, code, node.parent.code if node.parent is not None else "")
    if refusal:
        raise ValidationError(say(refusal), code="code")
    if agency_id is not None:
        node.agency = agency_in_scope(agency_id, version.plan.region)
    node.name = _clean(name, NAME_MAX, "nama")
    node.code = rules.clean_code(code)
    node.save(update_fields=["name", "code", "agency"])
    _audit("node.updated", node, by, before=before, after=node.audit_view())
    return node


@transaction.atomic
def node_remove(*, node: Node, by: User | None) -> None:
    """Remove a node of a draft with everything under it (outputs, targets, budget lines). Realisation recorded
    under its key stays with the plan."""
    version = locked_draft(node.version)
    require_manage(by, version.plan.region_id)
    below = Node.objects.filter(Q(parent=node) | Q(parent__parent=node), version=version)
    removed = sorted(below.values_list("pk", flat=True))
    before = {**node.audit_view(), "children": removed}
    _audit("node.removed", node, by, before=before)
    node.delete()


@transaction.atomic
def output_add(*, node: Node, name: str, unit: str, by: User | None) -> Output:
    """Give an activity or sub-activity an output indicator with its unit (targets per year come next)."""
    version = locked_draft(node.version)
    require_manage(by, version.plan.region_id)
    if node.level not in rules.FUNDED_LEVELS:
        raise ValidationError(
            gettext("Indikator keluaran diberikan pada kegiatan atau sub kegiatan, bukan pada program."), code="level"
        )
    output = Output.objects.create(
        node=node,
        name=_clean(name, OUTPUT_MAX, "indikator keluaran"),
        unit=_clean(unit, UNIT_MAX, "satuan"),
        position=node.outputs.count(),
    )
    _audit(
        "output.added",
        node,
        by,
        after={"output": output.pk, "key": str(output.key), "name": output.name, "unit": output.unit},
    )
    return output


@transaction.atomic
def output_update(*, output: Output, name: str, unit: str, by: User | None) -> Output:
    """Correct an output indicator's name or unit in a draft (its key, and so its recorded achievements, stay)."""
    version = locked_draft(output.node.version)
    require_manage(by, version.plan.region_id)
    before = {"name": output.name, "unit": output.unit}
    output.name = _clean(name, OUTPUT_MAX, gettext("indikator keluaran"))
    output.unit = _clean(unit, UNIT_MAX, "satuan")
    output.save(update_fields=["name", "unit"])
    _audit(
        "output.updated",
        output.node,
        by,
        before=before,
        after={"output": output.pk, "name": output.name, "unit": output.unit},
    )
    return output


@transaction.atomic
def output_remove(*, output: Output, by: User | None) -> None:
    """Remove an output indicator of a draft with its targets."""
    version = locked_draft(output.node.version)
    require_manage(by, version.plan.region_id)
    before = {"output": output.pk, "key": str(output.key), "name": output.name, "unit": output.unit}
    _audit("output.removed", output.node, by, before=before)
    output.delete()
