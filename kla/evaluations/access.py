"""Gates for cycles, evaluations and entries. Decisions come from `kla.accounts.access.can` (the role table);
these functions fetch the object, apply the decision and the object rules, and raise 404/403."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy

from kla.accounts import access
from kla.accounts.roles import Action
from kla.core.compiled import CompiledQuery
from kla.evaluations.models import Assignment, Cycle, Entry, Evaluation, StageDeadline

if TYPE_CHECKING:
    from kla.accounts.models import User

NOT_ASSIGNED = gettext_lazy("Indikator ini tidak ditugaskan kepada instansi Anda; hubungi sekretariat Gugus Tugas.")


def require_any_role(user: User) -> None:
    if not access.memberships(user):
        raise PermissionDenied(
            gettext("Akun Anda belum memiliki peran. Hubungi Sekretariat Gugus Tugas KLA atau administrator.")
        )


def get_cycle_for_user(user: User, code: str, *, manage: bool = False) -> Cycle:
    require_any_role(user)
    if manage:
        access.require(user, Action.CYCLE_MANAGE, None, hide=False)
    try:
        return Cycle.objects.select_related("framework").prefetch_related("deadlines").get(code=code)
    except Cycle.DoesNotExist:
        raise Http404(gettext("Siklus evaluasi tidak ditemukan.")) from None


_EVALUATION: CompiledQuery[Evaluation] = CompiledQuery(
    lambda pk: Evaluation.objects.select_related("cycle__framework", "region__parent").filter(pk=pk), int
)


def get_evaluation_for_user(user: User, pk: int, *, action: Action = Action.EVALUATION_VIEW) -> Evaluation:
    """The evaluation with its cycle (and its deadlines), framework and region (2 queries compiled once per
    process); 404 outside the user's scope (`access.get_in_scope`'s decision), then `access.require(action)`."""
    evaluation = _in_scope(user, _one(_EVALUATION, pk), lambda e: e.region_id)
    prefetched(evaluation.cycle, "deadlines", "cycle", _DEADLINES.fetch(evaluation.cycle_id))
    access.require(user, action, evaluation.region_id)
    return evaluation


def can_answer(user: User, entry: Entry, assigned_agency_ids: set[int]) -> bool:
    """Operators answer entries assigned to their agency; the kab/kota secretariat answers any of its entries."""
    assigned_to_user = bool(assigned_agency_ids & access.agency_ids(user))
    return may_answer(user, entry.evaluation.region_id, assigned_to_user=assigned_to_user)


def may_answer(user: User, region_code: str, *, assigned_to_user: bool) -> bool:
    """`can_answer` for a caller that already knows whether one of the user's agencies is assigned the entry."""
    if access.can(user, Action.EVALUATION_ASSIGN, region_code):
        return True
    return assigned_to_user and access.can(user, Action.ENTRY_ANSWER, region_code)


# The entry reads are compiled once per process (`kla.core.compiled`): every entry page, autosave, upload and review
# starts with one of them, and building and compiling the querysets (five joined tables) cost more than running them.
ENTRY_RELATED = ("evaluation__cycle__framework", "evaluation__region", "indicator")
# What an autosave reads of its entry: the scope, the save and its audit label, the score panel it sends back. Any
# other field would be loaded on first use with a query of its own (pinned by the autosave's query-count test).
SAVE_FIELDS = (
    "evaluation__region__name",
    "evaluation__cycle__framework__gate_min_exclusive",
    "evaluation__cycle__framework__loaded_at",  # the key of the per-process questions (`entry_reads`)
    "indicator__max_points",
    "indicator__code",
)
_ENTRY: CompiledQuery[Entry] = CompiledQuery(
    lambda pk: Entry.objects.select_related(*ENTRY_RELATED, "indicator__cluster").filter(pk=pk), int
)
_ENTRY_BARE: CompiledQuery[Entry] = CompiledQuery(
    lambda pk: Entry.objects.select_related(*ENTRY_RELATED).filter(pk=pk), int
)
_ENTRY_FOR_SAVE: CompiledQuery[Entry] = CompiledQuery(
    lambda pk: Entry.objects.select_related(*ENTRY_RELATED).only(*SAVE_FIELDS).filter(pk=pk), int
)
_ASSIGNMENTS: CompiledQuery[Assignment] = CompiledQuery(
    lambda entry_id: Assignment.objects.filter(entry_id=entry_id).select_related("agency"), int
)
_DEADLINES: CompiledQuery[StageDeadline] = CompiledQuery(
    lambda cycle_id: StageDeadline.objects.filter(cycle_id=cycle_id), int
)


def _in_scope[M](user: User, found: M | None, region_of: Callable[[M], object]) -> M:
    """`access.get_in_scope`'s decision on an object fetched by id: 404 (`access.NOT_FOUND`) when it does not exist
    or its region is outside the user's scope."""
    if found is None:
        raise Http404(access.NOT_FOUND)
    region = region_of(found)
    if not access.can(user, Action.EVALUATION_VIEW, str(region) if region is not None else None):
        raise Http404(access.NOT_FOUND)
    return found


ID_RANGE = range(-(2**63), 2**63)  # what the database can compare; the ORM finds nothing for any other id


def _one[M: Model](query: CompiledQuery[M], pk: int) -> M | None:
    """The object `pk` of the compiled read, or None (an id out of the database's range matches nothing)."""
    found = query.fetch(int(pk)) if int(pk) in ID_RANGE else []
    return found[0] if found else None


def _entry_in_scope(user: User, query: CompiledQuery[Entry], pk: int) -> Entry:
    """`access.get_in_scope(user, <query>, pk, "evaluation.region_id")` on the compiled entry read."""
    return _in_scope(user, _one(query, pk), lambda e: e.evaluation.region_id)


def prefetched(obj: object, name: str, back: str, rows: list[Any]) -> None:
    """Keeps `rows` as the result of `obj.<name>.all()` (each row's `back` pointing to `obj`), as
    `prefetch_related(name)` does."""
    for row in rows:
        row._state.fields_cache[back] = obj
    queryset = getattr(obj, name).all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def get_entry_for_user(user: User, pk: int, *, write: bool = False) -> Entry:
    """The entry with its evaluation, cycle (and its deadlines), framework, region, indicator and cluster, and its
    assignments with their agencies (3 queries); 404 outside the user's scope, 403 for a `write` by someone who may
    not answer it."""
    entry = _entry_in_scope(user, _ENTRY, pk)
    cycle = entry.evaluation.cycle
    prefetched(cycle, "deadlines", "cycle", _DEADLINES.fetch(cycle.pk))
    prefetched(entry, "assignments", "entry", _ASSIGNMENTS.fetch(entry.pk))
    if write and not can_answer(user, entry, {a.agency_id for a in entry.assignments.all()}):
        raise PermissionDenied(NOT_ASSIGNED)
    return entry


def get_entry_in_scope(user: User, pk: int) -> Entry:
    """The entry with its evaluation, cycle, framework, region and indicator, in one query: it exists and lies in
    the user's scope (404 otherwise). For a write whose service decides everything else on its own fresh read."""
    return _entry_in_scope(user, _ENTRY_BARE, pk)


def get_entry_for_save(user: User, pk: int) -> Entry:
    """The entry an autosave writes to, in one query: it exists and lies in the user's scope (404 otherwise).

    Whether this user may answer it and whether it is still open are decided by `services.answer_save` on its own
    fresh read inside the save's transaction, so the assignments and deadlines are not read twice per autosave.
    Only the columns the autosave uses are read (`SAVE_FIELDS`): a full page is rendered from `get_entry_for_user`.
    """
    return _entry_in_scope(user, _ENTRY_FOR_SAVE, pk)
