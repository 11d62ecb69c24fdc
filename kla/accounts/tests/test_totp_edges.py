"""TOTP edges the RFC vectors do not reach: secrets whose length is not a multiple of 8, other step lengths, the
first steps after 1970, what a typed secret or code may contain, and the exact otpauth URI."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct

import pytest

from kla.accounts import totp

SHORT_KEY = b"0123456789abcdef"  # 16 bytes: 26 base32 characters, which need 6 "=" of padding to decode
SHORT_SECRET = base64.b32encode(SHORT_KEY).decode().rstrip("=")


def reference_hotp(key: bytes, counter: int) -> str:
    """RFC 4226 section 5.3, written out independently of the module."""
    mac = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[19] & 0xF
    return f"{int.from_bytes(mac[offset : offset + 4], 'big') % 2**31 % 10**6:06d}"


def test_a_secret_that_needs_padding_decodes_to_its_key() -> None:
    assert len(SHORT_SECRET) == 26
    assert [totp.hotp(SHORT_SECRET, c) for c in range(5)] == [reference_hotp(SHORT_KEY, c) for c in range(5)]


def test_the_counter_is_an_unsigned_64_bit_number() -> None:
    top = 2**64 - 1
    assert totp.hotp(SHORT_SECRET, top) == reference_hotp(SHORT_KEY, top)
    with pytest.raises(struct.error):
        totp.hotp(SHORT_SECRET, 2**64)


def test_an_invalid_secret_says_so() -> None:
    with pytest.raises(ValueError) as info:
        totp.code_at("not base32!", 0)
    assert str(info.value) == "secret is not valid base32"


def test_another_step_length_is_used_for_the_code_and_the_check() -> None:
    t = 1_750_000_000
    assert totp.code_at(SHORT_SECRET, t, step_seconds=60) == reference_hotp(SHORT_KEY, t // 60)
    code = totp.code_at(SHORT_SECRET, t, step_seconds=60)
    assert totp.verify(SHORT_SECRET, code, t, last_step=None, step_seconds=60) == t // 60


@pytest.mark.parametrize("t", [0, 29, 30])
def test_the_first_steps_after_1970_are_checked_too(t: int) -> None:
    step = t // 30
    assert totp.verify(SHORT_SECRET, totp.hotp(SHORT_SECRET, step), t, last_step=None) == step
    if step == 1:
        assert totp.verify(SHORT_SECRET, totp.hotp(SHORT_SECRET, 0), t, last_step=None) == 0


def test_typed_codes_and_secrets_lose_spaces_dashes_and_padding_only() -> None:
    assert totp.clean_code(" 123-456 ") == "123456"
    assert totp.clean_code("12 3 4-5-6") == "123456"
    assert totp.normalise_secret("abcd efgh====") == "ABCDEFGH"
    assert totp.normalise_secret("mfrg gzdf\tmztw q2lk ==") == "MFRGGZDFMZTWQ2LK"


def test_new_secrets_never_lose_a_character() -> None:
    assert all(len(totp.new_secret()) == 32 for _ in range(500))


def test_the_provisioning_uri_exactly() -> None:
    assert totp.provisioning_uri("abcd efgh", "kab/kota palu", "KLA Uji") == (
        "otpauth://totp/KLA%20Uji%3Akab%2Fkota%20palu?secret=ABCDEFGH&issuer=KLA%20Uji&algorithm=SHA1&digits=6"
        "&period=30"
    )
