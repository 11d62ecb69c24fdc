"""ZIP packs of stored files: safe member names and a writer that hashes what it packs. Pure module: no Django.

Member names come from what users typed (a file's original name, an indicator's name), so every part is made safe
for every operating system the pack is opened on, by the rules uploads already follow: no path separators or ``..``
(the pack cannot write outside the folder it is extracted to), no characters Windows refuses, no control or bidi
characters, no reserved device names (``CON``, ``NUL``, ``COM1`` ...), no leading or trailing dots, a bounded
length. Two files that end up with the same name (compared as Windows and macOS compare them, ignoring case) get
`` (2)``, `` (3)`` ... before the suffix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO

from kla.evidence.inspection.filenames import sanitize_filename

CHUNK = 1024 * 1024
PARALLEL_FROM = 64 * 1024  # chunks at least this large are hashed in the helper thread
PART_MAX = 80  # characters per folder or file name: deep folders stay under Windows' 260-character paths


def safe_part(text: str) -> str:
    """One folder or file name, safe to extract anywhere: the uploads' own file-name rules (`sanitize_filename`),
    with a path separator kept as part of the name instead of cutting the name at it, and a shorter limit."""
    return sanitize_filename(text.replace("/", "-").replace("\\", "-"), limit=PART_MAX)


def unique_name(path: str, taken: set[str]) -> str:
    """`path`, or `path` with " (n)" before its suffix, whichever is not yet in `taken` (case-insensitive); adds it."""
    folder, slash, name = path.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, ""
    candidate, n = path, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{folder}{slash}{stem} ({n}){'.' + suffix if suffix else ''}"
    taken.add(candidate.casefold())
    return candidate


class ZipPack:
    """A ZIP file written member by member, in constant memory, with ZIP64 when a member or the pack needs it.

    Files are stored as they are (evidence is mostly PDFs, photos and office files, already compressed, and the
    CPU is the scarce part of the server); text written by the pack itself is deflated.
    """

    def __init__(self, path: str) -> None:
        self._zip = zipfile.ZipFile(path, "w", allowZip64=True)
        # SHA-256 runs beside the copy: hashlib and zlib's CRC-32 both release the GIL on large buffers, so the
        # hash of one chunk overlaps the CRC and the write of the same chunk (one chunk in flight, order kept).
        self._hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zip-sha256")

    def add_stream(self, name: str, source: IO[bytes], *, size: int, modified: dt.datetime) -> tuple[int, str]:
        """Copy `source` into the member `name`; returns the bytes copied and their SHA-256 (hex)."""
        info = zipfile.ZipInfo(name, date_time=_zip_time(modified))
        info.compress_type = zipfile.ZIP_STORED
        info.file_size = size  # lets zipfile choose ZIP64 for a member of 2 GiB or more before writing
        digest, copied = hashlib.sha256(), 0
        hashing: Future[None] | None = None
        with self._zip.open(info, "w", force_zip64=size >= zipfile.ZIP64_LIMIT) as member:
            while chunk := source.read(CHUNK):
                if hashing is not None:
                    hashing.result()  # the previous chunk is in the digest before this one goes in
                if len(chunk) >= PARALLEL_FROM:
                    hashing = self._hasher.submit(digest.update, chunk)
                else:  # a small file or a last small chunk: handing it over would cost more than hashing it
                    hashing = None
                    digest.update(chunk)
                member.write(chunk)
                copied += len(chunk)
            if hashing is not None:
                hashing.result()
        return copied, digest.hexdigest()

    def add_text(self, name: str, data: bytes, *, modified: dt.datetime) -> None:
        info = zipfile.ZipInfo(name, date_time=_zip_time(modified))
        info.compress_type = zipfile.ZIP_DEFLATED
        self._zip.writestr(info, data)

    def close(self) -> None:
        self._hasher.shutdown()
        self._zip.close()


def _zip_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    moment = max(moment.replace(tzinfo=None), dt.datetime(1980, 1, 1))  # the earliest a ZIP entry can hold
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
