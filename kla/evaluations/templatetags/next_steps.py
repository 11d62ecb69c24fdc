"""`{% next_step step %}`: the "Langkah berikutnya" box of a page, from `kla.evaluations.next_steps`.

The sentence is chosen here (translated, with plurals) and links to the page where the step is taken; a deadline is
shown in the viewer's zone (`kla.accounts.viewer_zone.ViewerZoneMiddleware`), like every time on the page.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from kla.core.formatting import format_count, format_datetime
from kla.evaluations.next_steps import Kind, NextStep
from kla.evaluations.workflow import STATE_LABELS

register = template.Library()

FIXED: dict[Kind, str] = {
    Kind.SUBMIT: gettext_noop("Kirim evaluasi mandiri: semua indikator sudah lengkap."),
    Kind.START_REVIEW: gettext_noop("Mulai verifikasi administrasi evaluasi yang sudah dikirim."),
    Kind.CLOSE_AT_GATE: gettext_noop("Tutup evaluasi ini: nilai evaluasi mandiri tidak melebihi ambang batas."),
    Kind.PROPOSE: gettext_noop("Usulkan ke Kementerian: semua indikator sudah diterima."),
    Kind.FINISH_REVIEW: gettext_noop("Selesaikan verifikasi administrasi: semua pertanyaan sudah diputuskan."),
    Kind.FIELD: gettext_noop("Lakukan verifikasi lapangan dan beri poin verifikasi lapangan (VL)."),
    Kind.DETERMINE: gettext_noop("Tetapkan nilai akhir dan predikat."),
    Kind.PUBLISH: gettext_noop("Umumkan hasil siklus ini."),
    Kind.OPEN_CYCLE: gettext_noop("Periksa jadwal siklus yang disiapkan, lalu buka siklus."),
}


def _counted(step: NextStep, deadline: str) -> str:
    n = {"count": format_count(step.count, lang=get_language() or "id"), "deadline": deadline}
    if step.kind == Kind.ASSIGN:
        return (
            ngettext(
                "Tugaskan %(count)s indikator kepada instansi.",
                "Tugaskan %(count)s indikator kepada instansi.",
                step.count,
            )
            % n
        )
    if step.kind == Kind.FILL:
        return ngettext("Isi %(count)s indikator.", "Isi %(count)s indikator.", step.count) % n
    if step.kind == Kind.COMPLETE:
        return (
            ngettext(
                "Lengkapi %(count)s indikator sebelum mengirim evaluasi mandiri.",
                "Lengkapi %(count)s indikator sebelum mengirim evaluasi mandiri.",
                step.count,
            )
            % n
        )
    if step.kind == Kind.DETERMINE:
        return (
            ngettext(
                "Tetapkan nilai akhir dan predikat %(count)s kabupaten/kota.",
                "Tetapkan nilai akhir dan predikat %(count)s kabupaten/kota.",
                step.count,
            )
            % n
        )
    if step.kind == Kind.PUBLISH:
        return (
            ngettext(
                "Umumkan hasil: %(count)s kabupaten/kota sudah ditetapkan.",
                "Umumkan hasil: %(count)s kabupaten/kota sudah ditetapkan.",
                step.count,
            )
            % n
        )
    if step.kind == Kind.REVIEW:
        return (
            ngettext(
                "Putuskan %(count)s pertanyaan yang belum diperiksa.",
                "Putuskan %(count)s pertanyaan yang belum diperiksa.",
                step.count,
            )
            % n
        )
    if step.kind == Kind.SEND_BACK:
        return (
            ngettext(
                "Kembalikan indikator dari %(count)s pertanyaan yang ditandai dikembalikan, dengan alasan dan batas "
                "perbaikan.",
                "Kembalikan indikator dari %(count)s pertanyaan yang ditandai dikembalikan, dengan alasan dan batas "
                "perbaikan.",
                step.count,
            )
            % n
        )
    return ""


def _with_deadline(step: NextStep, deadline: str) -> str:
    n = {"count": format_count(step.count, lang=get_language() or "id"), "deadline": deadline}
    if step.kind == Kind.FIX_RETURNED:
        if deadline:
            return (
                ngettext(
                    "Perbaiki %(count)s indikator yang dikembalikan sebelum %(deadline)s.",
                    "Perbaiki %(count)s indikator yang dikembalikan sebelum %(deadline)s.",
                    step.count,
                )
                % n
            )
        return (
            ngettext(
                "Perbaiki %(count)s indikator yang dikembalikan.",
                "Perbaiki %(count)s indikator yang dikembalikan.",
                step.count,
            )
            % n
        )
    if deadline:
        return (
            ngettext(
                "Tunggu perbaikan %(count)s indikator yang dikembalikan; batas perbaikan %(deadline)s.",
                "Tunggu perbaikan %(count)s indikator yang dikembalikan; batas perbaikan %(deadline)s.",
                step.count,
            )
            % n
        )
    return (
        ngettext(
            "Tunggu perbaikan %(count)s indikator yang dikembalikan.",
            "Tunggu perbaikan %(count)s indikator yang dikembalikan.",
            step.count,
        )
        % n
    )


def step_text(step: NextStep) -> str:
    """The sentence of a step, in the active language and time zone."""
    lang = get_language() or "id"
    zone = timezone.get_current_timezone_name()
    deadline = format_datetime(step.deadline, zone, lang=lang) if step.deadline else ""
    if step.kind in FIXED and not (step.count and step.kind in (Kind.DETERMINE, Kind.PUBLISH)):
        return gettext(FIXED[step.kind])
    if step.kind in (Kind.FIX_RETURNED, Kind.AWAIT_FIXES):
        return _with_deadline(step, deadline)
    if step.kind == Kind.WAIT:
        if step.state is None:
            return gettext("Tidak ada yang perlu Anda kerjakan saat ini: semua indikator yang ditugaskan sudah terisi.")
        return gettext("Tidak ada langkah untuk Anda saat ini: evaluasi sedang pada tahap %(state)s.") % {
            "state": gettext(STATE_LABELS[step.state])
        }
    return _counted(step, deadline)


@register.inclusion_tag("evaluations/_next_step.html")
def next_step(step: NextStep | None) -> dict[str, Any]:
    if step is None:
        return {"step": None}
    url = "" if step.kind in (Kind.WAIT, Kind.AWAIT_FIXES) else reverse(step.url_name, args=step.args)
    if url and step.anchor:
        url = f"{url}#{step.anchor}"
    return {"step": step, "text": step_text(step), "url": url}


@register.filter
def entry_label(labels: dict[int, str], entry_id: int) -> str:
    """An entry's status label from a `{entry id: label}` map (`kla.verification.verdict_states.labels`)."""
    return labels.get(entry_id, "")
