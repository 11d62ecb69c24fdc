"""The history of one entry (indicator): its state changes, assignments, answers, evidence, returns and verdicts, as a
person reads them (labels, names, formatted values), for its reviewers and for the kab/kota that fills it.

Sealed values stay sealed: a verdict (with its points and reason) or an acceptance of a review stage the viewer may not
see yet (`selectors.visible_verdict_stages`: before publication a province sees its own stage, the kab/kota none) is
left out. A return is addressed to the kab/kota and carries no score, so everybody who sees the entry sees it.

A fixed number of queries whatever the number of events: the ids of the entry's answers and evidence (one UNION),
the events with their actors, then one query per kind of object the values name (agencies, regions, indicators,
entries).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Value
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Role
from kla.agencies.models import Agency
from kla.core.audit_display import Choices, EventView, Names, describe, references
from kla.core.compiled import CompiledQuery
from kla.core.models import AuditEvent
from kla.evaluations.access import get_entry_for_user
from kla.evaluations.models import Answer, Entry, Evaluation
from kla.evidence.models import Evidence
from kla.indicators.framework_schema import EVIDENCE_TYPE_LABELS
from kla.indicators.models import Indicator
from kla.regions.models import Region
from kla.verification.models import Verdict

# Events that carry the points or the decision of one review stage.
SEALED_ACTIONS = frozenset({"kla.verdict.recorded", "kla.verdict.field_points", "kla.entry.accepted"})
NOT_SHOWN = ("kla.evidence.downloaded",)  # reading a file changes nothing
LIMIT = 200
# What the history shows of an event and of its actor (`names`: the actor's full name or username).
EVENT_FIELDS = (
    "at",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "before",
    "after",
    "reason",
    "actor__first_name",
    "actor__last_name",
    "actor__username",
)


def get_entry_for_history(user: User, pk: int) -> Entry:
    """An entry whose history the user may read: any entry of the user's scope for the secretariat, reviewers and the
    ministry; for an operator only the entries assigned to one of their agencies. 404 otherwise, as for an unknown
    id."""
    entry = get_entry_for_user(user, pk)
    if not may_read(user, entry):
        raise Http404(access.NOT_FOUND)
    return entry


def may_read(user: User, entry: Entry) -> bool:
    """Whether the user may read the history of an entry of their scope (the assignments prefetched: no query)."""
    if access.roles_over(user, entry.evaluation.region_id) - {Role.OPD_OPERATOR}:
        return True
    return bool({a.agency_id for a in entry.assignments.all()} & access.agency_ids(user))


def events(entry: Entry, allowed_stages: set[str], limit: int = LIMIT, known: Known | None = None) -> list[AuditEvent]:
    """The events of the entry, its answers and its evidence, newest first, without those of sealed stages; `known`:
    the ids of the entry's answers and files when the caller has read them already (no query for them here)."""
    ids = (
        _object_ids(entry)
        if known is None
        else {
            "evaluations.answer": [str(pk) for pk in known.answers],
            "evidence.evidence": [str(pk) for pk in known.files],
        }
    )
    answers, files = ids["evaluations.answer"], ids["evidence.evidence"]
    found = _events_query(len(answers), len(files), limit).fetch(str(entry.pk), *answers, *files)
    return [event for event in found if visible(event, allowed_stages)]


@functools.lru_cache(maxsize=128)
def _events_query(answers: int, files: int, limit: int) -> CompiledQuery[AuditEvent]:
    """The events query for an entry with this many answers and files, compiled once per process and shape."""

    def build(entry_id: str, *ids: str) -> QuerySet[AuditEvent]:
        return (
            AuditEvent.objects.filter(
                Q(object_type="evaluations.entry", object_id=entry_id)
                | Q(object_type="evaluations.answer", object_id__in=ids[:answers])
                | Q(object_type="evidence.evidence", object_id__in=ids[answers:])
            )
            .exclude(action__in=NOT_SHOWN)
            .select_related("actor")
            .only(*EVENT_FIELDS)
            .order_by("-at", "-id")[:limit]
        )

    return CompiledQuery(build, *([str] * (1 + answers + files)))


def _object_ids(entry: Entry) -> dict[str, list[str]]:
    """The ids of the entry's answers and evidence rows (one UNION)."""
    ids: dict[str, list[str]] = {"evaluations.answer": [], "evidence.evidence": []}
    for object_type, pk in (
        Answer.objects.filter(entry=entry)
        .annotate(object_type=Value("evaluations.answer"))
        .values_list("object_type", "pk")
        .order_by()
        .union(
            Evidence.objects.filter(entry=entry)
            .annotate(object_type=Value("evidence.evidence"))
            .values_list("object_type", "pk")
            .order_by(),
            all=True,
        )
    ):
        ids[object_type].append(str(pk))
    return ids


def visible(event: AuditEvent, allowed_stages: set[str]) -> bool:
    """Whether a viewer who may see the verdicts of `allowed_stages` may see this event at all."""
    if event.action not in SEALED_ACTIONS:
        return True
    after = event.after if isinstance(event.after, dict) else {}
    return str(after.get("stage", Verdict.Stage.FIELD.value)) in allowed_stages


def names(found: Iterable[AuditEvent]) -> Names:
    """The names of the objects the events name: one query per kind present; the actors from the events' join."""
    found = list(found)
    wanted = references(found)
    result: dict[str, dict[Any, str]] = {
        "user": {e.actor_id: e.actor.get_full_name() or e.actor.get_username() for e in found if e.actor is not None}
    }
    ints = {kind: {int(v) for v in values if str(v).isdigit()} for kind, values in wanted.items()}
    if ints.get("agency"):
        result["agency"] = dict(Agency.objects.filter(pk__in=ints["agency"]).values_list("pk", "name"))
    if wanted.get("region"):
        codes = {str(v) for v in wanted["region"]}
        result["region"] = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    if ints.get("indicator"):
        result["indicator"] = {
            pk: f"{code} {name}"
            for pk, code, name in Indicator.objects.filter(pk__in=ints["indicator"]).values_list("pk", "code", "name")
        }
    if ints.get("entry"):
        result["entry"] = {
            pk: f"{code} {name}"
            for pk, code, name in Entry.objects.filter(pk__in=ints["entry"]).values_list(
                "pk", "indicator__code", "indicator__name"
            )
        }
    return result


def choices() -> Choices:
    """How the coded values of an entry's events are called (statuses, stages, decisions, evidence kinds)."""
    english = (translation.get_language() or "id").startswith("en")
    status = {**dict(Evaluation.Status.choices), **dict(Evidence.Status.choices), **dict(Entry.Status.choices)}
    return {
        "status": {k: str(v) for k, v in status.items()},
        "stage": {k: str(v) for k, v in Verdict.Stage.choices},
        "decision": {k: str(v) for k, v in Verdict.Decision.choices},
        "scan": {k: str(v) for k, v in Evidence.Scan.choices},
        "type": {k: v[1] if english else v[0] for k, v in EVIDENCE_TYPE_LABELS.items()},
        "source": {"taskforce": str(_("Gugus Tugas")), "activities": str(_("Kegiatan"))},  # evidence/sources.py
    }


def option_labels(found: Iterable[AuditEvent], specs: Mapping[int, Any] | None = None) -> dict[str, dict[str, str]]:
    """The labels of the options of the questions the answer events are about, by answer id (one query, none when
    no answer event is shown or when `specs`, the question's rubric by answer id, is given)."""
    ids = {int(e.object_id) for e in found if e.object_type == "evaluations.answer" and e.object_id.isdigit()}
    if not ids:
        return {}
    english = (translation.get_language() or "id").startswith("en")
    labels: dict[str, dict[str, str]] = {}
    rows = (
        Answer.objects.filter(pk__in=ids).values_list("pk", "question__spec")
        if specs is None
        else [(pk, specs.get(pk)) for pk in ids]
    )
    for pk, spec in rows:
        options = (spec or {}).get("options") or []
        labels[str(pk)] = {
            str(o.get("code")): str((english and o.get("label_en")) or o.get("label") or o.get("code")) for o in options
        }
    return labels


def _is_answer(event: AuditEvent, options: dict[str, dict[str, str]]) -> bool:
    return event.object_type == "evaluations.answer" and event.object_id in options


@dataclass(frozen=True)
class Known:
    """What the entry page has read already: the ids of the entry's answers and files (replaced versions too) and
    the rubric of each answer's question, by answer id."""

    answers: list[int]
    files: list[int]
    specs: Mapping[int, Any]


def entry_history(
    entry: Entry, allowed_stages: set[str], limit: int = LIMIT, known_rows: Known | None = None
) -> list[EventView]:
    """The entry's history as a person reads it, newest first."""
    found = events(entry, allowed_stages, limit, known_rows)
    specs = known_rows.specs if known_rows is not None else None
    known, coded, options = names(found), choices(), option_labels(found, specs)
    return [
        describe(event, known, {**coded, "option": options[event.object_id]} if _is_answer(event, options) else coded)
        for event in found
    ]
