"""Onboarding a kab/kota the demo never touched, entirely through the pages (Django test client):

the ministry administrator creates the secretariat user; the secretariat registers agencies (from the catalogue and
by import), creates an operator for one of them, assigns indicators by hand and automatically; the operator then
finds the indicator in *Tugas saya*. A province reviewer can do the first step for a kab/kota of its province.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import PersonaClient
from kla.accounts.models import User
from kla.agencies.models import Agency
from kla.evaluations.models import Assignment, Evaluation

pytestmark = pytest.mark.django_db
OKU = "16.01"  # Kabupaten Ogan Komering Ulu: no agency, no user in the demo


def _signed_in(username: str) -> Client:
    client = PersonaClient()
    client.force_login(User.objects.get(username=username))
    return client


def _create_user(client: Client, **fields: str) -> User:
    response = client.post(
        "/pengguna/baru/",
        {"full_name": fields["username"], "email": f"{fields['username']}@oku.invalid", "position": "", **fields},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(username=fields["username"])


def test_a_kabkota_is_onboarded_entirely_in_the_pages(client_for: Callable[[str], Client]) -> None:
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id=OKU)
    assert not Agency.objects.filter(region_id=OKU).exists()

    # 1. the ministry administrator creates the secretariat user (a set-password link is e-mailed)
    admin = client_for("ministry_admin")
    assert 'value="16.01"' in admin.get("/pengguna/baru/").content.decode()
    _create_user(admin, username="gt-oku", role="secretariat", region=OKU)
    assert mail.outbox and "gt-oku@oku.invalid" in mail.outbox[-1].to

    # 2. the secretariat finds its agency page from the menu entry and registers agencies
    secretariat = _signed_in("gt-oku")
    assert secretariat.get("/instansi/")["Location"] == f"/wilayah/{OKU}/instansi/"
    assert secretariat.post(f"/wilayah/{OKU}/instansi/tambah/", {"kind": "DPPPA"}).status_code == 302
    assert secretariat.post(f"/wilayah/{OKU}/instansi/tambah/", {"kind": "DISDUKCAPIL"}).status_code == 302
    csv = "jenis;nama;singkatan\nDINKES;Dinas Kesehatan OKU;\nDISDIK;Dinas Pendidikan OKU;Disdik\n"
    upload = SimpleUploadedFile("instansi.csv", csv.encode())
    assert secretariat.post(f"/wilayah/{OKU}/instansi/impor/", {"file": upload}).status_code == 302
    assert Agency.objects.filter(region_id=OKU).count() == 4
    disdukcapil = Agency.objects.get(region_id=OKU, kind="DISDUKCAPIL")

    # 3. the secretariat creates an operator of Disdukcapil (the agency is offered in the form)
    page = secretariat.get("/pengguna/baru/").content.decode()
    assert f'value="{disdukcapil.pk}"' in page
    _create_user(secretariat, username="opd-oku", role="opd_operator", region=OKU, agency=str(disdukcapil.pk))

    # 4. the secretariat assigns indicator 4 by hand and the rest automatically
    page = secretariat.get(f"/evaluasi/{evaluation.pk}/").content.decode()
    assert "Disdukcapil" in page
    entry = evaluation.entries.get(indicator__number=4)
    assert secretariat.post(f"/entri/{entry.pk}/penugasan/", {"agencies": [disdukcapil.pk]}).status_code == 302
    assert secretariat.post(f"/evaluasi/{evaluation.pk}/tugaskan-otomatis/").status_code == 302
    assert Assignment.objects.filter(entry=entry, agency=disdukcapil).exists()
    assert Assignment.objects.filter(entry__evaluation=evaluation).count() > 1

    # 5. the operator sees the indicator in Tugas saya
    work = _signed_in("opd-oku").get("/tugas-saya/").content.decode()
    assert f"/entri/{entry.pk}/" in work


def test_the_province_creates_a_secretariat_for_its_kabkota_but_not_elsewhere(
    client_for: Callable[[str], Client],
) -> None:
    province = client_for("province")
    _create_user(province, username="gt-oku-2", role="secretariat", region=OKU)
    refused = province.post(
        "/pengguna/baru/",
        {
            "username": "gt-jambi",
            "full_name": "x",
            "email": "x@jambi.invalid",
            "role": "secretariat",
            "region": "15.71",
        },
    )
    assert refused.status_code == 200 and not User.objects.filter(username="gt-jambi").exists()
