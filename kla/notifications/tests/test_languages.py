"""The recipient's language: a notification, its email (subject, text, HTML) and the daily digest are written in the
language each person chose (`User.language`), dates in the region's zone and that language's format; the language
switch saves the choice of a signed-in user and signing in applies it.

The English assertions read msgids the English catalogue already translates (checked by
`test_the_english_words_these_tests_read_are_in_the_catalogue`) and the English date format of kla.core.formatting,
so they hold whatever else the catalogue gains."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kla.accounts.models import User
from kla.evaluations.models import Evaluation
from kla.notifications.models import Delivery, Kind, Notification, OutgoingEmail
from kla.notifications.services import preferences_set
from kla.notifications.tests.test_events import submitted_for_review
from kla.notifications.tests.test_reminders import run
from kla.verification.services import returns

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
ENGLISH = {
    "Indikator dikembalikan untuk diperbaiki · %(cycle)s · %(region)s": (
        "Indicators returned for correction · %(cycle)s · %(region)s"
    ),
    "%(number)s. %(name)s: %(reason)s (batas perbaikan %(deadline)s)": (
        "%(number)s. %(name)s: %(reason)s (correction deadline %(deadline)s)"
    ),
    "Yth. %(name)s,": "Dear %(name)s,",
    "Buka di Platform KLA": "Open in the KLA Platform",
    "Buka:": "Open:",
    "Ringkasan notifikasi Platform KLA · %(day)s": "KLA Platform notification digest · %(day)s",
}


def test_the_english_words_these_tests_read_are_in_the_catalogue() -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    for msgid, msgstr in ENGLISH.items():
        assert f'msgid "{msgid}"\nmsgstr "{msgstr}"' in text, msgid


def test_a_returned_entry_tells_an_english_operator_in_english_and_the_secretariat_in_indonesian(
    palembang: Evaluation, user_of: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    User.objects.filter(username="opd-palembang").update(language="en")
    evaluation = submitted_for_review(palembang, user_of)
    entry = evaluation.entries.select_related("indicator").get(indicator__number=4)
    mailoutbox.clear()
    deadline = dt.datetime(2099, 12, 9, 3, 30, tzinfo=dt.UTC)  # 10.30 in Palembang (WIB)
    with django_capture_on_commit_callbacks(execute=True):
        returns.entries_return(
            evaluation=evaluation,
            entries=[entry],
            reason="Unggah ulang akta",
            deadline=deadline,
            by=user_of("province"),
        )
    operator = Notification.objects.get(kind=Kind.RETURNED, user__username="opd-palembang")
    assert operator.title.startswith("Indicators returned for correction · ")
    assert "Unggah ulang akta (correction deadline 9 December 2099 at 10:30 WIB)" in operator.body
    email = OutgoingEmail.objects.get(notification=operator)
    assert email.subject == operator.title
    assert email.text.startswith("Dear ") and "Open:" in email.text and operator.body in email.text
    assert '<html lang="en">' in email.html and "Open in the KLA Platform" in email.html
    (sent,) = [m for m in mailoutbox if m.to == [email.to]]
    assert sent.subject == operator.title and '<html lang="en">' in sent.alternatives[0].content

    secretariat = Notification.objects.get(kind=Kind.RETURNED, user__username="gt-palembang")
    assert secretariat.title.startswith("Indikator dikembalikan untuk diperbaiki · ")
    assert "Unggah ulang akta (batas perbaikan 9 Desember 2099 pukul 10.30 WIB)" in secretariat.body
    # the secretariat's email is verification's own notice (kla.verification.tasks.notify_returned), in Indonesian
    (notice,) = [m for m in mailoutbox if m.to == ["gt-palembang@demo.kla.invalid"]]
    assert notice.subject.startswith("Indikator dikembalikan untuk diperbaiki")
    assert "9 Desember 2099 pukul 10.30 WIB" in notice.body


def test_an_indonesian_reader_gets_the_email_in_indonesian(
    palembang: Evaluation, user_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    evaluation = submitted_for_review(palembang, user_of)
    entry = evaluation.entries.get(indicator__number=4)
    deadline = dt.datetime(2099, 12, 9, 3, 30, tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        returns.entries_return(
            evaluation=evaluation,
            entries=[entry],
            reason="Unggah ulang akta",
            deadline=deadline,
            by=user_of("province"),
        )
    email = OutgoingEmail.objects.get(notification__kind=Kind.RETURNED, user__username="opd-palembang")
    assert email.subject.startswith("Indikator dikembalikan untuk diperbaiki · ")
    assert email.text.startswith("Yth. ") and "pukul 10.30 WIB" in email.text
    assert '<html lang="id">' in email.html and "Buka di Platform KLA" in email.html


def test_the_digest_of_an_english_reader_is_in_english(
    user_of: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    user = user_of("province")
    User.objects.filter(pk=user.pk).update(language="en")
    preferences_set(choices={Kind.SUBMITTED: Delivery.DIGEST}, by=user)
    palembang = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    with django_capture_on_commit_callbacks(execute=True):
        submitted_for_review(palembang, user_of)  # the submission is told to the province as a digest item
    item = Notification.objects.get(user=user, kind=Kind.SUBMITTED)
    assert item.digest_due and "pukul" not in item.body and " at " in item.body  # written in English
    mailoutbox.clear()
    morning = dt.datetime(2099, 12, 9, 1, 0, tzinfo=dt.UTC)  # 08.00 WIB
    run(morning, django_capture_on_commit_callbacks)
    (digest,) = [m for m in mailoutbox if m.to == [user.email]]
    assert digest.subject == "KLA Platform notification digest · 9 December 2099"
    assert digest.body.startswith("Dear ") and item.title in digest.body
    assert '<html lang="en">' in digest.alternatives[0].content


def test_switching_the_language_saves_it_for_a_signed_in_user_and_signing_in_applies_it(client_for: Any) -> None:
    client = client_for("opd")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/akun/"})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user = User.objects.get(username="opd-palembang")
    assert user.language == "en"
    page = client.get(reverse("accounts:me")).content.decode()
    assert '<option value="en" selected>English</option>' in page  # the account page shows the saved choice
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})  # not a language of the platform
    assert User.objects.get(pk=user.pk).language == "en"

    anonymous = Client()
    anonymous.post(reverse("set_language"), {"language": "id", "next": "/"})  # a visitor's choice saves nothing
    assert User.objects.get(pk=user.pk).language == "en"
    user.set_password("sandi-uji-bahasa-7391")
    user.save(update_fields=["password"])
    elsewhere = Client()  # another computer, with Indonesian chosen before signing in
    elsewhere.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    signed_in = elsewhere.post(
        reverse("accounts:login"), {"username": "opd-palembang", "password": "sandi-uji-bahasa-7391"}
    )
    assert signed_in.status_code == 302
    assert signed_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert elsewhere.get(reverse("accounts:me")).headers["Content-Language"] == "en"


def test_a_language_picked_on_the_sign_in_page_becomes_the_persons_own_but_not_the_next_persons(
    client_for: Any,
) -> None:
    reader, other = User.objects.get(username="opd-palembang"), User.objects.get(username="gt-palembang")
    for user in (reader, other):
        user.set_password("sandi-uji-bahasa-7391")
        user.save(update_fields=["password"])
    assert reader.language == other.language == "id"
    shared = Client()  # one computer at the office
    shared.get(reverse("accounts:login"))
    shared.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    signed_in = shared.post(
        reverse("accounts:login"), {"username": "opd-palembang", "password": "sandi-uji-bahasa-7391"}
    )
    assert signed_in.status_code == 302 and signed_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert User.objects.get(pk=reader.pk).language == "en"  # what they picked is now theirs (notifications, emails)
    shared.post(reverse("accounts:logout"))
    # the next person at the same computer inherits the cookie, not the choice: their own language applies
    after = shared.post(reverse("accounts:login"), {"username": "gt-palembang", "password": "sandi-uji-bahasa-7391"})
    assert after.status_code == 302 and after.cookies[settings.LANGUAGE_COOKIE_NAME].value == "id"
    assert User.objects.get(pk=other.pk).language == "id"
