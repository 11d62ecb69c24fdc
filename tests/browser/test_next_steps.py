"""Finding the next step by clicking (issue 21 items 9 and 10): after signing in, the secretariat lands on its
dashboard, reads "Langkah berikutnya", follows it to the returned indicator, resubmits it, and the dashboard then
says it waits; the operator lands on Tugas saya and follows "Isi N indikator" to an indicator to fill."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def _returned_palembang() -> Any:
    """Palembang submitted, under the province's review, indicator 4 returned with a reason and a fix deadline."""
    from kla.accounts.models import User
    from kla.demo.answers import fill_answers
    from kla.evaluations.models import Evaluation
    from kla.evaluations.services import evaluation_submit
    from kla.evaluations.workflow import Step
    from kla.verification.services import returns, steps

    evaluation = Evaluation.objects.select_related("cycle__framework", "region").get(
        cycle__code="evaluasi-kla-demo", region_id="16.71"
    )
    secretariat, province = User.objects.get(username="gt-palembang"), User.objects.get(username="prov-sumsel")
    fill_answers(evaluation, seed=11, strength=0.8, by=secretariat)
    evaluation = evaluation_submit(
        evaluation=evaluation, by=secretariat, acknowledge_missing=True, confirm_below_gate=True
    )
    evaluation = steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=province)
    returns.entries_return(
        evaluation=evaluation,
        entries=[evaluation.entries.get(indicator__number=4)],
        reason="Akta kelahiran yang diunggah tidak terbaca; unggah ulang.",
        deadline=timezone.now() + dt.timedelta(days=3),
        by=province,
    )
    return evaluation


def test_the_secretariat_finds_and_takes_its_next_step_by_clicking(watched_page: Any, site: str) -> None:
    evaluation = _returned_palembang()
    page = watched_page
    sign_in(page, site, "gt-palembang")
    # landed on its dashboard, not on "Akun saya"
    assert urlparse(page.url).path == f"/evaluasi/{evaluation.pk}/"
    next_step = page.get_by_test_id("next-step")
    assert "Langkah berikutnya" in next_step.inner_text()
    # the returned indicator is on the dashboard with its reason
    returned = page.locator("#dikembalikan")
    assert "tidak terbaca" in returned.inner_text() and "batas perbaikan" in returned.inner_text()
    link = next_step.get_by_role("link", name=re.compile(r"Perbaiki 1 indikator yang dikembalikan sebelum .* WIB"))
    link.click()
    page.wait_for_load_state()
    entry = evaluation.entries.get(indicator__number=4)
    assert urlparse(page.url).path == f"/entri/{entry.pk}/"
    assert "tidak terbaca" in page.content()
    page.get_by_role("button", name="Kirim ulang indikator ini").click()
    page.wait_for_load_state()
    # back to the dashboard through the breadcrumb: nothing left to fix, it waits for the province
    breadcrumbs = page.get_by_role("navigation", name="Jejak navigasi")
    breadcrumbs.get_by_role("link", name=re.compile("Palembang", re.I)).click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == f"/evaluasi/{evaluation.pk}/"
    text = page.get_by_test_id("next-step").inner_text()
    assert "Tidak ada langkah untuk Anda saat ini" in text and "Verifikasi administrasi provinsi" in text
    assert page.locator("#dikembalikan").count() == 0


def test_the_operator_lands_on_my_work_and_follows_its_next_step(watched_page: Any, site: str) -> None:
    page = watched_page
    sign_in(page, site, "opd-palembang")
    assert urlparse(page.url).path == "/tugas-saya/"
    link = page.get_by_test_id("next-step").get_by_role("link", name=re.compile(r"Isi \d+ indikator\."))
    link.click()
    page.wait_for_load_state()
    assert re.fullmatch(r"/entri/\d+/", urlparse(page.url).path)
    assert page.get_by_role("heading", level=1).count() == 1
