"""Malware scanning through a ClamAV daemon (clamd), failing closed.

Pure module: no Django import, stdlib sockets only. The protocol is clamd's INSTREAM: ``zINSTREAM\\0``, then chunks
each prefixed by a 4-byte big-endian length, then a zero-length chunk; the reply ends with ``\\0``.

Only an explicit ``stream: OK`` is clean. A signature is ``infected``. A file clamd says it will not scan whole
because of its size limits is ``too_large``: ``INSTREAM size limit exceeded`` (the stream passed
``StreamMaxLength``; clamd says so and drops the connection) or a ``Heuristics.Limits.Exceeded.*`` alert (over
``MaxFileSize``/``MaxScanSize``, reported when ``AlertExceedsMax yes``). Sending it again cannot help, so it is a
refusal with its own message, not "try again later"; the log line tells operators which clamd.conf limits to raise
(docs/deploy.md). Everything else is ``error``: refused connection, timeout, reset, an unexpected or cut-off reply,
and ``... ERROR``: a client that treats "not FOUND" as clean lets an ``ERROR`` reply through.

``address`` is a Unix socket path (``/run/clamav/clamd.ctl``, optionally prefixed ``unix:``) or ``host:port``
(``127.0.0.1:3310``, ``[::1]:3310``). ``None`` means scanning is not configured (development only).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import socket
import struct
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from kla.core.formatting import format_size
from kla.core.marking import Text, gettext_noop

log = logging.getLogger(__name__)

CHUNK_SIZE = 256 * 1024  # well under any sensible StreamMaxLength
_MAX_REPLY = 4096
_FOUND = re.compile(r"stream: (.+) FOUND")
_SIZE_LIMIT = "size limit exceeded"  # clamd's INSTREAM reply past StreamMaxLength
_LIMITS_ALERT = "Heuristics.Limits.Exceeded"  # clamd's alert past MaxFileSize/MaxScanSize (AlertExceedsMax yes)


class ScanStatus(StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"
    TOO_LARGE = "too_large"
    ERROR = "error"
    NOT_SCANNED = "not_scanned"


@dataclass(frozen=True, slots=True)
class ScanResult:
    status: ScanStatus
    detail: str  # the signature name, the error text or clamd's reply: for logs and the audit entry
    message: str  # Indonesian, for the uploader

    @property
    def is_clean(self) -> bool:
        """True only when clamd explicitly said OK."""
        return self.status is ScanStatus.CLEAN


class ScannerError(Exception):
    """clamd could not give a verdict (never raised out of `scan_file`; it becomes an ``error`` result)."""


class _StreamTooLong(ScannerError):
    """clamd stopped reading the stream at its ``StreamMaxLength`` and said so."""


def scan_file(path: Path | str, *, address: str | None, timeout: float = 30.0) -> ScanResult:
    """Scan one file by streaming it to clamd. Never raises for scanner trouble: that is an ``error`` result."""
    if address is None:
        return ScanResult(
            ScanStatus.NOT_SCANNED,
            "no clamd address configured",
            gettext_noop(
                "Berkas tidak dipindai antivirus karena pemindai (clamd) belum dikonfigurasi. Instalasi produksi "
                "wajib mengaktifkan pemindaian antivirus."
            ),
        )
    try:
        with open(path, "rb") as fh:
            reply = _instream(fh, address=address, timeout=timeout)
    except _StreamTooLong as exc:
        return _too_large(str(exc), path)
    except (OSError, ValueError, ScannerError) as exc:  # OSError covers refused, reset, broken pipe and timeouts
        return _error(f"{type(exc).__name__}: {exc}", path)
    return _verdict(reply, path)


def ping(address: str, *, timeout: float = 5.0) -> bool:
    """True when clamd answers PONG; False on any failure (for health checks)."""
    try:
        return _command(address, b"zPING\0", timeout=timeout) == "PONG"
    except (OSError, ValueError, ScannerError):
        return False


def version(address: str, *, timeout: float = 5.0) -> str | None:
    """clamd's version line, e.g. ``ClamAV 1.4.6/27462/Tue Nov 24 09:20:31 2026`` (signature date), or None."""
    try:
        return _command(address, b"zVERSION\0", timeout=timeout)
    except (OSError, ValueError, ScannerError):
        return None


# --- is the scanner set up for the platform? ----------------------------------------------------------------------

# EICAR, the industry's harmless test file, assembled from two halves so the source never holds the literal string.
_EICAR_HALVES = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")
MB = 1024 * 1024
# The official signatures are updated several times a day (freshclam); older than this, the updates have stopped.
MAX_SIGNATURE_AGE = dt.timedelta(days=3)


def eicar() -> bytes:
    return "".join(_EICAR_HALVES).encode("ascii")


@dataclass(frozen=True, slots=True)
class SetupCheck:
    ok: bool
    text: str  # Indonesian, for the operator


def signature_age(version_line: str, now: dt.datetime) -> dt.timedelta | None:
    """How old clamd's signatures are, from its VERSION line (``ClamAV 1.4.6/27462/Tue Nov 24 09:20:31 2026``);
    None when the line carries no date (a local database without the official ones)."""
    parts = version_line.split("/")
    if len(parts) < 3:
        return None
    try:
        built = dt.datetime.strptime(" ".join(parts[2].split()), "%a %b %d %H:%M:%S %Y")
    except ValueError:
        return None
    return max(now - built, dt.timedelta(0))


def check_setup(
    address: str | None, *, largest: int, workdir: Path, timeout: float = 120.0, now: dt.datetime | None = None
) -> list[SetupCheck]:
    """What `manage.py check_scanner` reports: clamd answers, its signatures are recent (`MAX_SIGNATURE_AGE`) and catch
    the EICAR test file, and it scans a file as large as the largest upload the platform accepts (`largest` bytes)
    whole. Stops at the first failed step; files are written in `workdir`.

    The last step sends a ZIP of that size whose *last* member is the EICAR file, after zeros filling the rest: clamd
    finds it only if it read the whole file. A clamd whose limits are below the size either refuses it (a stream or
    file limit, with ``AlertExceedsMax yes``) or answers "OK" without having looked (``AlertExceedsMax no``: it skips
    what is over ``MaxFileSize`` and stops at ``MaxScanSize``), which no plain file could tell apart from clean.
    """
    if not address:
        return [
            SetupCheck(
                False,
                "CLAMD_ADDRESS belum diatur: berkas disimpan tanpa pemindaian antivirus. Atur ke "
                "soket clamd, mis. /run/clamav/clamd.ctl (docs/deploy.md).",
            )
        ]
    checks = [SetupCheck(True, f"Alamat pemindai (CLAMD_ADDRESS): {address}")]
    steps: tuple[Callable[[], SetupCheck | None], ...] = (
        lambda: _answers(address),
        lambda: _signatures_recent(address, now or dt.datetime.now()),
        lambda: _detects_test_file(address, workdir),
        lambda: _scans_largest_whole(address, largest=largest, workdir=workdir, timeout=timeout),
    )
    for step in steps:
        check = step()  # None: passed with nothing to report
        if check is not None:
            checks.append(check)
            if not check.ok:
                break
    return checks


def _answers(address: str) -> SetupCheck:
    if not ping(address):
        return SetupCheck(
            False,
            f"clamd tidak menjawab di {address}: pastikan layanan clamav-daemon berjalan "
            "dan alamat serta izin soketnya benar.",
        )
    return SetupCheck(True, f"clamd menjawab: {version(address) or 'versi tidak diketahui'}")


def _signatures_recent(address: str, now: dt.datetime) -> SetupCheck | None:
    age = signature_age(version(address) or "", now)
    if age is None or age <= MAX_SIGNATURE_AGE:
        return None
    return SetupCheck(
        False,
        f"Tanda tangan virus clamd berumur {age.days} hari: pembaruan otomatis tidak berjalan. Periksa "
        "layanan clamav-freshclam (systemctl status clamav-freshclam) dan akses jaringannya ke "
        "database.clamav.net atau mirror lokal.",
    )


def _detects_test_file(address: str, workdir: Path) -> SetupCheck:
    sample = workdir / "eicar.txt"
    sample.write_bytes(eicar())
    test = scan_file(sample, address=address, timeout=30)
    if test.status is not ScanStatus.INFECTED:
        return SetupCheck(
            False,
            f"Berkas uji EICAR tidak terdeteksi ({test.status}: {test.detail}): tanda "
            "tangan virus clamd belum dimuat atau pemindaian tidak bekerja.",
        )
    return SetupCheck(True, f"Berkas uji EICAR terdeteksi ({test.detail}).")


_RAISE_LIMITS = (
    "Naikkan StreamMaxLength, MaxFileSize dan MaxScanSize di clamd.conf dan atur AlertExceedsMax yes (docs/deploy.md)."
)


def _scans_largest_whole(address: str, *, largest: int, workdir: Path, timeout: float) -> SetupCheck:
    result = scan_file(_probe(workdir / "terbesar.zip", largest), address=address, timeout=timeout)
    size = format_size(largest)
    if result.status is ScanStatus.INFECTED:
        return SetupCheck(
            True,
            f"Berkas {size} (unggahan terbesar yang diterima platform) dipindai utuh: berkas uji di ujungnya "
            f"terdeteksi ({result.detail}).",
        )
    if result.status is ScanStatus.CLEAN:
        return SetupCheck(
            False,
            f"clamd menjawab OK untuk berkas {size} tanpa menemukan berkas uji di ujungnya: berkas sebesar itu "
            "tidak dipindai utuh, tanpa peringatan (MaxFileSize atau MaxScanSize di bawah ukuran itu, dan "
            f"AlertExceedsMax no). {_RAISE_LIMITS}",
        )
    if result.status is ScanStatus.TOO_LARGE:
        return SetupCheck(
            False,
            f"clamd menolak memindai berkas {size} ({result.detail}): unggahan sebesar itu akan ditolak. "
            f"{_RAISE_LIMITS}",
        )
    return SetupCheck(False, f"Berkas {size} tidak mendapat putusan ({result.status}: {result.detail}).")


def _probe(path: Path, size: int) -> Path:
    """A stored ZIP of about `size` bytes: zeros, then the EICAR test file as the last member."""
    zeros = bytes(MB)
    padding = max(size - 1024, 0)  # room for the test file, headers and the central directory
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        with archive.open(zipfile.ZipInfo("isi.bin"), "w", force_zip64=padding >= zipfile.ZIP64_LIMIT) as member:
            for start in range(0, padding, MB):
                member.write(zeros[: min(MB, padding - start)])
        archive.writestr("uji-eicar.com", eicar())
    return path


# --- protocol ----------------------------------------------------------------------------------------------------


class _Deadline:
    """One overall time budget for a conversation, applied to each socket operation in turn."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def apply(self, sock: socket.socket) -> None:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("clamd did not answer in time")
        sock.settimeout(remaining)


def _connect(address: str, deadline: _Deadline) -> socket.socket:
    target = address.removeprefix("unix:").removeprefix("//") if address.startswith("unix:") else address
    if target.startswith(("/", ".")):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            deadline.apply(sock)
            sock.connect(target)
        except BaseException:
            sock.close()
            raise
        return sock
    host, sep, port = target.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError(f"invalid clamd address {address!r}: use a socket path or host:port")
    remaining = max(deadline.end - time.monotonic(), 0.001)
    return socket.create_connection((host.strip("[]"), int(port)), timeout=remaining)


def _instream(fh: BinaryIO, *, address: str, timeout: float) -> str:
    deadline = _Deadline(timeout)
    with _connect(address, deadline) as sock:
        deadline.apply(sock)
        sock.sendall(b"zINSTREAM\0")
        try:
            while chunk := fh.read(CHUNK_SIZE):
                deadline.apply(sock)
                sock.sendall(struct.pack(">I", len(chunk)) + chunk)
            deadline.apply(sock)
            sock.sendall(struct.pack(">I", 0))
        except OSError as exc:
            # clamd answers "INSTREAM size limit exceeded. ERROR" and drops the connection; keep its words for the
            # log, but a stream that could not be sent whole has no verdict.
            said = _best_effort_reply(sock)
            if _SIZE_LIMIT in said:
                raise _StreamTooLong(said) from exc
            raise ScannerError(f"sending the stream failed ({exc!r}); clamd said {said!r}") from exc
        return _read_reply(sock, deadline)


def _command(address: str, command: bytes, *, timeout: float) -> str:
    deadline = _Deadline(timeout)
    with _connect(address, deadline) as sock:
        deadline.apply(sock)
        sock.sendall(command)
        return _read_reply(sock, deadline)


def _read_reply(sock: socket.socket, deadline: _Deadline) -> str:
    buffer = bytearray()
    while b"\0" not in buffer:
        deadline.apply(sock)
        data = sock.recv(1024)
        if not data:
            raise ScannerError(f"connection closed before the reply ended (got {bytes(buffer)!r})")
        buffer += data
        if len(buffer) > _MAX_REPLY:
            raise ScannerError("reply too long")
    return bytes(buffer).split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def _best_effort_reply(sock: socket.socket) -> str:
    try:
        sock.settimeout(0.5)
        return sock.recv(_MAX_REPLY).split(b"\0", 1)[0].decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _verdict(reply: str, path: Path | str) -> ScanResult:
    if reply == "stream: OK":
        return ScanResult(
            ScanStatus.CLEAN, reply, gettext_noop("Berkas telah dipindai antivirus dan tidak ditemukan malware.")
        )
    found = _FOUND.fullmatch(reply)
    if (found and found[1].startswith(_LIMITS_ALERT)) or (_SIZE_LIMIT in reply and reply.endswith("ERROR")):
        return _too_large(reply, path)
    if found:
        name = found[1]
        log.warning("clamd found %s in %s", name, path)
        return ScanResult(
            ScanStatus.INFECTED,
            name,
            Text(gettext_noop("Berkas terdeteksi mengandung malware (%(name)s) dan tidak disimpan."), name=name),
        )
    return _error(f"unexpected clamd reply: {reply!r}", path)


def _too_large(detail: str, path: Path | str) -> ScanResult:
    size = Path(path).stat().st_size if Path(path).exists() else -1
    log.error(
        "clamd would not scan %s whole (%d bytes): %s. Set StreamMaxLength, MaxFileSize and MaxScanSize in clamd.conf "
        "to at least the largest upload the platform accepts (200M with the default EvidencePolicy) and "
        "AlertExceedsMax yes (docs/deploy.md)",
        path,
        size,
        detail,
    )
    return ScanResult(
        ScanStatus.TOO_LARGE,
        detail,
        gettext_noop(
            "Berkas ini melebihi batas ukuran yang dapat dipindai antivirus server, jadi tidak disimpan. Unggah "
            "berkas yang lebih kecil (misalnya pisahkan per dokumen atau perkecil resolusi pindaian), atau minta admin "
            "platform menaikkan batas pemindai antivirus."
        ),
    )


def _error(detail: str, path: Path | str) -> ScanResult:
    log.error("virus scan failed for %s: %s", path, detail)
    return ScanResult(
        ScanStatus.ERROR,
        detail,
        gettext_noop(
            "Pemindaian antivirus sedang gagal, jadi berkas ditahan dan tidak disimpan. Tidak ada berkas yang "
            "diterima tanpa pemindaian; silakan coba unggah lagi beberapa saat lagi."
        ),
    )
