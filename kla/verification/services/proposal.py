"""The province's proposal to the ministry: the wording of its letter, and proposing reviewed kab/kota with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action, Role
from kla.core import audit
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.evaluations.workflow import Step
from kla.regions.models import Region
from kla.regions.zones import zone_of
from kla.results.models import StageScore
from kla.verification.letter_text import check_body
from kla.verification.models import LetterTemplate, ProposalLetter
from kla.verification.selectors import letter_defaults
from kla.verification.services.preconditions import StepRefused, current_time
from kla.verification.services.steps import advance
from kla.verification.tasks import render_proposal_letter


@transaction.atomic
def letter_template_save(*, province: Region, body: str, city: str, signer: str, title: str, by: User | None) -> None:
    """The province edits the wording of its proposal letter (placeholders are checked, never evaluated)."""
    if by is not None and Role.PROVINCE_REVIEWER not in access.roles_over(by, province.code):
        access.require(by, Action.EVALUATION_VIEW, province.code)
        raise PermissionDenied(gettext("Templat surat usulan diubah oleh Verifikator Provinsi."))
    problems = check_body(body)
    if problems:
        raise StepRefused(problems)
    if not city.strip() or not signer.strip() or not title.strip():
        raise StepRefused(gettext("Isi tempat, nama penandatangan dan jabatannya."))
    LetterTemplate.objects.update_or_create(
        province=province,
        defaults={
            "body": body,
            "city": city.strip(),
            "signer": signer.strip(),
            "title": title.strip(),
            "updated_by": by,
        },
    )
    audit.record(
        action="kla.letter_template.saved",
        by=by,
        object_type="verification.lettertemplate",
        object_id=province.code,
        region_code=province.code,
    )


@transaction.atomic
def propose(
    *,
    cycle: Cycle,
    province: Region,
    evaluations: Iterable[Evaluation],
    number: str,
    by: User | None,
    now: dt.datetime | None = None,
) -> ProposalLetter:
    """The province proposes reviewed kab/kota to the ministry: each moves to "proposed" with its province VA score,
    and one proposal letter (PDF, rendered in the background) lists them with their EM and VA scores."""
    now = current_time(now)
    number = number.strip()[:80]
    if not number:
        raise StepRefused(gettext("Isi nomor surat usulan."))
    chosen = _proposed_evaluations(cycle, province, evaluations)
    wording = _complete_wording(province)
    rows = [_propose_one(evaluation, position, by, now) for position, evaluation in enumerate(chosen, start=1)]
    letter = ProposalLetter.objects.create(
        cycle=cycle,
        province=province,
        number=number,
        created_by=by,
        context={
            **wording,
            "province": province.name,
            "cycle": cycle.name,
            "year": cycle.year,
            "number": number,
            "date": timezone.localdate(now, ZoneInfo(zone_of(province.code))).isoformat(),  # the province's day
            "rows": rows,
        },
    )
    audit.record(
        action="kla.proposal.created",
        by=by,
        obj=letter,
        region_code=province.code,
        after={"number": number, "regions": [e.region_id for e in chosen]},
    )
    transaction.on_commit(lambda: render_proposal_letter.enqueue(letter.pk))
    return letter


def _proposed_evaluations(cycle: Cycle, province: Region, evaluations: Iterable[Evaluation]) -> list[Evaluation]:
    """The chosen evaluations of the cycle in the province's kab/kota (others are ignored), by name."""
    chosen = list(
        Evaluation.objects.filter(cycle=cycle, region__parent=province, pk__in=[e.pk for e in evaluations])
        .select_related("region")
        .order_by("region__name")
    )
    if not chosen:
        raise StepRefused(gettext("Pilih paling sedikit satu kabupaten/kota yang akan diusulkan."))
    return chosen


def _complete_wording(province: Region) -> dict[str, str]:
    """The province's letter wording; refused until it has a valid body, a place and a signer."""
    wording = letter_defaults(province)
    if check_body(wording["body"]) or not wording["signer"] or not wording["city"]:
        raise StepRefused(gettext("Lengkapi terlebih dahulu templat surat usulan (tempat, penandatangan, isi surat)."))
    return wording


def _propose_one(evaluation: Evaluation, position: int, by: User | None, now: dt.datetime) -> dict[str, Any]:
    """Move one kab/kota to "proposed" (storing its province VA score); its row of the letter's attachment."""
    advance(evaluation=evaluation, step=Step.PROPOSE, by=by, now=now)
    va = StageScore.objects.get(evaluation=evaluation, stage=ScoreStage.PROVINCE_VA).total
    return {
        "number": position,
        "name": evaluation.region.name,
        "em_score": str(evaluation.em_score) if evaluation.em_score is not None else None,
        "va_score": str(va),
    }
