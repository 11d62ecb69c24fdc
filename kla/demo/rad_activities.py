"""Two activities Palembang carried out that realise activities of its RAD KLA (`kla.demo.rad`): the opening of a
Ruang Bermain Ramah Anak by Dinas PUPR and a birth-certificate outreach at a primary school by Disdukcapil, each with
the children reached, the budget used and one photo through the upload intake (`kla.activities.services`), attached
by reference as evidence to the indicator it serves in the open self-assessment.

Idempotent: an activity is written only when Palembang has none of that title. Dates are days before the seed day,
within the plan's period. The photos are drawn (PNG) so they are real images the intake re-encodes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kla.activities import services
from kla.activities.models import Activity
from kla.agencies.services import agency_ensure
from kla.demo import rad_data as data
from kla.evaluations.models import Entry
from kla.evidence import linking
from kla.indicators.models import Indicator
from kla.rad.models import Node, Plan, Version
from kla.regions.models import Region


@dataclass(frozen=True, slots=True)
class DemoActivity:
    title: str
    agency: str
    rad_activity: str  # the name of the RAD KLA leaf it realises
    indicator: str
    days_ago: int
    counts: dict[str, int]
    budget_used: str
    description: str
    photo: str
    colours: tuple[tuple[int, int, int], tuple[int, int, int]]


ACTIVITIES: tuple[DemoActivity, ...] = (
    DemoActivity(
        title="Peresmian Ruang Bermain Ramah Anak Taman Kambang Iwak",
        agency="DPUPR",
        rad_activity=data.PLAY_SPACES,
        indicator="11",
        days_ago=45,
        counts={"girls_0_5": 38, "boys_0_5": 41, "girls_6_12": 64, "boys_6_12": 59, "adults": 85},
        budget_used="Rp 812.500.000",
        description="RBRA dengan permainan, toilet anak, dan jalur aman; diuji Forum Anak Kota Palembang.",
        photo="rbra-taman-kambang-iwak.png",
        colours=((110, 190, 120), (240, 160, 60)),
    ),
    DemoActivity(
        title="Pelayanan akta kelahiran jemput bola di SD Negeri 79 Palembang",
        agency="DISDUKCAPIL",
        rad_activity="Layanan akta kelahiran jemput bola di kecamatan, sekolah dan panti",
        indicator="4",
        days_ago=20,
        counts={"girls_6_12": 47, "boys_6_12": 52, "adults": 61},
        budget_used="Rp 18.750.000",
        description="Petugas Disdukcapil menerbitkan 99 kutipan akta kelahiran di sekolah, disaksikan orang tua.",
        photo="akta-jemput-bola-sdn-79.png",
        colours=((90, 150, 210), (250, 250, 250)),
    ),
)


def png_bytes(colour: tuple[int, int, int], accent: tuple[int, int, int]) -> bytes:
    """A small drawn photo: a playground under the sun."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 120, 280, 220), fill=accent)
    draw.ellipse((230, 20, 290, 80), fill=(250, 210, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def demo_activities(region: Region, plan: Plan, today: dt.date) -> int:
    """The activities Palembang has not recorded yet, each with its photo; returns how many were added."""
    version = Version.objects.filter(plan=plan, status=Version.Status.ADOPTED).first()
    if version is None:
        return 0
    held = set(Activity.objects.filter(region=region).values_list("title", flat=True))
    keys = dict(Node.objects.filter(version=version).values_list("name", "key"))
    indicators = dict(Indicator.objects.filter(framework_id=plan.framework_id).values_list("code", "pk"))
    added = 0
    for spec in ACTIVITIES:
        day = today - dt.timedelta(days=spec.days_ago)
        if spec.title in held or not plan.start_year <= day.year <= plan.end_year:
            continue
        activity = services.activity_create(
            region=region,
            data=services.ActivityInput(
                title=spec.title,
                start_date=day,
                end_date=day,
                agency_id=agency_ensure(region=region, kind=spec.agency, by=None).pk,
                indicator_ids=[indicators[spec.indicator]],
                plan_id=plan.pk,
                rad_activity_key=keys[spec.rad_activity],
                counts=spec.counts,
                budget_used=spec.budget_used,
                description=spec.description,
            ),
            by=None,
        )
        upload = SimpleUploadedFile(spec.photo, png_bytes(*spec.colours), content_type="image/png")
        photo = services.file_add(activity=activity, upload=upload, by=None)
        _as_evidence(region, spec.indicator, photo.pk)
        added += 1
    return added


def _as_evidence(region: Region, indicator: str, file_id: int) -> None:
    """The photo attached by reference to the indicator's question that asks for photos (else its first question) in
    the region's open self-assessment, when there is one: the evidence shows "Dari: Kegiatan: …"."""
    entry = (
        Entry.objects.filter(evaluation__region=region, indicator__code=indicator, evaluation__status="draft")
        .select_related("evaluation", "indicator")
        .order_by("-evaluation__cycle__year")
        .first()
    )
    if entry is None:
        return
    questions = list(entry.indicator.questions.order_by("position"))
    wants_photo = [q for q in questions if any(e.get("type") == "photo" for e in q.spec.get("evidence", []))]
    question = (wants_photo or questions)[0]
    with contextlib.suppress(ValidationError):  # the self-assessment closed: the activity keeps its photo
        linking.evidence_link(entry=entry, question=question, source="activities", source_id=file_id, by=None)
