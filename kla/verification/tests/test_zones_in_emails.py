"""Emails give deadlines in the recipient's region zone with its label: a Makassar secretariat reads WITA, a
Jayapura one WIT, Palembang WIB (the instant is the same: 9.00 UTC)."""

from __future__ import annotations

import pytest

from kla.accounts.models import Membership, User
from kla.accounts.roles import Role
from kla.evaluations.models import Cycle
from kla.evaluations.services.extensions import notify_extension
from kla.verification.tasks import notify_returned
from kla.verification.tests.far_regions import (
    DEADLINE,
    JAYAPURA,
    MAKASSAR,
    evaluation_in,
    returned_entry,
    secretariat_of,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("region", "local"),
    [(MAKASSAR, "7 Desember 2026 pukul 17.00 WITA"), (JAYAPURA, "7 Desember 2026 pukul 18.00 WIT")],
)
def test_the_return_email_gives_the_fix_deadline_in_the_region_zone(region: str, local: str, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    evaluation = evaluation_in(region)
    secretariat_of(region)
    entry = returned_entry(evaluation)
    assert notify_returned.call(evaluation.pk, [entry.pk], "https://kla.contoh.invalid") == 1
    (mail,) = mailoutbox
    assert mail.to == [f"gt-{region}@contoh.invalid"]
    assert f"(batas perbaikan {local})" in mail.body
    assert "09.00" not in mail.body and "16.00 WIB" not in mail.body  # neither UTC nor Jakarta time


def test_the_return_email_reaches_each_secretariat_member_in_their_language(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    evaluation = evaluation_in(MAKASSAR)
    secretariat_of(MAKASSAR)
    reader = User.objects.create(username="gt-en", email="gt-en@contoh.invalid", full_name="Secretariat", language="en")
    Membership.objects.create(user=reader, role=Role.SECRETARIAT, region_id=MAKASSAR)
    entry = returned_entry(evaluation)
    assert notify_returned.call(evaluation.pk, [entry.pk], "https://kla.contoh.invalid") == 2
    by_address = {m.to[0]: m for m in mailoutbox}
    assert len(mailoutbox) == 2
    indonesian, english = by_address[f"gt-{MAKASSAR}@contoh.invalid"], by_address[reader.email]
    assert indonesian.subject.startswith("Indikator dikembalikan untuk diperbaiki")
    assert "(batas perbaikan 7 Desember 2026 pukul 17.00 WITA)" in indonesian.body
    assert english.subject.startswith("Indicators returned for correction")
    assert "(correction deadline 7 December 2026 at 17:00 WITA)" in english.body
    assert "Bukti dukung belum ditandatangani." in english.body  # the reviewer's own words, as written


def test_the_return_email_of_palembang_stays_in_wib(user_of, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    from kla.evaluations.models import Evaluation

    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    entry = returned_entry(evaluation)
    notify_returned.call(evaluation.pk, [entry.pk], "https://kla.contoh.invalid")
    assert mailoutbox and all("(batas perbaikan 7 Desember 2026 pukul 16.00 WIB)" in m.body for m in mailoutbox)


def test_an_extension_email_gives_each_secretariat_its_own_zone(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    cycle = Cycle.objects.get(code="evaluasi-kla-demo")
    for region in (MAKASSAR, JAYAPURA):
        evaluation_in(region)
        secretariat_of(region)
    sent = notify_extension(
        cycle.pk, "self_assessment", [MAKASSAR, JAYAPURA, "16.71"], DEADLINE.isoformat(), "Banjir", "https://x"
    )
    assert sent == len(mailoutbox) >= 3
    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert "Batas waktu baru: 7 Desember 2026 pukul 17.00 WITA." in bodies[f"gt-{MAKASSAR}@contoh.invalid"]
    assert "Batas waktu baru: 7 Desember 2026 pukul 18.00 WIT." in bodies[f"gt-{JAYAPURA}@contoh.invalid"]
    assert "Batas waktu baru: 7 Desember 2026 pukul 16.00 WIB." in bodies["gt-palembang@demo.kla.invalid"]


def test_an_extension_email_reaches_an_english_reader_in_english(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    cycle = Cycle.objects.get(code="evaluasi-kla-demo")
    evaluation_in(MAKASSAR)
    secretariat_of(MAKASSAR)
    reader = User.objects.create(username="gt-en", email="gt-en@contoh.invalid", full_name="Secretariat", language="en")
    Membership.objects.create(user=reader, role=Role.SECRETARIAT, region_id=MAKASSAR)
    assert notify_extension(cycle.pk, "self_assessment", [MAKASSAR], DEADLINE.isoformat(), "Banjir", "https://x") == 2
    by_address = {m.to[0]: m for m in mailoutbox}
    english, indonesian = by_address[reader.email], by_address[f"gt-{MAKASSAR}@contoh.invalid"]
    assert english.subject.startswith("Deadline extension ") and "7 December 2026 at 17:00 WITA" in english.body
    assert indonesian.subject.startswith("Perpanjangan batas waktu ")
    assert "Batas waktu baru: 7 Desember 2026 pukul 17.00 WITA." in indonesian.body
    assert "Alasan: Banjir" in indonesian.body and "Banjir" in english.body
