"""Reading settings from the environment, strictly: a value that is not understood stops the start-up.

A typo must not switch a protection off (``KLA_TOTP_REQUIRED=ture`` read as false), so every boolean, integer and
choice refuses what it does not know with `ImproperlyConfigured` naming the variable and the accepted values.
Secrets may come from files (``SECRET_KEY_FILE=/run/credentials/kla-web.service/secret_key``), as container
secrets and systemd credentials provide them: `env_secret` reads ``<NAME>_FILE`` when it is set.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = ("1", "true", "yes", "on", "ya")
FALSE_WORDS = ("0", "false", "no", "off", "tidak")


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    """The variable's value, None when unset or blank."""
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def _refuse(name: str, value: str, accepted: str, accepted_en: str | None = None) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"{name}={value!r} tidak dikenali; nilai yang diterima: {accepted} "
        f"({name}={value!r} is not understood; accepted: {accepted_en or accepted})."
    )


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    """True for 1/true/yes/on/ya, false for 0/false/no/off/tidak (any case); anything else is refused."""
    value = _raw(name, environ)
    if value is None:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    yes, no = "/".join(TRUE_WORDS), "/".join(FALSE_WORDS)
    raise _refuse(name, value, f"{yes} atau {no}", f"{yes} or {no}")


def env_int(name: str, default: int, *, minimum: int | None = None, environ: Mapping[str, str] | None = None) -> int:
    """A whole number (``_`` separators allowed, as in Python), at least `minimum` if given."""
    value = _raw(name, environ)
    if value is None:
        return default
    at_least = f" ≥ {minimum}" if minimum is not None else ""
    accepted, accepted_en = f"bilangan bulat{at_least}", f"a whole number{at_least}"
    try:
        number = int(value)
    except ValueError:
        raise _refuse(name, value, accepted, accepted_en) from None
    if minimum is not None and number < minimum:
        raise _refuse(name, value, accepted, accepted_en)
    return number


def env_choice(name: str, default: str, choices: Iterable[str], environ: Mapping[str, str] | None = None) -> str:
    """One of `choices` (compared as written)."""
    value = _raw(name, environ)
    if value is None:
        return default
    allowed = tuple(choices)
    if value not in allowed:
        raise _refuse(name, value, ", ".join(allowed))
    return value


def env_list(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list, blanks dropped."""
    value = _raw(name, environ)
    return [v.strip() for v in (default if value is None else value).split(",") if v.strip()]


def env_sizes(name: str, default: str, environ: Mapping[str, str] | None = None) -> dict[str, int]:
    """``kind=number`` pairs separated by commas (``pdf=50,image=20``), each number a whole number ≥ 1."""
    sizes = {}
    for item in env_list(name, default, environ):
        kind, sep, number = item.partition("=")
        if not sep or not kind.strip() or not number.strip().isdigit() or int(number) < 1:
            raise _refuse(
                name, item, "pasangan jenis=angka dipisah koma, mis. pdf=50,image=20", "kind=number pairs, e.g. pdf=50"
            )
        sizes[kind.strip()] = int(number)
    return sizes


def env_secret(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    """The variable, or the content of the file named by ``<NAME>_FILE`` (one trailing newline dropped).

    Setting both is refused (which one would win is a guess); an unreadable file is refused with its path.
    """
    env = os.environ if environ is None else environ
    direct, path = _raw(name, env), _raw(f"{name}_FILE", env)
    if path is None:
        return default if direct is None else env[name]
    if direct is not None:
        raise ImproperlyConfigured(
            f"{name} dan {name}_FILE keduanya diisi; pakai salah satu ({name} and {name}_FILE are both set)."
        )
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{name}_FILE={path!r} tidak dapat dibaca ({exc.strerror or type(exc).__name__})."
        ) from None
    return text.removesuffix("\n").removesuffix("\r")
