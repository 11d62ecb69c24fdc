"""The demo data set: Sumatera Selatan, Palembang's Gugus Tugas agencies, one demo user per persona.

Loaded by `make run` through `manage.py seed_demo`, never by migrations. Everything here goes through the same
services as real data (audited), so the demo behaves like production.
"""

from __future__ import annotations

from dataclasses import dataclass

from kla.accounts.roles import Role

PROVINCE = "16"  # Sumatera Selatan
PALEMBANG = "16.71"
LUBUKLINGGAU = "16.73"
DEMO_PASSWORD = "sandi-demo-2026"
# The TOTP secret of every demo user with a province or ministry role (they sign in with a second step). Public, like
# the password: add it to any authenticator app ("enter a setup key", time-based) to try the second step.
DEMO_TOTP_SECRET = "KLADEMOKLADEMOKLADEMOKLADEMOKLAD"

# Palembang's Gugus Tugas KLA: regional OPD plus vertical bodies (as in its 2024 coordination meeting). The Kantor
# Wilayah Kemenkumham is a provincial body: the task force seed (task_force_data.py) registers it at the province.
PALEMBANG_AGENCIES: tuple[str, ...] = (
    "DPPPA",
    "BAPPEDA",
    "DISDIK",
    "DINKES",
    "DPUPR",
    "DISDUKCAPIL",
    "DINSOS",
    "DISKOMINFO",
    "KEJAKSAAN",
    "BAPAS",
    "PN",
    "PA",
)
LUBUKLINGGAU_AGENCIES: tuple[str, ...] = ("DPPPA", "BAPPEDA", "DISDUKCAPIL")


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    full_name: str
    position: str
    role: Role | None
    region: str | None
    agency_kind: str | None = None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "opd-palembang",
        "Rina Marlina",
        "Operator Disdukcapil Kota Palembang",
        Role.OPD_OPERATOR,
        PALEMBANG,
        "DISDUKCAPIL",
    ),
    DemoUser(
        "gt-palembang",
        "Hendra Saputra",
        "Sekretariat Gugus Tugas KLA (Dinas PPPA) Kota Palembang",
        Role.SECRETARIAT,
        PALEMBANG,
    ),
    DemoUser(
        "gt-lubuklinggau",
        "Sri Wahyuni",
        "Sekretariat Gugus Tugas KLA Kota Lubuklinggau",
        Role.SECRETARIAT,
        LUBUKLINGGAU,
    ),
    DemoUser(
        "prov-sumsel", "Ahmad Fauzi", "Tim KLA Dinas PPPA Provinsi Sumatera Selatan", Role.PROVINCE_REVIEWER, PROVINCE
    ),
    DemoUser("kemen-verifikator", "Dewi Lestari", "Verifikator Administrasi KemenPPPA", Role.MINISTRY_VERIFIER, None),
    DemoUser("kemen-lapangan", "Bambang Sutrisno", "Verifikator Lapangan", Role.FIELD_VERIFIER, None),
    DemoUser("kemen-admin", "Maria Ulfa", "Administrator dan Publikasi KemenPPPA", Role.MINISTRY_ADMIN, None),
    # Publication needs a second administrator to confirm.
    DemoUser(
        "kemen-admin2", "Yusuf Hidayat", "Administrator KemenPPPA (konfirmasi publikasi)", Role.MINISTRY_ADMIN, None
    ),
    DemoUser("tanpa-peran", "Budi Santoso", "Pengguna tanpa peran", None, None),
)

# The demo cycle: dates are relative to the day the demo data is loaded, so the self-assessment is always open.
DEMO_CYCLE_CODE = "evaluasi-kla-demo"
DEMO_CYCLE_NAME = "Evaluasi KLA (demo)"

# Palembang's predicate history before the platform (Pratama 2021-2023) and its target: the next level up.
DEMO_HISTORY: tuple[tuple[str, int, str], ...] = (
    (PALEMBANG, 2021, "pratama"),
    (PALEMBANG, 2022, "pratama"),
    (PALEMBANG, 2023, "pratama"),
)
DEMO_TARGET: tuple[str, str] = (PALEMBANG, "madya")
# The province's proposal letter wording (the default body with a signer, so a proposal can be made at once).
DEMO_LETTER = {"city": "Palembang", "signer": "Dra. Fitriana Rahmawati, M.Si.", "title": ""}
