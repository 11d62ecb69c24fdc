"""The restore drill: back up the database and the media manifest, restore into a new empty database, and prove
every table count and every media hash identical; a non-empty target and a damaged dump are refused."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections

from kla.core.backup import BackupError, backup, raw_counts, read_manifest, restore, table_counts

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
