"""Who is who in the national data set: usernames by pattern, synthetic personal names, cycle codes."""

from __future__ import annotations

from bench.national_data.constants import FIELD_VERIFIERS, MINISTRY_ADMINS, MINISTRY_VERIFIERS, PREFIX, seeded_rng
from kla.accounts.roles import Role

FIRST_NAMES = (
    "Agus", "Budi", "Citra", "Dewi", "Eka", "Fitri", "Gilang", "Hendra", "Indah", "Joko", "Kartika", "Lestari",
    "Made", "Nur", "Oktaviani", "Putri", "Rahmat", "Sari", "Teguh", "Utami", "Wahyu", "Yohana", "Zainal", "Ayu",
)  # fmt: skip
LAST_NAMES = (
    "Siregar", "Nasution", "Wijaya", "Saputra", "Hidayat", "Lubis", "Pratama", "Kusuma", "Rahayu", "Simanjuntak",
    "Manurung", "Setiawan", "Santoso", "Harahap", "Tanjung", "Pangaribuan", "Wibowo", "Susanti", "Ginting",
    "Latuconsina",
)  # fmt: skip


def _compact(code: str) -> str:
    return code.replace(".", "")


def secretariat_username(region_code: str) -> str:
    return f"{PREFIX}gt-{_compact(region_code)}"


def operator_username(region_code: str, kind: str) -> str:
    return f"{PREFIX}opd-{_compact(region_code)}-{kind.lower()}"


def province_username(province_code: str) -> str:
    return f"{PREFIX}prov-{province_code}"


def national_usernames() -> dict[Role, list[str]]:
    return {
        Role.MINISTRY_VERIFIER: [f"{PREFIX}kemen-verif-{i}" for i in range(1, MINISTRY_VERIFIERS + 1)],
        Role.FIELD_VERIFIER: [f"{PREFIX}kemen-lapangan-{i}" for i in range(1, FIELD_VERIFIERS + 1)],
        Role.MINISTRY_ADMIN: [f"{PREFIX}kemen-admin-{i}" for i in range(1, MINISTRY_ADMINS + 1)],
    }


def person(seed: int, key: str) -> str:
    """A plausible Indonesian name, the same for the same (seed, key)."""
    rng = seeded_rng(seed, "name", key)
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def cycle_codes(year: int) -> tuple[str, str]:
    """(previous, current) cycle codes for the current `year`."""
    return f"nasional-{year - 1}", f"nasional-{year}"
