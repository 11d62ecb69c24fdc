"""Background work of verification: thin wrappers that take primary keys and call plain functions."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse

from kla.evaluations.models import Entry, Evaluation


@task()
def notify_returned(evaluation_id: int, entry_ids: list[int], base_url: str) -> int:
    """Tell the kab/kota secretariat which entries came back, why and by when. Never includes scores."""
    from kla.verification.services import secretariat_emails

    evaluation = Evaluation.objects.select_related("cycle", "region").get(pk=evaluation_id)
    recipients = secretariat_emails(evaluation.region_id)
    if not recipients:
        return 0
    entries = Entry.objects.filter(pk__in=entry_ids).select_related("indicator").order_by("indicator__position")
    lines = []
    for entry in entries:
        deadline = f"{entry.return_deadline:%d-%m-%Y %H:%M}" if entry.return_deadline else "-"
        lines += [
            f"- {entry.indicator.number}. {entry.indicator.name} (batas perbaikan {deadline})",
            f"  Alasan: {entry.return_reason}",
            f"  {base_url}{reverse('evaluations:entry_detail', args=[entry.pk])}",
        ]
    body = "\n".join(
        [
            f"Yth. Sekretariat Gugus Tugas KLA {evaluation.region.name},",
            "",
            f"Reviewer mengembalikan {len(lines) // 3} indikator {evaluation.cycle.name} untuk diperbaiki:",
            *lines,
            "",
            "Perbaiki jawaban atau bukti dukung, lalu kirim ulang indikator tersebut dari halaman entri.",
        ]
    )
    subject = f"Indikator dikembalikan untuk diperbaiki · {evaluation.region.name}"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)
