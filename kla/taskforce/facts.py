"""What the task force's records say, in the sentences an entry page offers as the answer to an institutional
question. Pure module: no Django import; dates and kinds come in as plain values.

The instrument asks whether the task force was established by decree and works in every cluster (2.1), how often it
held coordination meetings in the last year (2.2) and whether civil society, business and the media sit on it (3.4).
The records answer those facts; the person answering still chooses the option (the rubric is the instrument's, not
ours) and reads here what to choose it from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from kla.core.formatting import format_count, format_date

CLUSTER_ROLES = ("koordinator_1", "koordinator_2", "koordinator_3", "koordinator_4", "koordinator_5")
CLUSTER_NAMES = ("I", "II", "III", "IV", "V")

# The non-government members question 3.4 asks about, by the agency catalogue's kind codes.
CIVIL_SOCIETY = frozenset({"FORUM_ANAK", "PKK", "LSM", "ORMAS_KEAGAMAAN", "PERGURUAN_TINGGI", "LAINNYA"})
BUSINESS = frozenset({"DUNIA_USAHA"})
MEDIA = frozenset({"MEDIA"})


@dataclass(frozen=True)
class DecreeFacts:
    number: str
    date: dt.date
    signer: str
    valid_from: dt.date
    valid_until: dt.date | None


def year_before(day: dt.date) -> dt.date:
    """The first day of the year that ends on `day` (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - 1) + dt.timedelta(days=1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28) + dt.timedelta(days=1)


def decree_lines(decree: DecreeFacts | None, member_roles: Collection[str], agencies: int) -> list[str]:
    """The decree in force and how the members cover the clusters."""
    if decree is None:
        return ["Belum ada SK Gugus Tugas yang berlaku tercatat. Catat SK di halaman Gugus Tugas terlebih dahulu."]
    until = f" sampai {format_date(decree.valid_until)}" if decree.valid_until else ""
    lines = [
        f"SK nomor {decree.number} tanggal {format_date(decree.date)}, ditandatangani {decree.signer}; "
        f"berlaku sejak {format_date(decree.valid_from)}{until}."
    ]
    covered = [name for role, name in zip(CLUSTER_ROLES, CLUSTER_NAMES, strict=True) if role in member_roles]
    missing = [name for role, name in zip(CLUSTER_ROLES, CLUSTER_NAMES, strict=True) if role not in member_roles]
    people = format_count(len(member_roles))
    lines.append(f"Anggota yang menjabat hari ini: {people} orang dari {format_count(agencies)} instansi.")
    if missing:
        have = f"klaster {', '.join(covered)}" if covered else "belum ada klaster"
        lines.append(f"Koordinator klaster tercatat untuk {have}; belum ada untuk klaster {', '.join(missing)}.")
    else:
        lines.append("Setiap klaster (I–V) memiliki koordinator.")
    return lines


def meeting_lines(held: Iterable[tuple[dt.date, bool]], *, on: dt.date) -> list[str]:
    """Meetings held in the year up to `on` (each as its date and whether its minutes are stored)."""
    start = year_before(on)
    within = [(day, minutes) for day, minutes in held if start <= day <= on]
    period = f"{format_date(start)} – {format_date(on)}"
    if not within:
        return [f"Tidak ada rapat koordinasi yang tercatat terlaksana pada {period}."]
    with_minutes = sum(1 for _, minutes in within if minutes)
    return [
        f"Rapat koordinasi terlaksana pada {period}: {format_count(len(within))} kali "
        f"({format_count(with_minutes)} dengan berkas notulen).",
        "Tanggal: " + ", ".join(format_date(day) for day, _ in sorted(within)) + ".",
    ]


def member_group_lines(kinds_and_names: Iterable[tuple[str, str]]) -> list[str]:
    """Which of civil society, business and media serve on the task force today, by name."""
    found: dict[str, list[str]] = {"Lembaga masyarakat": [], "Dunia usaha": [], "Media massa": []}
    for kind, name in kinds_and_names:
        group = (
            "Lembaga masyarakat"
            if kind in CIVIL_SOCIETY
            else "Dunia usaha"
            if kind in BUSINESS
            else "Media massa"
            if kind in MEDIA
            else None
        )
        if group is not None and name not in found[group]:
            found[group].append(name)
    lines = [f"{group}: {', '.join(names) if names else 'belum ada'}." for group, names in found.items()]
    if all(found.values()):
        lines.append("Ketiga unsur tercatat sebagai anggota yang menjabat hari ini.")
    else:
        lines.append("Belum ketiga unsur tercatat sebagai anggota; tambahkan di halaman Gugus Tugas bila sudah ada.")
    return lines
