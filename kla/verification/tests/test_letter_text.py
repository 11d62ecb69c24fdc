"""The editable body of the proposal letter: what each refusal says, word for word (kla.verification.letter_text)."""

from __future__ import annotations

import pytest

from kla.verification import letter_text

ALLOWED = "{provinsi}, {siklus}, {tahun}, {jumlah}, {tanggal}, {nomor}, {penandatangan}, {jabatan}"
UNBALANCED = "Kurung kurawal tidak seimbang: setiap { harus ditutup dengan } dan tidak boleh bersarang."


def test_an_unknown_placeholder_is_refused_with_the_list_of_those_allowed() -> None:
    assert letter_text.check_body("Yth. {gubernur} di {kota}, {gubernur}.") == [
        f"Placeholder tidak dikenal: {{gubernur}}, {{kota}}. Yang dapat dipakai: {ALLOWED}."
    ]


def test_unbalanced_braces_are_refused_in_so_many_words() -> None:
    assert letter_text.check_body("Usulan {provinsi") == [UNBALANCED]
    assert letter_text.check_body("Usulan {provinsi} dari {tahun} dan {siklus}") == []


def test_every_problem_is_listed_and_fill_names_them_all() -> None:
    body = "{x} " + "a" * 5000 + " }"
    assert letter_text.check_body(body) == [
        "Isi surat terlalu panjang: 5.006 karakter (maksimum 5.000).",
        UNBALANCED,
        f"Placeholder tidak dikenal: {{x}}. Yang dapat dipakai: {ALLOWED}.",
    ]
    with pytest.raises(ValueError) as info:
        letter_text.fill(body, {})
    assert str(info.value) == " ".join(letter_text.check_body(body))


def test_fill_names_every_missing_value_once() -> None:
    with pytest.raises(ValueError) as info:
        letter_text.fill("{nomor} {tahun} {nomor} {jabatan}", {"tahun": "2026"})
    assert str(info.value) == "Nilai belum tersedia untuk placeholder: {nomor}, {jabatan}."
