"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 6 digits, 30-second steps.

This is what authenticator apps (Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis, …) compute from the
secret shown once at enrolment. Secrets are base32 text (RFC 4648, no padding), 160 random bits as RFC 4226 advises.

`verify` returns the time step a code matched, so the caller can store it and refuse that step (and every earlier
one) next time: a code seen once, by an eavesdropper or a shoulder-surfer, cannot be used again.

`qr_svg` draws the provisioning URI as a QR code (segno, pure Python) in SVG markup to put inline in the page: no
image request, no `data:` URI, no style attribute, so the site's Content-Security-Policy needs no exception.

Pure module: no Django import.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

import segno

DIGITS = 6
STEP_SECONDS = 30
SECRET_BYTES = 20  # 160 bits


def new_secret() -> str:
    """A fresh random secret as base32 text (32 characters for 160 bits)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def normalise_secret(secret: str) -> str:
    """Upper case, without spaces or padding: how people type a grouped secret back in."""
    return "".join(secret.split()).replace("=", "").upper()


def _key(secret: str) -> bytes:
    text = normalise_secret(secret)
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("secret is not valid base32") from exc


def step_at(t: float, *, step_seconds: int = STEP_SECONDS) -> int:
    """The time step (counter) of the Unix time `t`."""
    return int(t // step_seconds)


def hotp(secret: str, counter: int, *, digits: int = DIGITS) -> str:
    """RFC 4226: the `digits`-digit code of `counter`, zero-padded."""
    mac = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def code_at(secret: str, t: float, *, digits: int = DIGITS, step_seconds: int = STEP_SECONDS) -> str:
    """RFC 6238: the code an authenticator app shows at Unix time `t`."""
    return hotp(secret, step_at(t, step_seconds=step_seconds), digits=digits)


def clean_code(code: str) -> str:
    """The digits of a typed code: spaces (and the dash some apps show) are ignored."""
    return "".join(code.split()).replace("-", "")


def verify(
    secret: str,
    code: str,
    t: float,
    *,
    last_step: int | None,
    window: int = 1,
    digits: int = DIGITS,
    step_seconds: int = STEP_SECONDS,
) -> int | None:
    """The time step `code` belongs to, or None if it matches no step near `t` or only a used one.

    `window` steps either side of the current one are accepted (clock drift, a code typed just as it changed).
    A step ≤ `last_step` is refused: each code works once, and never after a later one was used.
    """
    typed = clean_code(code)
    if len(typed) != digits or not (typed.isascii() and typed.isdigit()):
        return None
    current = step_at(t, step_seconds=step_seconds)
    matched: int | None = None
    for candidate in range(current - window, current + window + 1):
        if candidate < 0:
            continue
        # compare every candidate in constant time, and do not stop early: timing reveals nothing
        if hmac.compare_digest(hotp(secret, candidate, digits=digits), typed) and matched is None:
            matched = candidate
    if matched is None or (last_step is not None and matched <= last_step):
        return None
    return matched


def provisioning_uri(secret: str, account: str, issuer: str = "Platform KLA") -> str:
    """The otpauth:// URI authenticator apps import (the format of the QR code they scan)."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {
            "secret": normalise_secret(secret),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str) -> str:
    """The secret in groups of four characters, for typing it into an app by hand."""
    text = normalise_secret(secret)
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


QR_SCALE = 4  # pixels per module: a version 7–8 code is about 200–230 px wide, easy to scan from a screen
QR_BORDER = 4  # the quiet zone the QR specification asks for, in modules


def qr_svg(uri: str, *, title: str) -> str:
    """The QR code of `uri` as inline SVG markup (error correction M, black on a white background, with a title).

    The markup has only presentation attributes (`stroke`, `fill`, `transform`): nothing a CSP without
    'unsafe-inline' would block.
    """
    code = segno.make_qr(uri, error="m", boost_error=False)
    svg = code.svg_inline(
        scale=QR_SCALE, border=QR_BORDER, dark="#000", light="#fff", title=title, svgclass="qr-code", lineclass=None
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)
