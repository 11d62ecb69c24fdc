"""Backups and restores: a database dump plus a manifest (row counts per table, media files with SHA-256).

A backup is a directory `kla-backup-<UTC time>/` holding `database.dump` (PostgreSQL, `pg_dump -Fc`) or
`database.sqlite3` (SQLite, the online backup API), and `manifest.json`. With age recipients
(`KLA_BACKUP_AGE_RECIPIENT`) the PostgreSQL dump is written encrypted instead (`database.dump.age`,
kla.core.backup_crypto) and never lands on disk in clear. The dump streams through a SHA-256 on its way to the file;
the manifest records the hash of the file as stored (checked before anything is restored) and of the plain dump
(checked after decryption). Media files stay where the storage keeps them (a filesystem or an object store with its
own replication); the manifest records each one's size and hash so a restore can prove the files it points to are the
ones that were there. `restore` refuses a database that already holds tables, loads the dump, and checks every table
count and every media hash against the manifest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from kla.core.backup_crypto import (
    AGE_SUFFIX,
    CHUNK,
    BackupError,
    copy_hashed,
    decrypt_to,
    encrypt_stream,
    sha256_file,
)
from kla.core.storage import PARTIAL_PREFIX

MANIFEST = "manifest.json"


@dataclass
class Check:
    """The result of comparing a database and the media storage with a manifest."""

    counts_differ: dict[str, tuple[int, int]] = field(default_factory=dict)  # table -> (manifest, found)
    media_missing: list[str] = field(default_factory=list)
    media_differ: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not (self.counts_differ or self.media_missing or self.media_differ)

    def describe(self) -> str:
        if self.identical:
            return "Identik: jumlah baris setiap tabel dan hash setiap berkas media sama dengan manifes."
        parts = [f"{t}: manifes {a}, ditemukan {b}" for t, (a, b) in sorted(self.counts_differ.items())]
        parts += [f"berkas hilang: {n}" for n in self.media_missing[:20]]
        parts += [f"hash berbeda: {n}" for n in self.media_differ[:20]]
        return "Tidak identik: " + "; ".join(parts)


def _tables() -> list[str]:
    """Every table of the project's models (including many-to-many tables), sorted."""
    names = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names.add(model._meta.db_table)
    return sorted(names)


def table_counts(alias: str = "default") -> dict[str, int]:
    with connections[alias].cursor() as cursor:
        existing = set(connections[alias].introspection.table_names(cursor))
        counts = {}
        for table in _tables():
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connections[alias].ops.quote_name(table)}")  # noqa: S608
                counts[table] = int(cursor.fetchone()[0])
    return counts


def _walk(directory: str = "") -> Iterator[str]:
    dirs, files = default_storage.listdir(directory)
    for name in sorted(files):
        if name.startswith(PARTIAL_PREFIX):  # a file still being written (kla.core.storage), not a stored one
            continue
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(dirs):
        yield from _walk(f"{directory}/{sub}" if directory else sub)


def _sha256(name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with default_storage.open(name, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def media_manifest() -> list[dict[str, Any]]:
    out = []
    try:
        names = list(_walk())
    except FileNotFoundError:
        names = []
    for name in names:
        sha, size = _sha256(name)
        out.append({"name": name, "size": size, "sha256": sha})
    return out


def _pg_env(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["-h", str(settings.get("HOST") or "127.0.0.1"), "-p", str(settings.get("PORT") or 5432)]
    args += ["-U", str(settings.get("USER") or "postgres")]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def backup(
    out_dir: Path, *, alias: str = "default", now: dt.datetime | None = None, recipients: Sequence[str] = ()
) -> Path:
    """Write a backup directory under `out_dir` and return its path; the dump encrypted to `recipients` if any."""
    now = now or dt.datetime.now(dt.UTC)
    target = out_dir / f"kla-backup-{now:%Y%m%dT%H%M%SZ}"
    target.mkdir(parents=True, exist_ok=False)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        dump, plain_sha256 = _dump_postgresql(connection, target, recipients)
    elif connection.vendor == "sqlite":
        dump, plain_sha256 = _dump_sqlite(connection, target, recipients)
    else:
        raise BackupError(f"Basis data {connection.vendor} belum didukung untuk cadangan.")
    manifest = {
        "created_at": now.isoformat(),
        "engine": connection.vendor,
        "database_file": dump.name,
        "database_sha256": sha256_file(dump) if recipients else plain_sha256,
        "database_plain_sha256": plain_sha256,
        "encryption": {"tool": "age", "recipients": list(recipients)} if recipients else None,
        "counts": table_counts(alias),
        "media": media_manifest(),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return target


def _store(source: IO[bytes], target: Path, name: str, recipients: Sequence[str]) -> tuple[Path, str]:
    """Stream `source` into `target/name` (or `name.age`, encrypted); returns the file and the plain SHA-256."""
    if recipients:
        path = target / (name + AGE_SUFFIX)
        return path, encrypt_stream(source, path, recipients)
    path = target / name
    with path.open("wb") as out:
        return path, copy_hashed(source, out)


def _dump_postgresql(connection: BaseDatabaseWrapper, target: Path, recipients: Sequence[str]) -> tuple[Path, str]:
    """`pg_dump -Fc` piped through the hash (and age) into the backup directory, never held in memory."""
    args, env = _pg_env(connection.settings_dict)
    cmd = ["pg_dump", *args, "-Fc", "--no-owner", connection.settings_dict["NAME"]]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=errors)  # noqa: S603
        assert process.stdout is not None
        try:
            dump, plain_sha256 = _store(process.stdout, target, "database.dump", recipients)
        finally:
            process.stdout.close()  # if age failed, pg_dump stops on a closed pipe instead of waiting
        if process.wait() != 0:
            dump.unlink(missing_ok=True)
            errors.seek(0)
            raise BackupError(f"pg_dump gagal: {errors.read().decode(errors='replace').strip()[:500]}")
    return dump, plain_sha256


def _dump_sqlite(connection: BaseDatabaseWrapper, target: Path, recipients: Sequence[str]) -> tuple[Path, str]:
    """SQLite's online backup into the directory; encrypted afterwards (and the clear copy removed) if asked."""
    plain = target / "database.sqlite3"
    connection.ensure_connection()
    destination = sqlite3.connect(plain)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    if not recipients:
        return plain, sha256_file(plain)
    try:
        with plain.open("rb") as source:
            return _store(source, target, plain.name, recipients)
    finally:
        plain.unlink()


def read_manifest(backup_dir: Path) -> dict[str, Any]:
    """The manifest, once the dump file is proven to be the one it describes (hashed in chunks)."""
    path = backup_dir / MANIFEST
    if not path.exists():
        raise BackupError(f"{path} tidak ada: ini bukan direktori cadangan Platform KLA.")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    dump = backup_dir / manifest["database_file"]
    if not dump.is_file():
        raise BackupError(f"Berkas {dump.name} tidak ada di {backup_dir}.")
    if sha256_file(dump) != manifest["database_sha256"]:
        raise BackupError(f"Berkas {dump.name} rusak: hash-nya tidak sama dengan manifes.")
    return manifest


@contextlib.contextmanager
def plain_dump(backup_dir: Path, manifest: dict[str, Any], identity: Path | None) -> Iterator[Path]:
    """The dump in clear: the file itself, or (encrypted) a decrypted copy in a private temporary directory that is
    removed afterwards, checked against the manifest's hash of the plain dump."""
    dump = backup_dir / manifest["database_file"]
    if not manifest.get("encryption"):
        yield dump
        return
    if identity is None:
        raise BackupError(
            "Cadangan ini terenkripsi (age): berikan berkas identitasnya dengan --identity atau "
            "KLA_BACKUP_AGE_IDENTITY."
        )
    with tempfile.TemporaryDirectory(prefix="kla-restore-") as scratch:
        clear = Path(scratch) / dump.name.removesuffix(AGE_SUFFIX)
        if decrypt_to(dump, clear, identity) != manifest["database_plain_sha256"]:
            raise BackupError(f"Isi {dump.name} setelah dibuka tidak sama dengan manifes: cadangan ini rusak.")
        yield clear


def _raw_connect(vendor: str, settings: dict[str, Any]) -> Any:
    """A plain driver connection to a database (the restore target need not be a Django connection)."""
    if vendor == "sqlite":
        return sqlite3.connect(settings["NAME"])
    import psycopg

    return psycopg.connect(
        host=settings.get("HOST") or "127.0.0.1",
        port=int(settings.get("PORT") or 5432),
        user=settings.get("USER") or "postgres",
        password=settings.get("PASSWORD") or None,
        dbname=settings["NAME"],
        autocommit=True,
    )


def _raw_tables(vendor: str, raw: Any) -> set[str]:
    if vendor == "sqlite":
        rows = raw.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").fetchall()
    else:
        rows = raw.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {r[0] for r in rows}


def raw_counts(vendor: str, settings: dict[str, Any], tables: list[str]) -> dict[str, int]:
    raw = _raw_connect(vendor, settings)
    try:
        existing = _raw_tables(vendor, raw)
        return {t: int(raw.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]) for t in tables if t in existing}  # noqa: S608
    finally:
        raw.close()


def restore(
    backup_dir: Path,
    *,
    settings: dict[str, Any] | None = None,
    vendor: str | None = None,
    identity: Path | None = None,
) -> Check:
    """Load a backup into an EMPTY database (by default the configured one), then compare it and the media storage
    with the manifest. An encrypted backup needs the age `identity` file."""
    manifest = read_manifest(backup_dir)
    settings = settings or connections["default"].settings_dict
    vendor = vendor or connections["default"].vendor
    if vendor != manifest["engine"]:
        raise BackupError(f"Cadangan ini dari {manifest['engine']}, basis data tujuan {vendor}.")
    _refuse_unless_empty(vendor, settings)
    with plain_dump(backup_dir, manifest, identity) as dump:
        _load(vendor, settings, dump)
    return verify(manifest, counts=raw_counts(vendor, settings, list(manifest["counts"])))


def _refuse_unless_empty(vendor: str, settings: dict[str, Any]) -> None:
    name = str(settings["NAME"])
    if vendor == "sqlite" and (name.startswith(":memory:") or "mode=memory" in name):
        raise BackupError("Pulihkan SQLite ke sebuah berkas basis data, bukan basis data di memori.")
    if vendor == "sqlite" and not Path(name).exists():
        return
    raw = _raw_connect(vendor, settings)
    try:
        if _raw_tables(vendor, raw):
            raise BackupError(
                "Basis data tujuan tidak kosong. Pulihkan ke basis data baru yang kosong agar tidak ada data tertimpa."
            )
    finally:
        raw.close()


def _load(vendor: str, settings: dict[str, Any], dump: Path) -> None:
    name = str(settings["NAME"])
    if vendor != "postgresql":
        shutil.copyfile(dump, name)  # streamed in chunks
        return
    args, env = _pg_env(settings)
    cmd = ["pg_restore", *args, "--no-owner", "--exit-on-error", "-d", name, str(dump)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"pg_restore gagal: {done.stderr.strip()[:500]}")
    raw = _raw_connect(vendor, settings)
    try:  # a dump carries no planner statistics: without them every page scans whole tables until autovacuum
        raw.execute("ANALYZE")
    finally:
        raw.close()


def verify(manifest: dict[str, Any], *, counts: dict[str, int]) -> Check:
    check = Check()
    for table, expected in manifest["counts"].items():
        if counts.get(table) != expected:
            check.counts_differ[table] = (expected, counts.get(table, -1))
    for item in manifest["media"]:
        if not default_storage.exists(item["name"]):
            check.media_missing.append(item["name"])
        elif _sha256(item["name"])[0] != item["sha256"]:
            check.media_differ.append(item["name"])
    return check
