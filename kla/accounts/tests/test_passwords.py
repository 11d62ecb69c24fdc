from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kla.accounts.passwords import ProgrammeWordsValidator


@pytest.mark.parametrize(
    "password",
    ["palembang2025", "Palembang#2025", "layakanak!!", "sumateraselatan1", "KotaLayakAnak2024", "Lubuklinggau123"],
)
def test_region_and_programme_names_are_refused(password: str) -> None:
    with pytest.raises(ValidationError, match="mudah ditebak"):
        ProgrammeWordsValidator().validate(password)


@pytest.mark.parametrize("password", ["Burung-Merak-Terbang-17", "kopi pagi di tepi sungai musi", "Xq7!vR2#pL9z"])
def test_ordinary_strong_passwords_pass(password: str) -> None:
    ProgrammeWordsValidator().validate(password)
