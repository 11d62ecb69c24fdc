"""ZIP packs beyond the common case: dotted folders, names without a stem, many members, bounded reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from kla.reports.packing import CHUNK, ZipPack, unique_name

WHEN = dt.datetime(2026, 11, 29, 8, 30, 15)


@pytest.mark.parametrize(
    ("path", "taken", "unique"),
    [
        ("Klaster 1/Ind. 2/foto", {"klaster 1/ind. 2/foto"}, "Klaster 1/Ind. 2/foto (2)"),
        ("a/b.c/laporan.pdf", {"a/b.c/laporan.pdf"}, "a/b.c/laporan (2).pdf"),
        ("arsip.tar.gz", {"arsip.tar.gz"}, "arsip.tar (2).gz"),
        (".env", {".env"}, ".env (2)"),
    ],
)
def test_unique_names_number_the_name_before_its_last_suffix(path: str, taken: set[str], unique: str) -> None:
    assert unique_name(path, taken) == unique
    assert unique.casefold() in taken


class ChunkedOnly(io.RawIOBase):
    """A stream that refuses to be read all at once, as a pipe or an object-store body would be too large to."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        assert size is not None and 0 < size <= CHUNK, f"read({size!r})"
        return self._data.read(size)


def test_a_member_is_copied_in_bounded_chunks(tmp_path: Path) -> None:
    data = bytes(range(256)) * (CHUNK // 256 * 2 + 7)  # two whole chunks and a small tail
    pack = ZipPack(str(tmp_path / "p.zip"))
    copied, digest = pack.add_stream("a.bin", ChunkedOnly(data), size=len(data), modified=WHEN)  # type: ignore[arg-type]
    pack.close()
    assert (copied, digest) == (len(data), hashlib.sha256(data).hexdigest())
    assert zipfile.ZipFile(tmp_path / "p.zip").read("a.bin") == data


def test_text_members_carry_their_time(tmp_path: Path) -> None:
    pack = ZipPack(str(tmp_path / "p.zip"))
    pack.add_text("daftar.csv", b"a,b\r\n", modified=WHEN)
    pack.close()
    info = zipfile.ZipFile(tmp_path / "p.zip").getinfo("daftar.csv")
    assert info.date_time == (2026, 11, 29, 8, 30, 14)  # ZIP keeps even seconds
    assert info.compress_type == zipfile.ZIP_DEFLATED


@pytest.mark.slow
def test_a_pack_of_more_than_65535_members_closes(tmp_path: Path) -> None:
    # a national evidence pack can hold more members than a ZIP without ZIP64 can count
    pack = ZipPack(str(tmp_path / "p.zip"))
    for i in range(65_536):
        pack.add_stream(f"{i}.txt", io.BytesIO(b""), size=0, modified=WHEN)
    pack.close()
    assert len(zipfile.ZipFile(tmp_path / "p.zip").namelist()) == 65_536
