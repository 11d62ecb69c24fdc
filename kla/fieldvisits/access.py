"""Gates for field verification: only national roles see it; only field verifiers change it.

Anyone else who may see the evaluation (its kab/kota, its province) gets 404, as does anyone outside its scope:
field notes and photos are the ministry's working papers until results are determined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy

from kla.accounts import access
from kla.accounts.roles import NATIONAL_ROLES, Action, Role
from kla.evaluations.access import ENTRY_RELATED
from kla.evaluations.models import Entry, Evaluation
from kla.fieldvisits.models import FieldPhoto, FieldSite

if TYPE_CHECKING:
    from kla.accounts.models import User

WRITE_REFUSED = gettext_lazy("Hanya Verifikator Lapangan yang dapat mengubah data verifikasi lapangan.")


def require_national(user: User, region_code: str | None) -> None:
    """404 unless the user holds a national role over the region (after the usual scope check)."""
    access.require(user, Action.EVALUATION_VIEW, region_code)
    if not access.roles_over(user, region_code) & NATIONAL_ROLES:
        raise Http404(access.NOT_FOUND)


def can_write(user: User, region_code: str | None) -> bool:
    return Role.FIELD_VERIFIER in access.roles_over(user, region_code)


def _check(user: User, region_code: str, write: bool) -> None:
    require_national(user, region_code)
    if write and not can_write(user, region_code):
        raise PermissionDenied(WRITE_REFUSED)


def require_any_national(user: User) -> None:
    if not access.has_role(user, *NATIONAL_ROLES):
        raise Http404(access.NOT_FOUND)


def get_field_evaluation_for_user(user: User, pk: int, *, write: bool = False) -> Evaluation:
    evaluation = Evaluation.objects.select_related("cycle__framework", "region__parent").filter(pk=pk).first()
    if evaluation is None:
        raise Http404(access.NOT_FOUND)
    _check(user, evaluation.region_id, write)
    return evaluation


def get_field_entry_for_user(user: User, pk: int, *, write: bool = False) -> Entry:
    entry = Entry.objects.select_related(*ENTRY_RELATED).filter(pk=pk).first()
    if entry is None:
        raise Http404(access.NOT_FOUND)
    _check(user, entry.evaluation.region_id, write)
    return entry


def get_site_for_user(user: User, pk: int, *, write: bool = False) -> FieldSite:
    site = (
        FieldSite.objects.select_related(
            "plan__evaluation__cycle__framework", "plan__evaluation__region", "entry__indicator"
        )
        .filter(pk=pk)
        .first()
    )
    if site is None:
        raise Http404(access.NOT_FOUND)
    _check(user, site.plan.evaluation.region_id, write)
    return site


def get_photo_for_user(user: User, pk: int, *, write: bool = False) -> FieldPhoto:
    photo = (
        FieldPhoto.objects.select_related("site__plan__evaluation__cycle", "site__plan__evaluation__region")
        .filter(pk=pk)
        .first()
    )
    if photo is None:
        raise Http404(access.NOT_FOUND)
    _check(user, photo.site.plan.evaluation.region_id, write)
    return photo
