"""Reading ZIP structures within fixed bounds: the end record, whether a file hides an archive, and one member's bytes.

Pure module: no Django import. `zipfile` itself would parse a central directory of any size an attacker writes and
inflate bzip2/LZMA without an output bound; these readers look only at what they need, in bounded steps. Used by the
Office checks (an OOXML/ODF document is a ZIP) and by the polyglot checks of PDFs and videos.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kla.evidence.inspection.policy import READ_CHUNK

ZIP_TAIL = 65_535 + 22  # an end-of-central-directory record plus the longest comment
_INFLATE_INPUT = 64 * 1024


def zip_end_record(fh: BinaryIO, size: int) -> tuple[int, int, int]:
    """Entry count, central-directory size and where the directory starts (-1 for ZIP64), from the end record.

    Read without parsing any entry, so the counts can be checked before anything costs memory per entry. The
    start is computed backwards from the end record, as readers do, so data prepended to the archive is allowed for.
    """
    base = max(0, size - ZIP_TAIL)
    fh.seek(base)
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile("no end of central directory")
    entries, directory_size = struct.unpack("<2xHI", tail[at + 8 : at + 16])
    directory_start = base + at - directory_size
    locator = tail[at - 20 : at] if at >= 20 else b""
    if (entries == 0xFFFF or directory_size == 0xFFFFFFFF) and locator[:4] == b"PK\x06\x07":
        (record_offset,) = struct.unpack("<Q", locator[8:16])
        fh.seek(record_offset)
        record = fh.read(56)
        if record[:4] != b"PK\x06\x06" or len(record) < 56:
            raise zipfile.BadZipFile("bad zip64 end record")
        entries, directory_size = struct.unpack("<QQ", record[32:48])
        directory_start = -1
    return entries, directory_size, directory_start


def contains_zip(path: Path, size: int) -> bool:
    """Whether a ZIP reader would find an archive in this file (bounded: reads the end record and 4 bytes).

    zipfile itself is not used here: it would parse a central directory of any size an attacker writes.
    """
    with path.open("rb") as fh:
        try:
            entries, _, directory_start = zip_end_record(fh, size)
        except (zipfile.BadZipFile, struct.error):
            return False
        if directory_start < 0:  # ZIP64: only ever written for real archives
            return True
        fh.seek(directory_start)
        return entries > 0 and fh.read(4) == b"PK\x01\x02"


def member_chunks(fh: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes, inflated here with bounded output per step, independent of declared sizes."""
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"{info.filename}: bad local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if fh.read(name_length) != info.orig_filename.encode(encoding):
        raise zipfile.BadZipFile(f"{info.filename}: local name differs from the directory")
    fh.seek(extra_length, os.SEEK_CUR)
    remaining = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while remaining:
            chunk = fh.read(min(remaining, READ_CHUNK))
            if not chunk:
                raise EOFError(info.filename)
            remaining -= len(chunk)
            yield chunk
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:  # bzip2/lzma in zipfile inflate without an output bound
        raise NotImplementedError(f"{info.filename}: compression method {info.compress_type}")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    while not inflater.eof:
        data = inflater.unconsumed_tail
        if not data and remaining:
            data = fh.read(min(remaining, _INFLATE_INPUT))
            if not data:
                raise EOFError(info.filename)
            remaining -= len(data)
        out = inflater.decompress(data, READ_CHUNK)  # never more than 1 MiB of output per step
        if not out and not data:
            raise EOFError(f"{info.filename}: deflate stream ends early")
        yield out
