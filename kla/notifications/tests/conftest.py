"""Shared helpers of the notification tests: the demo's Palembang evaluation and a mail server that refuses."""

from __future__ import annotations

import smtplib
from typing import Any

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from kla.evaluations.models import Evaluation


class RefusingBackend(BaseEmailBackend):
    """A mail server that answers every message with a refusal, as an SMTP server that is down would."""

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def palembang(db: None) -> Evaluation:
    return Evaluation.objects.select_related("cycle__framework", "region").get(
        cycle__code="evaluasi-kla-demo", region_id="16.71"
    )


@pytest.fixture
def refusing_mail(settings: Any) -> None:
    settings.MAILERS = {"default": {"BACKEND": "kla.notifications.tests.conftest.RefusingBackend"}}


class TimingOutBackend(BaseEmailBackend):
    """A mail server that does not answer in time."""

    def send_messages(self, email_messages: Any) -> int:
        raise TimeoutError("timed out")
