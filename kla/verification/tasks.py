"""Background work of verification: thin wrappers that take primary keys and call plain functions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext

from kla.core import taskrecovery
from kla.core.formatting import format_datetime
from kla.evaluations.models import Entry, Evaluation
from kla.regions.zones import zone_of
from kla.verification.selectors import secretariat_emails


@task()
def notify_returned(evaluation_id: int, entry_ids: list[int], base_url: str) -> int:
    """Tell the kab/kota secretariat which entries came back, why and by when (in the region's zone: WIB, WITA or
    WIT, the zone its secretariat reads on its pages). Never includes scores."""
    evaluation = Evaluation.objects.select_related("cycle", "region").get(pk=evaluation_id)
    recipients = secretariat_emails(evaluation.region_id)
    if not recipients:
        return 0
    entries = Entry.objects.filter(pk__in=entry_ids).select_related("indicator").order_by("indicator__position")
    zone = zone_of(evaluation.region_id)
    lines = []
    for entry in entries:
        deadline = format_datetime(entry.return_deadline, zone) if entry.return_deadline else "-"
        lines += [
            gettext("- %(number)s. %(name)s (batas perbaikan %(deadline)s)")
            % {"number": entry.indicator.number, "name": entry.indicator.name, "deadline": deadline},
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
    subject = gettext("Indikator dikembalikan untuk diperbaiki · %(name)s") % {"name": evaluation.region.name}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)


@task()
def render_proposal_letter(letter_id: int) -> str:
    """Render a proposal letter to PDF and store it; a failure is recorded on the letter, visible to the province."""
    import datetime as dt
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from kla.verification.letter import LetterContext, LetterRow, render_letter_pdf
    from kla.verification.models import ProposalLetter

    letter = ProposalLetter.objects.get(pk=letter_id)
    c = letter.context
    try:
        pdf = render_letter_pdf(
            LetterContext(
                province=c["province"],
                cycle=c["cycle"],
                year=int(c["year"]),
                number=c["number"],
                date=dt.date.fromisoformat(c["date"]),
                city=c["city"],
                signer=c["signer"],
                title=c["title"],
                body=c["body"],
                rows=[
                    LetterRow(
                        number=r["number"],
                        name=r["name"],
                        em_score=Decimal(r["em_score"]) if r["em_score"] is not None else None,
                        va_score=Decimal(r["va_score"]) if r["va_score"] is not None else None,
                    )
                    for r in c["rows"]
                ],
            )
        )
    except Exception as exc:  # recorded for the user; the task itself stays failed in the queue for operators
        ProposalLetter.objects.filter(pk=letter_id).update(
            status=ProposalLetter.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:300]
        )
        raise
    letter.file.save(f"usulan-{letter.province_id}-{letter.pk}.pdf", ContentFile(pdf), save=False)
    letter.status = ProposalLetter.Status.READY
    letter.save(update_fields=["file", "status"])
    return str(letter.file.name)


@taskrecovery.on_lost("kla.verification.tasks.render_proposal_letter")
def _letter_lost(args: list[Any], kwargs: dict[str, Any]) -> None:
    """The worker died on every attempt: the province sees a failed letter (and can propose again), not a spinner."""
    from kla.verification.models import ProposalLetter

    letter_id = kwargs.get("letter_id", args[0] if args else None)
    if letter_id is None:
        return
    ProposalLetter.objects.filter(pk=letter_id, status=ProposalLetter.Status.PENDING).update(
        status=ProposalLetter.Status.FAILED, error=gettext("Pekerja tugas latar berhenti; silakan buat surat lagi.")
    )
