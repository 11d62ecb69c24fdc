"""Data for the IDOR suite (tests/test_idor.py): region A's objects, the users of other regions who replay their
ids, the states that make a write meaningful, and a snapshot of everything a request could change.

Region A is Kota Palembang (16.71) in Sumatera Selatan (16). Its objects are built lazily, each through the service
that creates it in production (an evidence file through the real upload pipeline, a field plan, site and photo
through the field-verification services, an API token through `token_create`). The other regions' users are the
demo's Lubuk Linggau secretariat plus an operator of Lubuk Linggau's Disdukcapil and a province reviewer of Jambi,
given their roles through `membership_grant` inside the test's transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kla.accounts.models import ApiToken, Membership, TotpDevice, User
from kla.accounts.roles import Role
from kla.accounts.services import membership_grant, token_create
from kla.agencies.models import Agency
from kla.core.models import AuditEvent
from kla.evaluations.models import Answer, Assignment, Cycle, Entry, Evaluation
from kla.evidence.models import Evidence
from kla.evidence.services import evidence_delete, evidence_upload
from kla.evidence.tests import files
from kla.fieldvisits.models import FieldPhoto, FieldPlan, FieldSite
from kla.fieldvisits.tests import matrix as field
from kla.indicators.models import Question
from kla.regions.models import Region
from kla.reports.models import Export
from kla.reports.services import build, grant_keys
from kla.results.models import PredicateRecord, StageScore, Target
from kla.verification.models import LetterTemplate, ProposalLetter, Verdict

PALEMBANG = "16.71"  # region A
SUMSEL = "16"  # region A's province
LUBUKLINGGAU = "16.73"  # another kab/kota of the same province
JAMBI = "15"  # another province
CYCLE = "evaluasi-kla-demo"

# The users who must not reach region A's objects: the other kab/kota's secretariat and agency operator, and a
# province reviewer of another province.
ATTACKERS = ("other_secretariat", "other_opd", "other_province")


def _with_role(username: str, role: Role, region_code: str, agency_kind: str | None = None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=username, email=f"{username}@uji.kla.invalid")
        user.set_unusable_password()
        user.save()
        agency = Agency.objects.get(region_id=region_code, kind=agency_kind) if agency_kind else None
        membership_grant(user=user, role=role, region=Region.objects.get(code=region_code), agency=agency, by=None)
    return user


def attacker(persona: str) -> User:
    if persona == "other_secretariat":
        return User.objects.get(username="gt-lubuklinggau")
    if persona == "other_opd":
        return _with_role("opd-lubuklinggau-uji", Role.OPD_OPERATOR, LUBUKLINGGAU, "DISDUKCAPIL")
    if persona == "other_province":
        return _with_role("prov-jambi-uji", Role.PROVINCE_REVIEWER, JAMBI)
    raise KeyError(persona)


def bearer(user: User) -> dict[str, str]:
    _token, plain = token_create(user=user, name="idor", by=None)
    return {"Authorization": f"Bearer {plain}"}


class Palembang:
    """Region A's objects, created on first use."""

    @cached_property
    def evaluation(self) -> Evaluation:
        return Evaluation.objects.select_related("cycle").get(cycle__code=CYCLE, region_id=PALEMBANG)

    @cached_property
    def entry(self) -> Entry:
        """Indicator 4 (birth certificates): assigned to Disdukcapil, so the demo operator may answer it."""
        return Entry.objects.select_related("indicator").get(evaluation=self.evaluation, indicator__number=4)

    @cached_property
    def question(self) -> Question:
        return self.entry.indicator.questions.order_by("position").first()  # type: ignore[return-value]

    @cached_property
    def agency(self) -> Agency:
        return Agency.objects.get(region_id=PALEMBANG, kind="DISDUKCAPIL")

    @cached_property
    def opd_user(self) -> User:
        return User.objects.get(username="opd-palembang")

    @cached_property
    def opd_membership(self) -> Membership:
        return Membership.objects.active().get(user=self.opd_user)

    @cached_property
    def opd_token(self) -> ApiToken:
        return token_create(user=self.opd_user, name="milik Palembang", by=None)[0]

    @cached_property
    def evidence(self) -> Evidence:
        """A real PDF through the upload pipeline (content check, cleaning, storage under MEDIA_ROOT)."""
        return evidence_upload(
            entry=self.entry,
            question=self.question,
            upload=SimpleUploadedFile("akta-kelahiran.pdf", files.pdf()),
            evidence_type="report",
            meta={},
            by=self.opd_user,
        ).evidence

    @cached_property
    def letter(self) -> ProposalLetter:
        return ProposalLetter.objects.create(cycle=self.evaluation.cycle, province_id=SUMSEL, number="idor/1")

    @cached_property
    def export(self) -> Export:
        """The Palembang secretariat's own finished recap, built by the real export service."""
        user = User.objects.get(username="gt-palembang")
        export = Export.objects.create(
            kind="rekap-evaluasi", cycle_code=CYCLE, format="csv", grants=grant_keys(user), requested_by=user
        )
        return build(export.pk)

    @cached_property
    def plan(self) -> FieldPlan:
        return field.field_plan(field.field_evaluation())

    @cached_property
    def site(self) -> FieldSite:
        return field.field_site(self.plan)

    @cached_property
    def photo(self) -> FieldPhoto:
        return field.field_photo(self.site)

    @cached_property
    def field_entry(self) -> Entry:
        return field.entry_of(self.plan.evaluation, 19)


# --- states in which the owner's write would succeed (fixture shortcuts, as in kla/api/tests) ----------------------


def submitted(a: Palembang) -> None:
    Evaluation.objects.filter(pk=a.evaluation.pk).update(
        status=Evaluation.Status.SUBMITTED, em_score=Decimal("612.00"), submitted_at=timezone.now()
    )
    Entry.objects.filter(evaluation=a.evaluation).update(status=Entry.Status.SUBMITTED)


def province_review(a: Palembang) -> None:
    submitted(a)
    Evaluation.objects.filter(pk=a.evaluation.pk).update(status=Evaluation.Status.PROVINCE_REVIEW)


def returned(a: Palembang) -> None:
    province_review(a)
    Entry.objects.filter(pk=a.entry.pk).update(
        status=Entry.Status.RETURNED,
        return_reason="Lampirkan data SIAK terbaru.",
        return_deadline=timezone.now() + dt.timedelta(days=3),
        returned_at=timezone.now(),
    )


def unassigned(a: Palembang) -> None:
    Assignment.objects.filter(entry__evaluation=a.evaluation).delete()


def evidence_deleted(a: Palembang) -> None:
    evidence_delete(evidence=a.evidence, by=a.opd_user)


# --- what a request could change -------------------------------------------------------------------------------------

WATCHED = (
    Cycle,
    Evaluation,
    Entry,
    Assignment,
    Answer,
    Evidence,
    StageScore,
    PredicateRecord,
    Target,
    Verdict,
    LetterTemplate,
    ProposalLetter,
    FieldPlan,
    FieldSite,
    FieldPhoto,
    Membership,
    TotpDevice,
)


def snapshot() -> dict[str, Any]:
    """Every row of every table a kab/kota, province or field write touches, the users and tokens (without the
    sign-in and last-use times a request legitimately updates), the audit trail, the outbox and the stored files."""
    state: dict[str, Any] = {m._meta.label: list(m.objects.order_by("pk").values_list()) for m in WATCHED}
    state["accounts.User"] = list(
        User.objects.order_by("pk").values_list("pk", "password", "is_active", "email", "full_name")
    )
    state["accounts.ApiToken"] = list(ApiToken.objects.order_by("pk").values_list("pk", "user_id", "revoked_at"))
    state["core.AuditEvent"] = AuditEvent.objects.count()
    state["outbox"] = len(mail.outbox)
    media = Path(settings.MEDIA_ROOT)
    state["media"] = sorted((str(p.relative_to(media)), p.stat().st_size) for p in media.rglob("*") if p.is_file())
    return state


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [key for key in before if before[key] != after[key]]
