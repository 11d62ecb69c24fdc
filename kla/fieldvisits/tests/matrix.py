"""Data for field-verification tests and for the project's persona matrix.

`field_evaluation()` puts the demo Palembang evaluation into the `field_verification` state with a ministry
administrative-verification score listing every indicator of its framework (what `advance(START_FIELD)` would have
stored); the other builders create a plan, a site and a photo through the real services, as the field verifier.
`RULES` is the expected answer of every URL of this app for every persona and method, given that data.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kla.accounts.models import User
from kla.evaluations.models import Entry, Evaluation
from kla.fieldvisits import services
from kla.fieldvisits.models import FieldPhoto, FieldPlan, FieldSite
from kla.indicators.models import Indicator
from kla.results.models import StageScore

PALEMBANG = "16.71"
DEMO_CYCLE = "evaluasi-kla-demo"
FIELD_VERIFIER = "kemen-lapangan"

# Where the photo in `gps_jpeg` claims to have been taken (an SD in Palembang, as a camera would write it).
GPS_LAT = (2.0, 59.0, 30.0)
GPS_LON = (104.0, 45.0, 15.0)


def gps_jpeg(size: tuple[int, int] = (64, 48), colour: str = "orange") -> bytes:
    """A JPEG as a phone camera writes it: EXIF with the camera model, the capture time and GPS coordinates."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "KLA Phone"  # Make
    exif[0x0110] = "Model X"  # Model
    exif.get_ifd(0x8769)[0x9003] = "2025:07:01 09:30:00"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: GPS_LAT, 3: "E", 4: GPS_LON})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def field_verifier() -> User:
    return User.objects.get(username=FIELD_VERIFIER)


def field_evaluation(base_share: Decimal = Decimal("0.8"), *, with_score: bool = True) -> Evaluation:
    """The demo Palembang evaluation in field verification, with the ministry's VA score for every indicator
    (`with_score=False`: without it, for tests that store their own stage scores, such as the seal canary)."""
    evaluation = Evaluation.objects.select_related("cycle__framework").get(cycle__code=DEMO_CYCLE, region_id=PALEMBANG)
    evaluation.status = Evaluation.Status.FIELD_VERIFICATION
    evaluation.save(update_fields=["status"])
    if not with_score:
        return evaluation
    indicators: dict[str, Any] = {}
    total = Decimal(0)
    for indicator in Indicator.objects.filter(framework=evaluation.cycle.framework).order_by("position"):
        points = (indicator.max_points * base_share).quantize(Decimal("0.01"))
        total += points
        indicators[indicator.code] = {
            "name": indicator.name,
            "max": str(indicator.max_points),
            "points": str(points),
            "questions": {},
        }
    StageScore.objects.update_or_create(
        evaluation=evaluation,
        stage="ministry_va",
        defaults={
            "total": total,
            "framework_code": evaluation.cycle.framework.code,
            "breakdown": {"indicators": indicators},
        },
    )
    return evaluation


def entry_of(evaluation: Evaluation, number: int) -> Entry:
    return Entry.objects.select_related("indicator").get(evaluation=evaluation, indicator__number=number)


def field_plan(evaluation: Evaluation | None = None) -> FieldPlan:
    evaluation = evaluation or field_evaluation()
    existing = FieldPlan.objects.filter(evaluation=evaluation).first()
    if existing is not None:
        return existing
    verifier = field_verifier()
    return services.plan_save(
        evaluation=evaluation,
        visit_date=evaluation.cycle.deadlines.get(stage="field_verification").starts_at.date(),
        mode=FieldPlan.Mode.ON_SITE,
        team=[verifier],
        notes="Kunjungan dua hari.",
        expected_version=0,
        by=verifier,
    )


def field_site(plan: FieldPlan | None = None, name: str = "SD Negeri 1 Palembang") -> FieldSite:
    plan = plan or field_plan()
    return services.site_add(
        plan=plan, name=name, kind="school", entry=entry_of(plan.evaluation, 19), by=field_verifier()
    )


def field_photo(site: FieldSite | None = None) -> FieldPhoto:
    site = site or field_site()
    return services.photo_add(
        site=site,
        upload=SimpleUploadedFile("IMG_0001.jpg", gps_jpeg(), content_type="image/jpeg"),
        latitude="-2.991667",
        longitude="104.754167",
        accuracy_m="8.5",
        by=field_verifier(),
    )


# --- the persona matrix --------------------------------------------------------------------------------------------

PERSONAS = [
    "anonymous",
    "no_role",
    "opd",
    "secretariat",
    "other_secretariat",
    "province",
    "ministry_verifier",
    "field_verifier",
    "ministry_admin",
]
HIDDEN = ["no_role", "opd", "secretariat", "other_secretariat", "province"]  # 404: existence not revealed


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def national(view: int) -> dict[str, int]:
    """Reads: national roles see the page; anyone else signed in gets 404; anonymous goes to the login page."""
    return {"anonymous": 302, **dict.fromkeys(HIDDEN, 404), **dict.fromkeys(PERSONAS[6:], view)}


def field_write(act: int = 302) -> dict[str, int]:
    """Writes: the field verifier acts (`act`), other national roles get 403, everyone else 404."""
    return {**national(403), "field_verifier": act}


# The matrix helpers store no stage score: tests built on the matrix (the seal canary) create their own.
def _evaluation() -> Evaluation:
    return field_evaluation(with_score=False)


def _eval() -> dict[str, Any]:
    return {"evaluation_pk": _evaluation().pk}


def _plan_eval() -> dict[str, Any]:
    return {"evaluation_pk": field_plan(_evaluation()).evaluation_id}


def _site() -> dict[str, Any]:
    return {"pk": field_site(field_plan(_evaluation())).pk}


def _photo() -> dict[str, Any]:
    return {"pk": field_photo(field_site(field_plan(_evaluation()))).pk}


def _entry() -> dict[str, Any]:
    return {"entry_pk": entry_of(_evaluation(), 19).pk}


# name -> (expected status per method and persona, URL kwargs, POST data)
RULES: dict[str, tuple[dict[str, dict[str, int]], Callable[[], dict[str, Any]], dict[str, Any]]] = {
    "fieldvisits:index": ({"GET": national(200), "POST": everyone(405)}, dict, {}),
    "fieldvisits:plan": (
        {"GET": national(200), "POST": field_write(302)},
        _plan_eval,
        {"visit_date": "2030-08-01", "mode": "hybrid", "notes": "Diubah.", "version": "1"},
    ),
    "fieldvisits:site_add": (
        {"GET": everyone(405), "POST": field_write(302)},
        _plan_eval,
        {"name": "Puskesmas Ilir Barat", "kind": "health"},
    ),
    "fieldvisits:site": ({"GET": national(200), "POST": everyone(405)}, _site, {}),
    "fieldvisits:site_checklist": (
        {"GET": everyone(405), "POST": field_write(302)},
        _site,
        {"shown": ["0", "1"], "done": ["0"]},
    ),
    "fieldvisits:site_notes": (
        {"GET": everyone(405), "POST": field_write(302)},
        _site,
        {"notes": "Toilet siswa bersih.", "visited": "1", "visited_present": "1"},
    ),
    "fieldvisits:photo_upload": ({"GET": everyone(405), "POST": field_write(302)}, _site, {}),
    "fieldvisits:photo": ({"GET": national(200), "POST": everyone(405)}, _photo, {}),
    "fieldvisits:photo_delete": ({"GET": everyone(405), "POST": field_write(302)}, _photo, {}),
    "fieldvisits:points": ({"GET": national(200), "POST": everyone(405)}, _eval, {}),
    "fieldvisits:points_save": (
        {"GET": everyone(405), "POST": field_write(302)},
        _entry,
        {"points": "20", "reason": "Dua sekolah belum memiliki SK Tim SRA."},
    ),
    # without a ministry score the field verifier's "finish" is refused with a message: still a 302 back to the page
    "fieldvisits:finish": ({"GET": everyone(405), "POST": field_write(302)}, _eval, {}),
}
