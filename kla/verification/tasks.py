"""Background work of verification: thin wrappers that take primary keys and call plain functions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from kla.core import taskrecovery
from kla.core.formatting import format_datetime
from kla.evaluations.models import Entry, Evaluation
from kla.regions.zones import zone_of
from kla.verification.selectors import secretariat_emails


@task()
def notify_returned(evaluation_id: int, entry_ids: list[int], base_url: str) -> int:
    """Tell the kab/kota secretariat which entries came back, why and by when (in the region's zone: WIB, WITA or
    WIT, the zone its secretariat reads on its pages), each in the language they read. Never includes scores."""
    evaluation = Evaluation.objects.select_related("cycle", "region").get(pk=evaluation_id)
    by_language = secretariat_emails(evaluation.region_id)
    if not by_language:
        return 0
    entries = list(Entry.objects.filter(pk__in=entry_ids).select_related("indicator").order_by("indicator__position"))
    sent = 0
    for language, recipients in by_language.items():
        with translation.override(language):
            subject, body = _returned_message(evaluation, entries, base_url, language)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        sent += len(recipients)
    return sent


def _returned_message(evaluation: Evaluation, entries: list[Entry], base_url: str, language: str) -> tuple[str, str]:
    zone = zone_of(evaluation.region_id)
    lines = []
    for entry in entries:
        deadline = format_datetime(entry.return_deadline, zone, lang=language) if entry.return_deadline else "-"
        lines += [
            gettext("- %(number)s. %(name)s (batas perbaikan %(deadline)s)")
            % {"number": entry.indicator.number, "name": entry.indicator.display_name, "deadline": deadline},
            "  " + gettext("Alasan: %(reason)s") % {"reason": entry.return_reason},
            f"  {base_url}{reverse('evaluations:entry_detail', args=[entry.pk])}",
        ]
    body = "\n".join(
        [
            gettext("Yth. Sekretariat Gugus Tugas KLA %(region)s,") % {"region": evaluation.region.name},
            "",
            gettext("Verifikator mengembalikan %(count)s indikator %(cycle)s untuk diperbaiki:")
            % {"count": len(entries), "cycle": evaluation.cycle.name},
            *lines,
            "",
            gettext("Perbaiki jawaban atau bukti dukung, lalu kirim ulang indikator tersebut dari halaman entri."),
        ]
    )
    subject = gettext("Indikator dikembalikan untuk diperbaiki · %(name)s") % {"name": evaluation.region.name}
    return subject, body


# Kept on the letter as marked Indonesian and said in the reader's language where shown (`ProposalLetter.error_text`).
LETTER_FAILED = gettext_noop(
    "Surat gagal dibuat karena kesalahan sistem. Silakan buat surat lagi; bila tetap gagal, hubungi administrator."
)
LETTER_LOST = gettext_noop("Pekerja tugas latar berhenti; silakan buat surat lagi.")


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
    except Exception:  # the user sees what to do; the task stays failed in the queue, with its error, for operators
        ProposalLetter.objects.filter(pk=letter_id).update(status=ProposalLetter.Status.FAILED, error=LETTER_FAILED)
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
        status=ProposalLetter.Status.FAILED, error=LETTER_LOST
    )
