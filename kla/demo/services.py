"""Loading the demo data set (idempotent: running it twice changes nothing the second time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from kla.accounts import security
from kla.accounts.models import Membership, TotpDevice, User
from kla.accounts.roles import PRIVILEGED_ROLES, Role
from kla.accounts.services import membership_grant
from kla.agencies.models import Agency
from kla.agencies.services import agency_ensure
from kla.core import audit
from kla.demo.data import (
    DEMO_CYCLE_CODE,
    DEMO_CYCLE_NAME,
    DEMO_HISTORY,
    DEMO_LETTER,
    DEMO_PASSWORD,
    DEMO_TARGET,
    DEMO_TOTP_SECRET,
    DEMO_USERS,
    LUBUKLINGGAU,
    LUBUKLINGGAU_AGENCIES,
    PALEMBANG,
    PALEMBANG_AGENCIES,
    PROVINCE,
)
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.services import assignments_auto, cycle_create, cycle_open
from kla.evaluations.stages import STAGE_ORDER
from kla.indicators.management.commands.load_framework import BUNDLED
from kla.indicators.models import Framework
from kla.indicators.services import framework_load
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.regions.services import regions_load


@dataclass
class DemoReport:
    created_users: list[str] = field(default_factory=list)
    created_agencies: int = 0
    cycle_created: bool = False
    regions_loaded: bool = False
    framework_loaded: bool = False


@transaction.atomic
def demo_seed() -> DemoReport:
    """Regions (provinsi + kab/kota) and the bundled instrument if missing, agencies, demo users."""
    report = DemoReport()
    if not Region.objects.filter(code=PALEMBANG).exists():
        regions_load(levels=[Level.KABKOTA])
        report.regions_loaded = True
    if not Framework.objects.exists():
        framework_load(text=BUNDLED.read_text(encoding="utf-8"), by=None, reason="data demo")
        report.framework_loaded = True
    regions = Region.objects.in_bulk([PALEMBANG, LUBUKLINGGAU, "16"])
    before = Agency.objects.count()
    agencies: dict[tuple[str, str], Agency] = {}
    for code, kinds in ((PALEMBANG, PALEMBANG_AGENCIES), (LUBUKLINGGAU, LUBUKLINGGAU_AGENCIES)):
        for kind in kinds:
            agencies[(code, kind)] = agency_ensure(region=regions[code], kind=kind, by=None)
    report.created_agencies = Agency.objects.count() - before
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "full_name": spec.full_name,
                "position": spec.position,
                "email": f"{spec.username}@demo.kla.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            audit.record(
                action="kla.user.created", by=None, obj=user, reason="data demo", after={"username": user.username}
            )
            report.created_users.append(user.username)
        if spec.role is None:
            continue
        region = regions.get(spec.region) if spec.region else None
        if region is None and spec.region:
            region = Region.objects.get(code=spec.region)
        agency = agencies[(spec.region, spec.agency_kind)] if spec.agency_kind and spec.region else None
        exists = (
            Membership.objects.active().filter(user=user, role=spec.role.value, region=region, agency=agency).exists()
        )
        if not exists:
            membership_grant(user=user, role=Role(spec.role), region=region, agency=agency, by=None)
        if spec.role in PRIVILEGED_ROLES and not TotpDevice.objects.filter(user=user).exists():
            security.device_set(user=user, secret=DEMO_TOTP_SECRET, by=None, reason="data demo")
    if not Cycle.objects.filter(code=DEMO_CYCLE_CODE).exists():
        _demo_cycle()
        report.cycle_created = True
    _demo_results(regions["16"])
    return report


def _demo_results(province: Region) -> None:
    """Palembang's predicate history and target, and the province's letter wording (only what is missing)."""
    from kla.indicators.models import Band
    from kla.results.models import PredicateRecord, Target
    from kla.verification.models import LetterTemplate
    from kla.verification.selectors import letter_defaults

    names = dict(Band.objects.values_list("code", "name"))
    for code, year, band in DEMO_HISTORY:
        PredicateRecord.objects.get_or_create(
            region_id=code,
            year=year,
            defaults={
                "band_code": band,
                "band_name": names.get(band, band.title()),
                "source": "import",
                "note": "data demo",
            },
        )
    Target.objects.get_or_create(region_id=DEMO_TARGET[0], defaults={"band_code": DEMO_TARGET[1]})
    if not LetterTemplate.objects.filter(province=province).exists():
        wording = letter_defaults(province)
        LetterTemplate.objects.create(
            province=province,
            body=wording["body"],
            city=DEMO_LETTER["city"],
            signer=DEMO_LETTER["signer"],
            title=DEMO_LETTER["title"] or wording["title"],
        )


def _demo_cycle() -> None:
    """A cycle for Sumatera Selatan, opened, with Palembang's and Lubuk Linggau's indicators assigned."""
    now = timezone.now()
    day = dt.timedelta(days=1)
    # Every stage is open today so that the whole chain can be tried at once; the deadlines keep the stage order.
    deadlines = {stage: (now - 30 * day, now + (29 + 30 * i) * day) for i, stage in enumerate(STAGE_ORDER)}
    framework = Framework.objects.order_by("-year").first()
    assert framework is not None
    cycle = cycle_create(
        code=DEMO_CYCLE_CODE,
        name=DEMO_CYCLE_NAME,
        year=timezone.localdate().year,
        framework=framework,
        deadlines=deadlines,
        by=None,
    )
    cycle_open(cycle=cycle, region_codes=[PROVINCE], by=None)
    for evaluation in Evaluation.objects.filter(cycle=cycle, region_id__in=[PALEMBANG, LUBUKLINGGAU]):
        assignments_auto(evaluation=evaluation, by=None)
