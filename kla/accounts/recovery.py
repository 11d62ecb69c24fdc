"""One-time recovery codes: the way in when the phone with the authenticator app is lost or out of reach.

A set of `COUNT` codes is shown once (at enrolment, or when the user makes a new set, which voids the old one). Each
code is `LENGTH` characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown in groups of `GROUP` joined
by dashes (`7KQM-XR2C-HN4T`); 12 of 31 symbols are about 59 random bits. A code is typed in place of the 6-digit
code at sign-in and works once.

Only a keyed hash is stored (`digest`: HMAC-SHA256 under a key derived from the site's secret key, over the user's id
and the code), never the code: a stolen database alone does not give the codes, and one user's digest says nothing
about another's. A keyed hash, unlike a slow password hash, lets the check be one indexed look-up, and brute force
is held back by the sign-in throttle as for the 6-digit codes.

Pure module: no Django import.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols: no 0, 1, I, L, O
LENGTH = 12
GROUP = 4
COUNT = 10
_KEY_PURPOSE = b"kla.accounts.recovery-codes"


def new_code(*, length: int = LENGTH) -> str:
    """One random code (the bare characters, without dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_codes(count: int = COUNT, *, length: int = LENGTH) -> list[str]:
    """`count` different random codes."""
    codes: list[str] = []
    while len(codes) < count:
        code = new_code(length=length)
        if code not in codes:
            codes.append(code)
    return codes


def normalise(typed: str) -> str:
    """Upper case, without spaces or dashes: how a code is compared, however it was typed or pasted."""
    return "".join(typed.split()).replace("-", "").replace("\u2013", "").upper()


def is_recovery_code(typed: str, *, length: int = LENGTH) -> bool:
    """True if `typed` has the shape of a recovery code (and so cannot be a 6-digit code from the app)."""
    text = normalise(typed)
    return len(text) == length and all(ch in ALPHABET for ch in text)


def display(code: str, *, group: int = GROUP) -> str:
    """The code in groups joined by dashes, for reading it off a sheet of paper: `7KQM-XR2C-HN4T`."""
    text = normalise(code)
    return "-".join(text[i : i + group] for i in range(0, len(text), group))


def _key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode("utf-8"), _KEY_PURPOSE, hashlib.sha256).digest()


def digest(code: str, *, secret_key: str, user_id: int) -> str:
    """The stored form of a code: HMAC-SHA256 (hex) of the user's id and the normalised code."""
    message = f"{user_id}:{normalise(code)}".encode()
    return hmac.new(_key(secret_key), message, hashlib.sha256).hexdigest()


def digests(code: str, *, secret_keys: list[str], user_id: int) -> list[str]:
    """The digests of a typed code under the current secret key and the previous ones (a key rotation keeps codes)."""
    return [digest(code, secret_key=key, user_id=user_id) for key in secret_keys]
