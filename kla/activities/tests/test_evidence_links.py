"""An activity's photo attached as evidence by reference: carried forward with its origin, and a file removed from
the activity stays with the evidence that already points at it but is no longer offered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kla.activities import services
from kla.activities.tests import builders as b
from kla.evaluations.models import Entry, Evaluation
from kla.evidence.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _entry() -> Entry:
    return Entry.objects.select_related("indicator", "evaluation__cycle__framework").get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id=b.PALEMBANG, indicator__number=4
    )


def _link(client: Any, entry: Entry, source_id: int) -> Any:
    question = entry.indicator.questions.order_by("position").first()
    return client.post(
        reverse("evidence:link", args=[entry.pk, question.pk]), {"source": "activities", "source_id": str(source_id)}
    )


def test_carry_forward_keeps_the_activity_as_origin(client_for: Any, user_of: Any) -> None:
    from kla.evaluations.services import assignments_auto, cycle_create, cycle_open
    from kla.evaluations.stages import STAGE_ORDER
    from kla.evidence.services import evidence_carry_forward

    entry = _entry()
    photo = b.photo(b.activity(title="Taman bermain ramah anak"))
    assert _link(client_for("secretariat"), entry, photo.pk).status_code == 302
    now = timezone.now()
    cycle = cycle_create(
        code="berikutnya",
        name="Evaluasi berikutnya",
        year=now.year + 1,
        framework=entry.evaluation.cycle.framework,
        deadlines={s: (now - dt.timedelta(days=1), now + dt.timedelta(days=30)) for s in STAGE_ORDER},
        by=None,
    )
    cycle_open(cycle=cycle, region_codes=[b.PALEMBANG], by=None)
    new_eval = Evaluation.objects.get(cycle=cycle, region_id=b.PALEMBANG)
    assignments_auto(evaluation=new_eval, by=user_of("secretariat"))
    evidence_carry_forward(evaluation=new_eval, by=user_of("secretariat"))
    carried = Evidence.objects.get(entry__evaluation=new_eval, source="activities", source_id=photo.pk)
    assert (carried.source_id, carried.file.name) == (photo.pk, photo.file.name)
    assert carried.source_label.startswith("Kegiatan: Taman bermain ramah anak, ")


def test_a_removed_file_stays_with_its_evidence_but_is_no_longer_offered(client_for: Any) -> None:
    entry = _entry()
    photo = b.photo()
    client = client_for("secretariat")
    assert _link(client, entry, photo.pk).status_code == 302
    services.file_remove(file=photo, by=None)
    linked = Evidence.objects.get(source="activities", source_id=photo.pk)
    assert linked.file.storage.exists(linked.file.name)
    assert client.get(reverse("evidence:download", args=[linked.pk])).status_code == 200
    assert client.get(reverse("activities:file_download", args=[photo.pk])).status_code == 404
    question = entry.indicator.questions.order_by("position").first()
    picker = client.get(reverse("activities:pick", args=[entry.pk, question.pk])).content.decode()
    assert f'name="source_id" value="{photo.pk}"' not in picker
    again = client.post(
        reverse("evidence:link", args=[entry.pk, question.pk]),
        {"source": "activities", "source_id": str(photo.pk)},
        headers={"HX-Request": "true"},
    )
    assert again.status_code == 422
