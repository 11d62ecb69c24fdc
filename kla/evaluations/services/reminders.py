"""Reminding an agency's operators of their entries (the email is sent by a task after the commit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.roles import Action
from kla.agencies.models import Agency
from kla.core import audit
from kla.evaluations.models import Evaluation

if TYPE_CHECKING:
    from kla.accounts.models import User


@transaction.atomic
def reminder_send(*, evaluation: Evaluation, agency: Agency, note: str = "", base_url: str, by: User | None) -> int:
    """Queue a reminder email to the operators of one agency of the kab/kota (sent after the commit)."""
    from kla.accounts.models import Membership
    from kla.evaluations.tasks import send_reminder

    if by is not None:
        access.require(by, Action.EVALUATION_ASSIGN, evaluation.region_id)
    if agency.region_id != evaluation.region_id:
        raise ValidationError(gettext("Instansi ini bukan bagian dari Gugus Tugas kabupaten/kota tersebut."))
    recipients = (
        Membership.objects.active()
        .filter(role="opd_operator", agency=agency, user__is_active=True)
        .exclude(user__email="")
        .count()
    )
    if not recipients:
        raise ValidationError(
            gettext(
                "%(short_name)s belum memiliki operator dengan alamat email; tambahkan pengguna untuk instansi ini."
            )
            % {"short_name": agency.short_name}
        )
    note = note.strip()[:500]
    audit.record(
        action="kla.reminder.sent",
        by=by,
        obj=evaluation,
        region_code=evaluation.region_id,
        after={"agency": agency.pk, "recipients": recipients, "note": note},
    )
    transaction.on_commit(lambda: send_reminder.enqueue(evaluation.pk, agency.pk, note, base_url))
    return recipients
