"""The results' sentences in the reader's language: the pure rule modules (`provila`, `outcomes`, `targets`) write
Indonesian, this module writes the same sentences through gettext, with numbers in the reader's format.

Indonesian output is the pure modules' own text, word for word (their tests hold it); English is translated.
A blocker's reason is rebuilt from the patterns `provila` writes, so a reason of another shape is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import get_language, gettext, ngettext

from kla.core.formatting import format_count, format_number, parse_number
from kla.results.outcomes import PublicationCount
from kla.results.provila import ProvilaStatus
from kla.results.targets import TargetGap


def _lang() -> str:
    return get_language() or "id"


def _n(value: Decimal | int | None, places: int | None = None) -> str:
    return format_number(value, places, lang=_lang())


def provila_summary(status: ProvilaStatus) -> str:
    """`ProvilaStatus.summary` in the reader's language."""
    n = {"meeting": status.meeting, "total": status.total, "band": status.min_band.name}
    n["missing"] = status.total - status.meeting
    if status.total == 0:
        head = gettext("Belum memenuhi syarat: tidak ada kabupaten/kota di provinsi ini.")
    elif status.eligible:
        head = (
            gettext(
                "Memenuhi syarat Provinsi Layak Anak: %(meeting)s dari %(total)s kabupaten/kota berpredikat minimal "
                "%(band)s."
            )
            % n
        )
    elif status.meeting < status.total:
        head = (
            gettext(
                "Belum memenuhi syarat: %(missing)s dari %(total)s kabupaten/kota belum berpredikat minimal %(band)s."
            )
            % n
        )
    else:
        head = (
            gettext(
                "Belum memenuhi syarat: %(meeting)s dari %(total)s kabupaten/kota sudah berpredikat minimal %(band)s."
            )
            % n
        )
    if not status.coverage:
        return head
    levels = {r.level for r in status.coverage}
    failing = [blocker_reason(b.reason) for b in status.blockers if b.code in levels]
    if failing:
        return gettext("%(head)s Syarat cakupan belum terpenuhi: %(reasons)s.") % {
            "head": head,
            "reasons": "; ".join(failing),
        }
    return gettext("%(head)s Syarat cakupan terpenuhi.") % {"head": head}


_NUMBER = r"(-?[\d.]+(?:,\d+)?)"
_FIXED: dict[str, Callable[[], str]] = {
    "Tidak ada evaluasi pada siklus ini": lambda: gettext("Tidak ada evaluasi pada siklus ini"),
    "Tidak memenuhi ambang batas evaluasi mandiri": lambda: gettext("Tidak memenuhi ambang batas evaluasi mandiri"),
    "Belum ada hasil evaluasi": lambda: gettext("Belum ada hasil evaluasi"),
    "Tidak ada kabupaten/kota": lambda: gettext("Tidak ada kabupaten/kota"),
    "Belum berpredikat": lambda: gettext("Belum berpredikat"),
}
_PATTERNS: list[tuple[re.Pattern[str], Callable[[], str], tuple[str, ...]]] = [
    (
        re.compile(
            rf"Tidak memenuhi ambang batas evaluasi mandiri \(nilai EM {_NUMBER}\): kurang {_NUMBER} poin untuk "
            rf"(\S+) \(minimal {_NUMBER}\)"
        ),
        lambda: gettext(
            "Tidak memenuhi ambang batas evaluasi mandiri (nilai EM %(score)s): kurang %(short)s poin untuk "
            "%(band)s (minimal %(minimum)s)"
        ),
        ("score", "short", "band", "minimum"),
    ),
    (
        re.compile(rf"Nilai {_NUMBER} di bawah (\S+) \(minimal {_NUMBER}\): kurang {_NUMBER} poin"),
        lambda: gettext("Nilai %(score)s di bawah %(band)s (minimal %(minimum)s): kurang %(short)s poin"),
        ("score", "band", "minimum", "short"),
    ),
    (
        re.compile(r"Predikat (\S+) di bawah (\S+)"),
        lambda: gettext("Predikat %(band)s di bawah %(minimum_band)s"),
        ("band", "minimum_band"),
    ),
    (
        re.compile(r"Cakupan (.+) belum tercatat"),
        lambda: gettext("Cakupan %(label)s belum tercatat"),
        ("label",),
    ),
    (
        re.compile(rf"Cakupan (.+) {_NUMBER}% di bawah syarat {_NUMBER}%: kurang {_NUMBER} poin persentase"),
        lambda: gettext(
            "Cakupan %(label)s %(achieved)s%% di bawah syarat %(minimum)s%%: kurang %(short)s poin persentase"
        ),
        ("label", "achieved", "minimum", "short"),
    ),
]
_TEXT_PARTS = {"band", "label", "minimum_band"}


def _reformat(name: str, raw: str) -> str:
    if name in _TEXT_PARTS or _lang() == "id":
        return raw
    number = parse_number(raw)
    places = 2 if "," in raw else None
    return _n(number, places)


def blocker_reason(reason: str) -> str:
    """A blocker's reason as `provila` wrote it, in the reader's language (numbers in the reader's format)."""
    if reason in _FIXED:
        return _FIXED[reason]()
    for pattern, message, names in _PATTERNS:
        found = pattern.fullmatch(reason)
        if found:
            return message() % {k: _reformat(k, v) for k, v in zip(names, found.groups(), strict=True)}
    return reason


def publication_sentences(count: PublicationCount) -> list[str]:
    """`PublicationCount.sentences` in the reader's language."""
    lang = _lang()
    n = {
        "settled": format_count(count.settled, lang=lang),
        "total": format_count(count.total, lang=lang),
        "determined": format_count(count.determined, lang=lang),
        "below_gate": format_count(count.below_gate, lang=lang),
        "in_progress": format_count(count.in_progress, lang=lang),
    }
    out = [
        gettext(
            "%(settled)s dari %(total)s kabupaten/kota sudah selesai dievaluasi: %(determined)s ditetapkan dan "
            "diumumkan dengan predikatnya, %(below_gate)s tidak memenuhi ambang batas evaluasi mandiri."
        )
        % n
    ]
    if count.in_progress:
        out.append(
            ngettext(
                "%(in_progress)s kabupaten/kota belum selesai dievaluasi: tidak diumumkan, dan portal publik "
                'menampilkannya sebagai "belum selesai dievaluasi".',
                "%(in_progress)s kabupaten/kota belum selesai dievaluasi: tidak diumumkan, dan portal publik "
                'menampilkannya sebagai "belum selesai dievaluasi".',
                count.in_progress,
            )
            % n
        )
    return out


def target_summary(gap: TargetGap) -> str:
    """`TargetGap.summary` in the reader's language."""
    if gap.reached:
        return gettext("Target %(band)s sudah tercapai (nilai %(score)s).") % {
            "band": gap.target.name,
            "score": _n(gap.score, 2),
        }
    head = gettext("Perlu %(points)s poin lagi untuk predikat %(band)s (minimal %(minimum)s).") % {
        "points": _n(gap.points_needed, 2),
        "band": gap.target.name,
        "minimum": _n(gap.target.min_score),
    }
    if gap.enough:
        return gettext("%(head)s %(count)s indikator teratas dapat menutup kekurangan ini.") % {
            "head": head,
            "count": len(gap.covering()),
        }
    open_points = sum((o.attainable for o in gap.opportunities), Decimal(0))
    return gettext("%(head)s Seluruh poin yang masih terbuka (%(points)s) belum cukup.") % {
        "head": head,
        "points": _n(open_points, 2),
    }
