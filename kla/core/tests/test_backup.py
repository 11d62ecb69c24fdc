"""The restore drill: back up the database and the media manifest, restore into a new empty database, and prove
every table count and every media hash identical; a non-empty target and a damaged dump are refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections

from kla.core.backup import backup, raw_counts, read_manifest, restore, table_counts
from kla.core.backup_crypto import BackupError, sha256_file

# Real commits: pg_dump reads from another session, and SQLite's backup cannot copy a database mid-transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def demo() -> None:
    from kla.demo.services import demo_seed

    demo_seed()  # transactional tests start from a flushed database


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("evidence/16.71/a.pdf", ContentFile(b"%PDF-1.4 bukti"))
    default_storage.save("letters/usulan.pdf", ContentFile(b"%PDF-1.4 surat"))
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def empty_database(transactional_db: None, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The settings of a second, empty database of the same engine (created here, dropped afterwards)."""
    target = dict(connections["default"].settings_dict)
    if connection.vendor != "postgresql":
        target["NAME"] = str(tmp_path / "restored.sqlite3")
        yield target
        return
    target["NAME"] = f"test_kla_restore_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {target['NAME']}")
        cursor.execute(f"CREATE DATABASE {target['NAME']}")
    try:
        yield target
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {target['NAME']}")


def test_backup_then_restore_into_an_empty_database_is_identical(
    media: Path, tmp_path: Path, empty_database: dict[str, Any]
) -> None:
    before = table_counts()
    assert before["regions_region"] > 500 and before["accounts_user"] > 5  # the demo data set is there
    target = backup(tmp_path / "backups")
    manifest = read_manifest(target)
    assert manifest["counts"] == before
    assert {m["name"] for m in manifest["media"]} == {"evidence/16.71/a.pdf", "letters/usulan.pdf"}

    check = restore(target, settings=empty_database)
    assert check.identical, check.describe()
    assert raw_counts(connection.vendor, empty_database, list(before)) == before
    if connection.vendor == "postgresql":  # the restored database has planner statistics (a dump has none)
        from kla.core.backup import _raw_connect

        raw = _raw_connect("postgresql", empty_database)
        try:
            analysed = raw.execute(
                "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'regions_region'"
            ).fetchone()[0]
        finally:
            raw.close()
        assert analysed

    # a second restore into the now full database is refused: nothing is overwritten
    with pytest.raises(BackupError, match="tidak kosong"):
        restore(target, settings=empty_database)


def test_a_changed_media_file_or_a_damaged_dump_is_reported(
    media: Path, tmp_path: Path, empty_database: dict[str, Any]
) -> None:
    target = backup(tmp_path / "backups")
    (media / "letters" / "usulan.pdf").write_bytes(b"%PDF-1.4 diubah")
    (media / "evidence" / "16.71" / "a.pdf").unlink()
    check = restore(target, settings=empty_database)
    assert check.media_differ == ["letters/usulan.pdf"] and check.media_missing == ["evidence/16.71/a.pdf"]
    assert not check.identical and "hash berbeda" in check.describe()

    dump = target / read_manifest(target)["database_file"]
    dump.write_bytes(dump.read_bytes()[:-10])
    with pytest.raises(BackupError, match="rusak"):
        read_manifest(target)


# --- encrypted backups (age) -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeKey:
    identity: Path
    recipient: str


def _age_key(where: Path, name: str) -> AgeKey:
    keygen = shutil.which("age-keygen")
    if keygen is None or shutil.which("age") is None:
        pytest.skip("age is not installed (apt-get install age; .ci/run installs it)")
    identity = where / f"{name}.txt"
    subprocess.run([keygen, "-o", str(identity)], check=True, capture_output=True)
    recipient = subprocess.run([keygen, "-y", str(identity)], check=True, capture_output=True, text=True).stdout
    return AgeKey(identity, recipient.strip())


@pytest.fixture
def key(tmp_path: Path) -> AgeKey:
    return _age_key(tmp_path, "kunci-cadangan")


def _forbid_whole_file_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path) -> bytes:
        raise AssertionError(f"{self} read whole into memory: a dump must stream")

    monkeypatch.setattr(Path, "read_bytes", refuse)


def test_an_encrypted_backup_holds_no_clear_dump_and_restores_with_its_key(
    media: Path, tmp_path: Path, empty_database: dict[str, Any], key: AgeKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = table_counts()
    _forbid_whole_file_reads(monkeypatch)
    target = backup(tmp_path / "backups", recipients=[key.recipient])
    manifest = read_manifest(target)
    assert manifest["encryption"] == {"tool": "age", "recipients": [key.recipient]}
    assert [p.name for p in sorted(target.iterdir())] == [manifest["database_file"], "manifest.json"]
    assert (
        manifest["database_file"].endswith(".age") and manifest["database_sha256"] != manifest["database_plain_sha256"]
    )
    with (target / manifest["database_file"]).open("rb") as fh:
        assert fh.read(22) == b"age-encryption.org/v1\n"  # not PGDMP, not "SQLite format 3"

    with pytest.raises(BackupError, match=r"terenkripsi.*--identity"):
        restore(target, settings=empty_database)
    check = restore(target, settings=empty_database, identity=key.identity)
    assert check.identical, check.describe()
    assert raw_counts(connection.vendor, empty_database, list(before)) == before


def test_a_wrong_key_or_a_tampered_encrypted_dump_is_refused_and_loads_nothing(
    media: Path, tmp_path: Path, empty_database: dict[str, Any], key: AgeKey
) -> None:
    target = backup(tmp_path / "backups", recipients=[key.recipient])
    dump = target / read_manifest(target)["database_file"]
    other = _age_key(tmp_path, "kunci-lain")

    with pytest.raises(BackupError, match=r"Kunci salah: identitas .*kunci-lain\.txt tidak cocok"):
        restore(target, settings=empty_database, identity=other.identity)
    assert raw_counts(connection.vendor, empty_database, ["regions_region"]) in ({}, {"regions_region": 0})

    # one byte changed in the middle of the ciphertext: the manifest catches it first...
    with dump.open("r+b") as fh:
        fh.seek(dump.stat().st_size // 2)
        byte = fh.read(1)
        fh.seek(-1, 1)
        fh.write(bytes([byte[0] ^ 0x01]))
    with pytest.raises(BackupError, match="rusak: hash-nya tidak sama"):
        restore(target, settings=empty_database, identity=key.identity)
    # ...and with the manifest's hash rewritten to match, age refuses to open it
    manifest_path = target / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["database_sha256"] = sha256_file(dump)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BackupError, match="rusak atau diubah: age menolak membukanya"):
        restore(target, settings=empty_database, identity=key.identity)
    assert raw_counts(connection.vendor, empty_database, ["regions_region"]) in ({}, {"regions_region": 0})


def test_a_bad_recipient_stops_the_backup_and_leaves_no_dump(tmp_path: Path, key: AgeKey) -> None:
    with pytest.raises(BackupError, match="Enkripsi cadangan \\(age\\) gagal"):
        backup(tmp_path / "backups", recipients=["age1bukan-kunci"])
    leftovers = [p.name for p in (tmp_path / "backups").rglob("*") if p.is_file()]
    assert leftovers == []
