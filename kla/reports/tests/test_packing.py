"""Member names and the ZIP writer of evidence packs, without a database."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from kla.reports.packing import PART_MAX, ZipPack, safe_part, unique_name

WHEN = dt.datetime(2026, 11, 29, 8, 30, 15)


@pytest.mark.parametrize(
    ("typed", "safe"),
    [
        ("Laporan Akta 2024.pdf", "Laporan Akta 2024.pdf"),
        ("../../etc/passwd", "-..-etc-passwd"),  # one name: no folder above the pack's
        ("..\\..\\boot.ini", "-..-boot.ini"),
        ("C:\\Windows\\win.ini", "-Windows-win.ini"),
        ("rapat: 12/3 *final*?.docx", "rapat_ 12-3 _final__.docx"),
        ("Klaster I: Hak Sipil & Kebebasan", "Klaster I_ Hak Sipil _ Kebebasan"),
        ("nama\x00tersembunyi\x1b.pdf", "namatersembunyi.pdf"),
        ("CON.pdf", "CON_.pdf"),
        ("nul", "nul_"),
        ("com1.tar.gz", "com1_.tar.gz"),  # Windows reserves the name whatever follows its first dot
        ("titik di akhir. . .", "titik di akhir"),
        ("..", "berkas"),
        ("", "berkas"),
        ("   ", "berkas"),
        ("Perda\u202eFDP.exe", "PerdaFDP.exe"),  # a right-to-left override cannot disguise the suffix
        ("Cafe\u0301.jpg", "Caf\u00e9.jpg"),  # one normal form: the same name is the same member
    ],
)
def test_each_part_is_safe_to_extract_anywhere(typed: str, safe: str) -> None:
    assert safe_part(typed) == safe


def test_a_long_name_is_shortened_and_keeps_its_suffix() -> None:
    name = safe_part("Surat Keputusan " * 20 + ".pdf")
    assert len(name) <= PART_MAX and name.endswith(".pdf") and not name[:-4].endswith(" ")


def test_same_names_are_numbered_ignoring_case() -> None:
    taken: set[str] = set()
    assert unique_name("a/Foto.jpg", taken) == "a/Foto.jpg"
    assert unique_name("a/foto.JPG", taken) == "a/foto (2).JPG"
    assert unique_name("a/Foto.jpg", taken) == "a/Foto (3).jpg"
    assert unique_name("b/Foto.jpg", taken) == "b/Foto.jpg"  # another folder
    assert unique_name("a/README", taken) == "a/README"
    assert unique_name("a/readme", taken) == "a/readme (2)"


def test_member_names_never_leave_the_pack_folder() -> None:
    taken: set[str] = set()
    hostile = ["../..", "/abs", "..\\..\\x", "a/../../b.pdf"]
    for typed in hostile:
        name = unique_name(f"Bukti/01 Indikator/{safe_part(typed)}", taken)
        for flavour in (PurePosixPath(name), PureWindowsPath(name)):
            assert not flavour.is_absolute() and ".." not in flavour.parts
        assert name.startswith("Bukti/01 Indikator/") and name.count("/") == 2


def test_the_pack_stores_files_with_their_hash_and_deflates_its_own_text(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    data = bytes(range(256)) * 9000  # more than one copy chunk
    pack = ZipPack(str(path))
    copied, sha256 = pack.add_stream("Bukti/a.bin", io.BytesIO(data), size=len(data), modified=WHEN)
    pack.add_text("Bukti/daftar.csv", b"a,b\n" * 1000, modified=WHEN)
    pack.close()
    assert (copied, sha256) == (len(data), hashlib.sha256(data).hexdigest())
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        stored, listed = zf.getinfo("Bukti/a.bin"), zf.getinfo("Bukti/daftar.csv")
        assert stored.compress_type == zipfile.ZIP_STORED and stored.date_time == (2026, 11, 29, 8, 30, 14)
        assert listed.compress_type == zipfile.ZIP_DEFLATED and listed.compress_size < listed.file_size
        assert zf.read("Bukti/a.bin") == data


class _Irregular(io.BytesIO):
    """A source that hands out chunks of changing sizes, large and small, as a network or object store may."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        super().__init__(data)
        self._sizes = sizes

    def read(self, size: int | None = -1) -> bytes:
        return super().read(self._sizes.pop(0) if self._sizes else size)


def test_the_hash_follows_the_bytes_in_order_whatever_the_chunks(tmp_path: Path) -> None:
    """Large chunks are hashed in a helper thread and small ones inline; the digest must still be of the bytes in
    order, file after file."""
    rng = random.Random(7)
    files = [rng.randbytes(n) for n in (3 * 1024 * 1024 + 5, 70_000, 10, 0, 2 * 1024 * 1024)]
    chunkings = [[1_000_000, 100, 2_000_000], [65_536, 10, 4_454], [3], [], [10, 1_500_000, 64 * 1024 - 1]]
    pack = ZipPack(str(tmp_path / "pack.zip"))
    results = [
        pack.add_stream(f"f{i}.bin", _Irregular(data, sizes), size=len(data), modified=WHEN)
        for i, (data, sizes) in enumerate(zip(files, chunkings, strict=True))
    ]
    pack.close()
    assert results == [(len(data), hashlib.sha256(data).hexdigest()) for data in files]
    with zipfile.ZipFile(tmp_path / "pack.zip") as zf:
        assert zf.testzip() is None
        assert [zf.read(f"f{i}.bin") for i in range(len(files))] == files


def test_a_time_before_1980_is_written_as_the_earliest_a_zip_can_hold(tmp_path: Path) -> None:
    pack = ZipPack(str(tmp_path / "old.zip"))
    pack.add_stream("a.txt", io.BytesIO(b"x"), size=1, modified=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    pack.close()
    with zipfile.ZipFile(tmp_path / "old.zip") as zf:
        assert zf.getinfo("a.txt").date_time == (1980, 1, 1, 0, 0, 0)
