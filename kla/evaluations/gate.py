"""The EM gate around submission: what the secretariat confirms before sending a score that does not pass it, when a
submission may be withdrawn, and when a submission below the gate may be closed. Pure module: no Django import.

The framework's gate is exclusive (`gate_min_exclusive`): an EM score passes only when it is strictly above it. A
submission below the gate does not go on to verification; the one who applies the gate closes it in the final state
"Tidak memenuhi ambang batas" (`workflow.Step.STOP_AT_GATE`), once the secretariat can no longer withdraw it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kla.core.formatting import WIB, format_datetime, format_number
from kla.core.marking import Text, gettext_noop
from kla.evaluations.workflow import STATE_LABELS, State


def passes_gate(em_score: Decimal | None, gate: Decimal) -> bool:
    """True when the EM score is strictly above the gate (no score never passes)."""
    return em_score is not None and em_score > gate


def below_gate_label(em_score: Decimal, gate: Decimal) -> str:
    """The label of the checkbox the secretariat ticks to send an EM score that does not pass the gate."""
    return (
        f"Saya memahami bahwa nilai EM {format_number(em_score, 2)} tidak melebihi ambang batas "
        f"{format_number(gate)}, sehingga evaluasi ini tidak lanjut ke verifikasi dan akan ditutup dengan status "
        f'"{STATE_LABELS[State.BELOW_GATE]}", dan saya tetap mengirimnya.'
    )


def below_gate_refusal(em_score: Decimal, gate: Decimal) -> str | None:
    """Why an unconfirmed submission below the gate is refused, or None when the score passes the gate."""
    if passes_gate(em_score, gate):
        return None
    return (
        f"Nilai EM {format_number(em_score, 2)} tidak melebihi ambang batas {format_number(gate)}: bila dikirim, "
        "evaluasi ini tidak lanjut ke verifikasi. Lengkapi jawaban terlebih dahulu, atau centang pernyataan bahwa "
        "Anda tetap mengirimnya di bawah ambang batas."
    )


def withdrawal_refusal(
    state: State, *, self_assessment_ends: dt.datetime | None, now: dt.datetime, zone: str = WIB
) -> str | None:
    """Why a submitted self-assessment may not be withdrawn now, or None.

    Only a submission that no review has started (state SUBMITTED) is withdrawn, and only while the self-assessment
    stage is open (until its deadline, extended for the region where it was).
    """
    if state == State.DRAFT:
        return Text(gettext_noop("Evaluasi ini belum dikirim, sehingga tidak ada yang ditarik."))
    if state != State.SUBMITTED:
        return Text(
            gettext_noop(
                "Kiriman tidak dapat ditarik lagi: evaluasi ini sudah pada tahap %(state)s. Bila ada yang perlu "
                "diperbaiki, minta verifikator mengembalikan indikatornya."
            ),
            state=Text(STATE_LABELS[state]),
        )
    if self_assessment_ends is not None and now > self_assessment_ends:
        ends = self_assessment_ends
        return Text(
            gettext_noop(
                "Kiriman tidak dapat ditarik lagi: tahap evaluasi mandiri berakhir %(ends)s. Hubungi Kementerian bila "
                "perlu perpanjangan."
            ),
            ends=lambda lang: format_datetime(ends, zone, lang=lang),
        )
    return None


def stop_refusal(*, self_assessment_ends: dt.datetime | None, now: dt.datetime, zone: str = WIB) -> str | None:
    """Why a submission below the gate may not be closed yet: while the self-assessment stage is open its secretariat
    may still withdraw it and complete the answers."""
    if self_assessment_ends is not None and now <= self_assessment_ends:
        ends = self_assessment_ends
        return Text(
            gettext_noop(
                "Tahap evaluasi mandiri masih terbuka sampai %(ends)s: Sekretariat Gugus Tugas masih dapat menarik "
                "kiriman ini dan melengkapinya. Tutup evaluasi setelah tahap itu berakhir."
            ),
            ends=lambda lang: format_datetime(ends, zone, lang=lang),
        )
    return None
