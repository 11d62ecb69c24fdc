"""The gates of the verification pages: reviewers only, and only inside their scope (404 outside it)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action
from kla.evaluations.access import get_evaluation_for_user
from kla.evaluations.models import Evaluation
from kla.regions.models import Region
from kla.verification import province_reads, selectors
from kla.verification.models import ProposalLetter

NOT_A_REVIEWER = gettext_lazy("Halaman verifikasi hanya untuk Verifikator Provinsi dan verifikator Kementerian.")


def require_reviewer(user: User, region_code: str) -> None:
    """A province reviewer or a ministry role over the region; 403 otherwise."""
    if not selectors.is_reviewer_of(user, region_code):
        raise PermissionDenied(NOT_A_REVIEWER)


def require_any_reviewer(user: User) -> None:
    """A reviewer somewhere (the queue lists what each one may review); 403 otherwise."""
    if not access.has_role(user, *selectors.REVIEWER_ROLES):
        raise PermissionDenied(NOT_A_REVIEWER)


def get_evaluation_for_reviewer(user: User, pk: int) -> Evaluation:
    """An evaluation in the user's scope (404 otherwise) that the user reviews (403 otherwise)."""
    evaluation = get_evaluation_for_user(user, pk)
    require_reviewer(user, evaluation.region_id)
    return evaluation


def get_province_for_reviewer(user: User, code: str) -> Region:
    """A province the user may read (404 otherwise) and reviews (403 otherwise)."""
    region = province_reads.province(code)
    if region is None:
        raise Http404(access.NOT_FOUND)
    access.require(user, Action.EVALUATION_VIEW, code)
    require_reviewer(user, code)
    return region


def get_letter_for_reviewer(user: User, pk: int) -> ProposalLetter:
    """A proposal letter of a province the user reviews (404 outside the user's scope)."""
    letter = ProposalLetter.objects.select_related("province").filter(pk=pk).first()
    if letter is None:
        raise Http404(access.NOT_FOUND)
    get_province_for_reviewer(user, letter.province_id)
    return letter
