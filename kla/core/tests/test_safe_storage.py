"""SafeFileSystemStorage with a file that is already complete: linked in place on the same filesystem, copied from
another one; either way never a partial file under a real name."""

from __future__ import annotations

import os
from pathlib import Path

from kla.core.storage import PARTIAL_PREFIX, FinishedFile, SafeFileSystemStorage
from kla.core.tests.disk import files_in, tiny_tmpfs


def _store(storage: SafeFileSystemStorage, source: Path, name: str) -> str:
    with source.open("rb") as f:
        return storage.save(name, FinishedFile(f, name=str(source)))


def test_a_finished_file_on_the_same_filesystem_is_linked_not_copied(tmp_path: Path) -> None:
    storage = SafeFileSystemStorage(location=tmp_path / "media", file_permissions_mode=0o640)
    source = tmp_path / "spool.zip"
    source.write_bytes(b"PK" + os.urandom(4096))
    stored = _store(storage, source, "exports/a.zip")
    final = Path(storage.path(stored))
    assert final.read_bytes() == source.read_bytes()
    assert final.stat().st_ino == source.stat().st_ino  # one inode, no second write of the bytes
    assert final.stat().st_mode & 0o777 == 0o640
    source.unlink()  # the spool's name goes; the stored file stays
    assert final.read_bytes().startswith(b"PK")
    again = Path(storage.path(_store(storage, _spooled(tmp_path, b"other"), "exports/a.zip")))
    assert again != final and again.read_bytes() == b"other"  # a taken name is never overwritten
    assert not [p for p in files_in(tmp_path / "media") if Path(p).name.startswith(PARTIAL_PREFIX)]


def _spooled(where: Path, data: bytes) -> Path:
    path = where / f"spool-{len(data)}.bin"
    path.write_bytes(data)
    return path


def test_a_finished_file_on_another_filesystem_is_copied(tmp_path: Path) -> None:
    source = _spooled(tmp_path, os.urandom(8192))
    with tiny_tmpfs(256) as media:
        storage = SafeFileSystemStorage(location=media)
        final = Path(storage.path(_store(storage, source, "exports/b.zip")))
        assert final.read_bytes() == source.read_bytes()
        assert final.stat().st_dev != source.stat().st_dev
        assert files_in(media) == ["exports/b.zip"]
    assert source.exists()  # the caller's file is left to the caller
