"""Passwords built on a region name or a programme word are refused (ASVS 6.2.11)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kla.accounts.models import User
from kla.accounts.password_words import PROGRAMME_WORDS, REGION_ALIASES, find_context_word, prepare
from kla.accounts.passwords import ProgrammeWordsValidator, context_words, forget_context_words

# A handful of real names is enough for the pure rule; the validator below uses all ~550 from the database.
WORDS = prepare(
    region_names=[
        "Sumatera Selatan",
        "Kota Palembang",
        "Kota Lubuk Linggau",
        "Kabupaten Musi Rawas",
        "Kota Bima",
        "Kabupaten Bima",
        "Kota Batu",
        "Kota Administrasi Jakarta Pusat",
        "Daerah Istimewa Yogyakarta",
        "Kepulauan Bangka Belitung",
        "Kabupaten Kep. Siau Tagulandang Biaro",
        "Kabupaten Toli-Toli",
        "Kota Palu",
        "Kabupaten Aru",  # made up: a name under 4 letters is not a forbidden word
    ],
    extra_words=(*PROGRAMME_WORDS, *REGION_ALIASES),
)


@pytest.mark.parametrize(
    ("password", "word"),
    [
        ("Password123", "Password"),
        ("P@ssw0rd!", "Password"),
        ("kla2025", "KLA"),
        ("KLA_2025!", "KLA"),
        ("Palembang2025", "Palembang"),
        ("palembang2026!", "Palembang"),
        ("P4l3mb4ng-2026", "Palembang"),
        ("Pa1embang-2026", "Palembang"),  # 1 read as l
        ("KemenPPPA2025", "KemenPPPA"),
        ("LayakAnak2025", "Layak Anak"),
        ("kabupaten-layak-anak", "Kabupaten Layak Anak"),
        ("dp3a-sumsel", "Sumsel"),
        ("DP3A-2025", "DP3A"),
        ("gugus tugas 2025", "Gugus Tugas"),
        ("indonesia-raya-45", "Indonesia"),
        ("SumateraSelatan1", "Sumatera Selatan"),
        ("musi_rawas_2025", "Musi Rawas"),
        ("Lubuk Linggau 123", "Lubuk Linggau"),
        ("jakartapusat99", "Jakarta Pusat"),
        ("yogyakarta!!", "Yogyakarta"),
        ("bangkabelitung7", "Kepulauan Bangka Belitung"),
        ("siau-tagulandang-biaro", "Kep. Siau Tagulandang Biaro"),
        ("Toli-Toli-2025", "Toli-Toli"),
        ("Bima2025", "Bima"),
        ("KotaBima!", "Bima"),
        ("sapi-b1ma-77", "Bima"),
    ],
)
def test_passwords_built_on_a_context_word_are_refused(password: str, word: str) -> None:
    assert find_context_word(password, WORDS) == word


@pytest.mark.parametrize(
    "password",
    [
        "Kuda-Terbang-Biru-88",
        "Burung-Merak-Terbang-17",
        "kopi pagi di tepi sungai musi",
        "Xq7!vR2#pL9z",
        # 3- and 4-letter names only as whole tokens: these contain "bima", "batu", "palu", "kla" inside a word
        "Bimasakti-Ungu-7",
        "batuk-pilek-sembuh-3",
        "Palung-Dalam-Hijau-5",
        "deklarasi-hujan-17",
        "aru-aru-aru-2025",  # a region name under 4 letters is not forbidden
    ],
)
def test_ordinary_passwords_pass(password: str) -> None:
    assert find_context_word(password, WORDS) is None


def test_the_word_list_holds_every_province_and_kab_kota(db) -> None:
    forget_context_words()
    words = context_words()
    assert len(words.anywhere) + len(words.tokens) > 550
    assert {"palembang", "lubuklinggau", "sumateraselatan", "jakartapusat"} <= set(words.anywhere)
    assert {"bima", "agam", "kla"} <= set(words.tokens)
    assert context_words() is words  # read once per process


def test_validator_message_names_the_word_and_what_to_do(db) -> None:
    with pytest.raises(ValidationError) as caught:
        ProgrammeWordsValidator().validate("Lahat-2025!")
    message = caught.value.messages[0]
    assert "“Lahat”" in message and "nama wilayah atau nama program" in message and "Pilih kata sandi lain" in message
    assert "KemenPPPA" in ProgrammeWordsValidator().get_help_text()


def _set_password_page(client, mailoutbox) -> str:  # type: ignore[no-untyped-def]
    client.post(reverse("accounts:password_reset"), {"email": "opd-palembang@demo.kla.invalid"})
    link = re.search(r"http://testserver(/akun/atur-sandi/\S+/)", mailoutbox[-1].body)
    assert link
    response = client.get(link.group(1), follow=True)
    assert "Buat kata sandi baru" in response.content.decode()
    return str(response.redirect_chain[-1][0])


@pytest.mark.django_db
def test_set_password_page_refuses_a_region_name_with_the_message(client, mailoutbox) -> None:
    page = _set_password_page(client, mailoutbox)
    response = client.post(page, {"new_password1": "Palembang#2026!", "new_password2": "Palembang#2026!"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kata sandi tidak boleh memuat nama wilayah atau nama program (di sini: “Palembang”)" in body
    assert not User.objects.get(username="opd-palembang").check_password("Palembang#2026!")
    # the help text is on the page before anything is typed, and a good password still goes through
    response = client.post(page, {"new_password1": "Kuda-Terbang-Biru-88", "new_password2": "Kuda-Terbang-Biru-88"})
    assert response.status_code == 302
    assert User.objects.get(username="opd-palembang").check_password("Kuda-Terbang-Biru-88")


@pytest.mark.django_db
def test_set_password_page_refuses_a_four_letter_kota_only_as_a_word(client, mailoutbox) -> None:
    page = _set_password_page(client, mailoutbox)
    body = client.post(page, {"new_password1": "Bima-Hujan-Pagi-7", "new_password2": "Bima-Hujan-Pagi-7"})
    assert "“Bima”" in body.content.decode()
    response = client.post(page, {"new_password1": "Bimasakti-Hujan-7", "new_password2": "Bimasakti-Hujan-7"})
    assert response.status_code == 302
