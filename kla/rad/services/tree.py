"""Replacing the whole tree of a draft, for an import of the plan sheet into a draft that already has content (the
person confirmed "Ganti isi draf"): every programme, activity and sub-activity of the draft is removed with its
outputs, targets and budget lines, then the sheet is written, all in the caller's transaction (a refused sheet
leaves the draft as it was). An adopted version is never touched: only a draft is cleared.

A node of the new tree at the same place as a removed one (indicator, level, and the names from its programme
down, ignoring case and spaces) keeps the removed node's stable key, and an output of the same name under it the
output's key, so realisation recorded under those keys still follows the activity after the revision's adoption.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.db.models import Sum

from kla.core import audit
from kla.rad.access import require_manage
from kla.rad.models import BudgetLine, Node, Output, Version
from kla.rad.services.scope import locked_draft

if TYPE_CHECKING:
    from kla.accounts.models import User

Path = tuple[object, ...]


@dataclass(frozen=True)
class Places:
    """The draft's nodes and outputs by their place in the tree: (pk, stable key)."""

    nodes: dict[Path, tuple[int, UUID]]
    outputs: dict[Path, tuple[int, UUID]]


def _name(text: str) -> str:
    return " ".join(text.split()).casefold()


def places(version: Version) -> Places:
    """Two queries."""
    rows = {n.pk: n for n in Node.objects.filter(version=version).only("key", "parent_id", "indicator_id", "name")}

    def path(node: Node) -> Path:
        names: list[str] = []
        current: Node | None = node
        while current is not None:
            names.append(_name(current.name))
            current = rows.get(current.parent_id) if current.parent_id is not None else None
        return (node.indicator_id, node.level, *reversed(names))

    nodes = {path(n): (n.pk, n.key) for n in rows.values()}
    outputs = {
        (*path(rows[node_id]), _name(name)): (pk, key)
        for pk, node_id, name, key in Output.objects.filter(node__version=version).values_list(
            "pk", "node_id", "name", "key"
        )
    }
    return Places(nodes, outputs)


@transaction.atomic
def tree_clear(*, version: Version, by: User | None) -> Places:
    """Remove the draft's whole tree (refused unless `version` is still a draft and `by` draws up the plan);
    returns where its nodes and outputs were, for `keys_keep`."""
    fresh = locked_draft(version)
    require_manage(by, fresh.plan.region_id)
    before = places(fresh)
    total = BudgetLine.objects.filter(node__version=fresh).aggregate(total=Sum("amount"))["total"]
    Node.objects.filter(version=fresh).delete()
    audit.record(
        action="kla.rad.version.tree_cleared",
        by=by,
        obj=fresh,
        object_label=f"{fresh.plan} {fresh}"[:255],
        region_code=fresh.plan.region_id,
        before={"nodes": len(before.nodes), "budget": str(total or 0)},
        reason="Isi draf diganti dengan impor lembar kerja.",
    )
    return before


def keys_keep(*, version: Version, before: Places, by: User | None) -> int:
    """Give each new node and output at the place of a removed one its stable key; the number kept (audited)."""
    after = places(version)
    kept = 0
    for model, old, new in ((Node, before.nodes, after.nodes), (Output, before.outputs, after.outputs)):
        for path, (pk, _key) in new.items():
            if path in old:
                model.objects.filter(pk=pk).update(key=old[path][1])
                kept += 1
    if kept:
        audit.record(
            action="kla.rad.version.keys_kept",
            by=by,
            obj=version,
            object_label=f"{version.plan} {version}"[:255],
            region_code=version.plan.region_id,
            after={"count": kept},
        )
    return kept
