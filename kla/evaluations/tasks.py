"""Background work of the self-assessment: thin wrappers that take primary keys and call plain functions."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse

from kla.accounts.models import Membership
from kla.accounts.roles import Role
from kla.evaluations.models import Evaluation
from kla.evaluations.selectors import evaluation_progress


@task()
def send_reminder(evaluation_id: int, agency_id: int, note: str, base_url: str) -> int:
    """Email the operators of one agency the list of their incomplete indicators; returns the number of emails."""
    evaluation = Evaluation.objects.select_related("cycle__framework", "region").get(pk=evaluation_id)
    progress = evaluation_progress(evaluation)
    operators = list(
        Membership.objects.active()
        .filter(role=Role.OPD_OPERATOR, agency_id=agency_id, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "agency")
    )
    if not operators:
        return 0
    agency_name = operators[0].agency.short_name if operators[0].agency else ""
    lines = [
        f"- {i.entry.indicator.number}. {i.entry.indicator.name}: {i.answered}/{i.questions} terjawab "
        f"{base_url}{reverse('evaluations:entry_detail', args=[i.entry.pk])}"
        for i in progress.indicators
        if agency_name in i.agencies and not i.complete
    ]
    body = "\n".join(
        [
            "Yth. operator " + agency_name + ",",
            "",
            f"Sekretariat Gugus Tugas KLA {evaluation.region.name} mengingatkan pengisian {evaluation.cycle.name}.",
            *([f"Catatan: {note}", ""] if note else [""]),
            "Indikator yang belum lengkap:",
            *(lines or ["- (semua indikator instansi Anda sudah lengkap, terima kasih)"]),
            "",
            f"Tugas saya: {base_url}{reverse('evaluations:my_work')}",
        ]
    )
    subject = f"Pengingat pengisian {evaluation.cycle.name} · {evaluation.region.name}"
    for membership in operators:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [membership.user.email])
    return len(operators)


@task()
def send_extension_notice(
    cycle_id: int, stage: str, region_codes: list[str] | None, ends_at: str, reason: str, base_url: str
) -> int:
    """Email the secretariats concerned that a stage's deadline was extended; returns the number of emails."""
    from kla.evaluations.services.extensions import notify_extension

    return notify_extension(cycle_id, stage, region_codes, ends_at, reason, base_url)
