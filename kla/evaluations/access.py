"""Gates for cycles, evaluations and entries. Decisions come from `kla.accounts.access.can` (the role table);
these functions fetch the object, apply the decision and the object rules, and raise 404/403."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy

from kla.accounts import access
from kla.accounts.roles import Action
from kla.evaluations.models import Assignment, Cycle, Entry, Evaluation

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


def get_evaluation_for_user(user: User, pk: int, *, action: Action = Action.EVALUATION_VIEW) -> Evaluation:
    evaluations = Evaluation.objects.select_related("cycle__framework", "region__parent").prefetch_related(
        "cycle__deadlines"
    )
    evaluation = access.get_in_scope(user, evaluations, pk, "region_id")
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


def _entry_in_scope(user: User, entries: QuerySet[Entry], pk: int) -> Entry:
    return access.get_in_scope(user, entries, pk, "evaluation.region_id")


def get_entry_for_user(user: User, pk: int, *, write: bool = False) -> Entry:
    entry = _entry_in_scope(
        user,
        Entry.objects.select_related(
            "evaluation__cycle__framework", "evaluation__region", "indicator__cluster"
        ).prefetch_related(
            "evaluation__cycle__deadlines",
            Prefetch("assignments", queryset=Assignment.objects.select_related("agency")),
        ),
        pk,
    )
    if write and not can_answer(user, entry, {a.agency_id for a in entry.assignments.all()}):
        raise PermissionDenied(NOT_ASSIGNED)
    return entry


ENTRY_RELATED = ("evaluation__cycle__framework", "evaluation__region", "indicator")


def get_entry_in_scope(user: User, pk: int) -> Entry:
    """The entry with its evaluation, cycle, framework, region and indicator, in one query: it exists and lies in
    the user's scope (404 otherwise). For a write whose service decides everything else on its own fresh read."""
    return _entry_in_scope(user, Entry.objects.select_related(*ENTRY_RELATED), pk)


# What an autosave reads of its entry: the scope, the save and its audit label, the score panel it sends back. Any
# other field would be loaded on first use with a query of its own (pinned by the autosave's query-count test).
SAVE_FIELDS = (
    "evaluation__region__name",
    "evaluation__cycle__framework__gate_min_exclusive",
    "indicator__max_points",
    "indicator__code",
)


def get_entry_for_save(user: User, pk: int) -> Entry:
    """The entry an autosave writes to, in one query: it exists and lies in the user's scope (404 otherwise).

    Whether this user may answer it and whether it is still open are decided by `services.answer_save` on its own
    fresh read inside the save's transaction, so the assignments and deadlines are not read twice per autosave.
    Only the columns the autosave uses are read (`SAVE_FIELDS`): a full page is rendered from `get_entry_for_user`.
    """
    return _entry_in_scope(user, Entry.objects.select_related(*ENTRY_RELATED).only(*SAVE_FIELDS), pk)
