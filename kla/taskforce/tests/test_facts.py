"""The sentences the task force's records offer to the institutional questions (pure)."""

from __future__ import annotations

import datetime as dt

from kla.taskforce import facts

D = dt.date


def test_the_year_before_a_day_starts_the_day_after_a_year_earlier() -> None:
    assert facts.year_before(D(2026, 12, 7)) == D(2025, 12, 8)
    assert facts.year_before(D(2028, 2, 29)) == D(2027, 3, 1)


def test_decree_lines_name_the_decree_and_the_clusters_without_a_coordinator() -> None:
    decree = facts.DecreeFacts("188.45/123/2026", D(2026, 1, 5), "Wali Kota Palembang", D(2026, 1, 5), None)
    lines = facts.decree_lines(decree, ["ketua", "koordinator_1", "koordinator_3", "anggota"], agencies=3)
    assert lines[0] == (
        "SK nomor 188.45/123/2026 tanggal 5 Januari 2026, ditandatangani Wali Kota Palembang; "
        "berlaku sejak 5 Januari 2026."
    )
    assert lines[1] == "Anggota yang menjabat hari ini: 4 orang dari 3 instansi."
    assert lines[2] == "Koordinator klaster tercatat untuk klaster I, III; belum ada untuk klaster II, IV, V."
    until = facts.DecreeFacts("1", D(2026, 1, 5), "Wali Kota", D(2026, 1, 5), D(2028, 12, 31))
    full = facts.decree_lines(until, list(facts.CLUSTER_ROLES), agencies=5)
    assert full[0].endswith("berlaku sejak 5 Januari 2026 sampai 31 Desember 2028.")
    assert full[2] == "Setiap klaster (I–V) memiliki koordinator."
    assert facts.decree_lines(until, [], agencies=0)[2].startswith("Koordinator klaster tercatat untuk belum ada")


def test_no_decree_says_where_to_record_it() -> None:
    assert facts.decree_lines(None, ["ketua"], agencies=1) == [
        "Belum ada SK Gugus Tugas yang berlaku tercatat. Catat SK di halaman Gugus Tugas terlebih dahulu."
    ]


def test_meeting_lines_count_only_the_year_up_to_the_day() -> None:
    on = D(2026, 12, 7)
    held = [(D(2025, 12, 7), True), (D(2025, 12, 8), True), (D(2026, 6, 1), False), (D(2026, 12, 7), True)]
    lines = facts.meeting_lines([*held, (D(2026, 12, 8), True)], on=on)
    assert (
        lines[0]
        == "Rapat koordinasi terlaksana pada 8 Desember 2025 – 7 Desember 2026: 3 kali (2 dengan berkas notulen)."
    )
    assert lines[1] == "Tanggal: 8 Desember 2025, 1 Juni 2026, 7 Desember 2026."
    assert facts.meeting_lines([(D(2020, 1, 1), True)], on=on) == [
        "Tidak ada rapat koordinasi yang tercatat terlaksana pada 8 Desember 2025 – 7 Desember 2026."
    ]


def test_member_groups_name_who_serves_and_what_is_missing() -> None:
    lines = facts.member_group_lines(
        [
            ("FORUM_ANAK", "Forum Anak"),
            ("PKK", "TP PKK"),
            ("DINSOS", "Dinas Sosial"),
            ("MEDIA", "Media"),
            ("PKK", "TP PKK"),
        ]
    )
    assert lines == [
        "Lembaga masyarakat: Forum Anak, TP PKK.",
        "Dunia usaha: belum ada.",
        "Media massa: Media.",
        "Belum ketiga unsur tercatat sebagai anggota; tambahkan di halaman Gugus Tugas bila sudah ada.",
    ]
    full = facts.member_group_lines([("LSM", "LSM"), ("DUNIA_USAHA", "Dunia usaha"), ("MEDIA", "Media")])
    assert full[-1] == "Ketiga unsur tercatat sebagai anggota yang menjabat hari ini."
