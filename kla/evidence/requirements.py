"""Required evidence: the instrument's `evidence` items of a question marked `required` (the default), against the
types of the files attached to it. Pure module: no Django import.

A requirement is met by any active evidence file of its type on the question, uploaded or attached by reference
from the region's records (`kla.evidence.linking`): both are evidence rows with an `evidence_type`. Missing required
evidence is listed when the self-assessment is submitted (an acknowledgeable missing item, not a blocker).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

NAMED_AT_MOST = 10  # questions named in a submission's list; the rest are counted


@dataclass(frozen=True)
class Requirement:
    type: str
    description: str
    description_en: str
    attached: bool


def requirements(spec: Mapping[str, Any], attached_types: Collection[str]) -> list[Requirement]:
    """The required evidence items of a question's rubric (`Question.spec`), in the instrument's order, each marked
    attached when a file of its type is among `attached_types` (the types of the question's active files)."""
    found = []
    items = spec.get("evidence") or []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, Mapping) or not item.get("required", True):
            continue
        kind = str(item.get("type", ""))
        found.append(
            Requirement(
                type=kind,
                description=str(item.get("description", "")),
                description_en=str(item.get("description_en", "")),
                attached=kind in attached_types,
            )
        )
    return found


def missing_types(spec: Mapping[str, Any], attached_types: Collection[str]) -> list[str]:
    """The evidence types a question still lacks, in the instrument's order, each once."""
    return list(dict.fromkeys(r.type for r in requirements(spec, attached_types) if not r.attached))


def missing_by_question(
    questions: Iterable[tuple[str, Mapping[str, Any]]], attached: Mapping[str, Collection[str]]
) -> list[tuple[str, list[str]]]:
    """(question code, the types it lacks) for each question, in the order given, that lacks required evidence;
    `attached` maps a question code to the types of its active files."""
    out = []
    for code, spec in questions:
        lacking = missing_types(spec, attached.get(code, ()))
        if lacking:
            out.append((code, lacking))
    return out


def first_missing(spec: Mapping[str, Any], attached_types: Collection[str]) -> str:
    """The type an upload form suggests: the first required type not attached yet, else the instrument's first type
    for the question, else nothing."""
    lacking = missing_types(spec, attached_types)
    if lacking:
        return lacking[0]
    items = spec.get("evidence") or []
    first = items[0] if isinstance(items, list) and items else None
    return str(first.get("type", "")) if isinstance(first, Mapping) else ""
