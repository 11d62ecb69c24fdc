"""The TOTP module against RFC 6238's test vectors, plus the rules the sign-in relies on (window, no replay)."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlparse

import pytest

from kla.accounts import totp

# RFC 6238 appendix B: the SHA1 key is the ASCII string "12345678901234567890"; values are 8-digit codes.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.mark.parametrize(("t", "expected"), RFC_VECTORS)
def test_rfc_6238_sha1_vectors(t: int, expected: str) -> None:
    assert totp.code_at(RFC_SECRET, t, digits=8) == expected
    assert totp.verify(RFC_SECRET, expected, t, last_step=None, digits=8) == t // 30


def test_rfc_4226_hotp_vectors() -> None:
    # RFC 4226 appendix D, same key, counters 0..9, 6 digits
    expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    assert [totp.hotp(RFC_SECRET, c) for c in range(10)] == expected


def test_six_digits_by_default_and_zero_padded() -> None:
    assert totp.code_at(RFC_SECRET, 1111111109) == "081804"


def test_new_secrets_are_160_random_bits_in_base32() -> None:
    secrets = {totp.new_secret() for _ in range(50)}
    assert len(secrets) == 50
    for secret in secrets:
        assert len(secret) == 32 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        assert len(base64.b32decode(secret)) == 20


def test_verify_returns_the_step_and_tolerates_spaces_and_one_step_of_drift() -> None:
    secret = totp.new_secret()
    t = 1_750_000_000.0
    step = int(t // 30)
    code = totp.code_at(secret, t)
    assert totp.verify(secret, code, t, last_step=None) == step
    assert totp.verify(secret, f" {code[:3]} {code[3:]} ", t, last_step=None) == step
    assert totp.verify(secret, totp.code_at(secret, t - 30), t, last_step=None) == step - 1
    assert totp.verify(secret, totp.code_at(secret, t + 30), t, last_step=None) == step + 1
    assert totp.verify(secret, totp.code_at(secret, t - 60), t, last_step=None) is None
    assert totp.verify(secret, totp.code_at(secret, t + 60), t, last_step=None) is None
    assert totp.verify(secret, totp.code_at(secret, t - 60), t, last_step=None, window=2) == step - 2


def test_a_used_step_and_every_earlier_one_are_refused() -> None:
    secret = totp.new_secret()
    t = 1_750_000_000.0
    step = int(t // 30)
    code = totp.code_at(secret, t)
    assert totp.verify(secret, code, t, last_step=step) is None  # replay
    assert totp.verify(secret, code, t, last_step=step + 1) is None  # a later code was used already
    assert totp.verify(secret, totp.code_at(secret, t - 30), t, last_step=step - 1) is None
    assert totp.verify(secret, code, t, last_step=step - 1) == step


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 34 5x", "١٢٣٤٥٦"])
def test_malformed_codes_are_refused(typed: str) -> None:
    assert totp.verify(totp.new_secret(), typed, 1_750_000_000, last_step=None) is None


def test_a_wrong_code_is_refused() -> None:
    secret = totp.new_secret()
    t = 1_750_000_000.0
    right = {totp.code_at(secret, t + d * 30) for d in (-1, 0, 1)}
    wrong = next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in right)
    assert totp.verify(secret, wrong, t, last_step=None) is None


def test_provisioning_uri_is_what_authenticator_apps_import() -> None:
    uri = totp.provisioning_uri("kla demo klad emok ladem", "prov-sumsel")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert parsed.path == "/Platform%20KLA%3Aprov-sumsel"
    query = parse_qs(parsed.query)
    assert query == {
        "secret": ["KLADEMOKLADEMOKLADEM"],
        "issuer": ["Platform KLA"],
        "algorithm": ["SHA1"],
        "digits": ["6"],
        "period": ["30"],
    }


def test_grouped_secret_for_typing_by_hand() -> None:
    assert totp.grouped("KLADEMOKLADEMOKLADEMOKLADEMOKLAD") == "KLAD EMOK LADE MOKL ADEM OKLA DEMO KLAD"
    # what people type back in (lower case, spaces) is the same secret
    t = 1_750_000_000
    assert totp.code_at("klad emok lade mokl adem okla demo klad", t) == totp.code_at(
        "KLADEMOKLADEMOKLADEMOKLADEMOKLAD", t
    )


def test_an_invalid_secret_is_an_error() -> None:
    with pytest.raises(ValueError):
        totp.code_at("not base32!", 0)
