"""Where users got lost (issue 21 item 10), through the pages: each persona's next step with its link, a returned
indicator on the secretariat's dashboard with reason and fix deadline, the fix deadline in Tugas saya, "Diterima"
after acceptance, the real progress of verification in the queue, and the province by its name."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kla.core.formatting import format_datetime, format_datetime_short
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.workflow import Step
from kla.verification.services import returns, steps
from kla.verification.tests.test_flow import accept_all, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def palembang() -> Evaluation:
    return Evaluation.objects.select_related("cycle__framework", "region").get(
        cycle__code="evaluasi-kla-demo", region_id="16.71"
    )


def _box(html: str) -> str:
    """The "Langkah berikutnya" box of a page."""
    found = re.search(r'<aside class="card next-step".*?</aside>', html, re.S)
    assert found is not None, "no next step on the page"
    return found.group(0)


def _in_review(palembang: Evaluation, user_of) -> Evaluation:  # type: ignore[no-untyped-def]
    evaluation = submitted(palembang, user_of)
    return steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=user_of("province"))


def _return_indicator_4(evaluation: Evaluation, user_of) -> tuple[Entry, dt.datetime]:  # type: ignore[no-untyped-def]
    entry = evaluation.entries.get(indicator__number=4)
    deadline = timezone.now() + dt.timedelta(days=3)
    returns.entries_return(
        evaluation=evaluation, entries=[entry], reason="Lampirkan SK yang ditandatangani.", deadline=deadline,
        by=user_of("province"),
    )  # fmt: skip
    return entry, deadline


# --- the kab/kota -------------------------------------------------------------------------------------------------


def test_the_operator_is_told_to_fill_the_assigned_indicators(client_for) -> None:
    html = client_for("opd").get(reverse("evaluations:my_work")).content.decode()
    box = _box(html)
    assert re.search(r"Isi \d+ indikator\.", box)
    assert 'href="/entri/' in box  # the first indicator still to fill


def test_the_secretariat_in_draft_is_told_what_is_missing_before_sending(client_for, palembang) -> None:
    html = client_for("secretariat").get(reverse("evaluations:evaluation_detail", args=[palembang.pk])).content
    box = _box(html.decode())
    assert "Lengkapi" in box and f"/evaluasi/{palembang.pk}/#indikator" in box


def test_a_returned_indicator_is_on_the_dashboard_and_in_my_work_with_its_fix_deadline(
    client_for, palembang, user_of
) -> None:  # type: ignore[no-untyped-def]
    evaluation = _in_review(palembang, user_of)
    entry, deadline = _return_indicator_4(evaluation, user_of)
    html = client_for("secretariat").get(reverse("evaluations:evaluation_detail", args=[evaluation.pk])).content
    page = html.decode()
    returned = page[page.index('id="dikembalikan"') :]
    returned = returned[: returned.index("</section>")]
    assert "Lampirkan SK yang ditandatangani." in returned
    assert format_datetime_short(deadline) in returned  # the fix deadline, in WIB for Palembang
    assert f'href="/entri/{entry.pk}/"' in returned
    box = _box(page)
    assert f"Perbaiki 1 indikator yang dikembalikan sebelum {format_datetime(deadline)}." in box
    assert f'href="/entri/{entry.pk}/#dikembalikan"' in box or f'href="/entri/{entry.pk}/"' in box
    # Tugas saya: the returned row shows its fix deadline, not the stage's
    work = client_for("opd").get(reverse("evaluations:my_work"))
    row = dict((e.pk, (deadline_shown, label)) for e, deadline_shown, label in work.context["rows"])[entry.pk]
    assert row == (deadline, "Dikembalikan")
    body = work.content.decode()
    assert format_datetime_short(deadline) in body
    assert "Perbaiki 1 indikator yang dikembalikan sebelum" in _box(body)


def test_after_acceptance_an_indicator_reads_diterima_not_dikirim(client_for, palembang, user_of) -> None:
    evaluation = _in_review(palembang, user_of)
    entry = evaluation.entries.get(indicator__number=4)
    work = client_for("opd").get(reverse("evaluations:my_work")).context["rows"]
    assert {e.pk: label for e, _d, label in work}[entry.pk] == "Dikirim"
    accept_all(evaluation, user_of("province"))
    work = client_for("opd").get(reverse("evaluations:my_work")).context["rows"]
    assert {e.pk: label for e, _d, label in work}[entry.pk] == "Diterima"
    dashboard = client_for("secretariat").get(reverse("evaluations:evaluation_detail", args=[evaluation.pk]))
    assert dashboard.context["labels"][entry.pk] == "Diterima"
    assert ">Dikirim<" not in dashboard.content.decode()
    # the secretariat has nothing to do but wait; it is told so
    assert "Tidak ada langkah untuk Anda saat ini" in _box(dashboard.content.decode())


# --- the province -------------------------------------------------------------------------------------------------


def test_the_queue_names_the_province_and_shows_real_progress(client_for, palembang, user_of) -> None:
    client = client_for("province")
    html = client.get(reverse("verification:queue")).content.decode()
    assert "Sumatera Selatan" in html and "provinsi 16" not in html
    evaluation = submitted(palembang, user_of)
    rows = dict(client.get(reverse("verification:queue")).context["rows"])
    shown = rows[evaluation]
    assert (shown.shown, shown.decided) == ("to_start", 0) and shown.total > 0
    steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=user_of("province"))
    response = client.get(reverse("verification:queue"))
    shown = dict(response.context["rows"])[evaluation]
    assert (shown.shown, shown.decided) == ("questions", 0)
    assert f"0/{shown.total} pertanyaan diputuskan" in response.content.decode()
    accept_all(evaluation, user_of("province"))
    response = client.get(reverse("verification:queue"))
    shown = dict(response.context["rows"])[evaluation]
    assert shown.decided == shown.total > 0
    assert f"{shown.total}/{shown.total} pertanyaan diputuskan" in response.content.decode()
    assert "—" not in response.content.decode().split("Kemajuan verifikasi")[1].split("</table>")[0]


def test_after_the_province_accepts_everything_the_next_step_is_to_propose(client_for, palembang, user_of) -> None:
    evaluation = _in_review(palembang, user_of)
    client = client_for("province")
    box = _box(client.get(reverse("verification:queue")).content.decode())
    assert "Putuskan" in box and f'href="/verifikasi/evaluasi/{evaluation.pk}/"' in box
    accept_all(evaluation, user_of("province"))
    box = _box(client.get(reverse("verification:queue")).content.decode())
    province_page = reverse("verification:province", args=[evaluation.cycle.code, "16"])
    assert "Usulkan ke Kementerian" in box and f'href="{province_page}"' in box
    assert client.get(province_page).status_code == 200


def test_the_province_waits_for_a_returned_indicator_until_its_fix_deadline(client_for, palembang, user_of) -> None:
    evaluation = _in_review(palembang, user_of)
    accept_all(evaluation, user_of("province"))
    _entry, _deadline = _return_indicator_4(evaluation, user_of)
    box = _box(client_for("province").get(reverse("verification:queue")).content.decode())
    assert "Tunggu perbaikan 1 indikator yang dikembalikan" in box


def test_the_review_page_proposes_once_every_indicator_is_accepted(client_for, palembang, user_of) -> None:
    evaluation = _in_review(palembang, user_of)
    client = client_for("province")
    page = reverse("verification:evaluation", args=[evaluation.pk])
    response = client.get(page)
    assert "Putuskan" in _box(response.content.decode())
    accept_all(evaluation, user_of("province"))
    response = client.get(page)
    box = _box(response.content.decode())
    assert "Usulkan ke Kementerian" in box
    assert reverse("verification:province", args=[evaluation.cycle.code, "16"]) in box
    assert set(response.context["labels"].values()) == {"Diterima"}
    # the kab/kota reads the same on its dashboard; the ministry waits for the proposal
    ministry = client_for("ministry_verifier").get(page).content.decode()
    assert "Tidak ada langkah untuk Anda saat ini" in _box(ministry)


def test_the_review_page_gives_the_fix_deadline_of_a_returned_indicator(client_for, palembang, user_of) -> None:
    evaluation = _in_review(palembang, user_of)
    accept_all(evaluation, user_of("province"))
    _entry, deadline = _return_indicator_4(evaluation, user_of)
    page = client_for("province").get(reverse("verification:evaluation", args=[evaluation.pk])).content.decode()
    assert f"batas perbaikan {format_datetime(deadline)}" in _box(page)


def test_the_entry_page_reads_diterima_after_acceptance(client_for, palembang, user_of) -> None:
    evaluation = _in_review(palembang, user_of)
    entry = evaluation.entries.get(indicator__number=4)
    page = reverse("evaluations:entry_detail", args=[entry.pk])
    assert client_for("secretariat").get(page).context["status_label"] == "Dikirim"
    accept_all(evaluation, user_of("province"))
    html = client_for("secretariat").get(page).content.decode()
    assert re.search(r'data-testid="entry-status">Diterima<', html)
