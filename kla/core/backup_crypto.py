"""Streaming a dump to its file, hashed on the way; encrypted with age for storage off the machine.

A database dump holds password hashes and second-step (TOTP) secrets, so a copy kept elsewhere is encrypted to one
or more age public keys (`KLA_BACKUP_AGE_RECIPIENT`, ``age1…``); only the holder of the matching identity file can
restore it. age (Debian package ``age``, the reference implementation of the age format) authenticates every 64 KiB
chunk and the end of the stream, so a changed or truncated file is refused when it is opened, not restored halfway.
Nothing here reads a whole dump into memory: it passes through in `CHUNK`-sized pieces.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

CHUNK = 1024 * 1024
AGE_SUFFIX = ".age"


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why and what to do."""


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_hashed(source: IO[bytes], destination: IO[bytes]) -> str:
    """Copy `source` to `destination` chunk by chunk; the SHA-256 of what passed."""
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        destination.write(chunk)
    return digest.hexdigest()


def _age() -> str:
    binary = shutil.which("age")
    if binary is None:
        raise BackupError("Program age tidak terpasang (apt-get install age): cadangan terenkripsi tidak dapat dibuat.")
    return binary


def _failure(process: subprocess.Popen[bytes], errors: IO[bytes]) -> str:
    errors.seek(0)
    lines = errors.read().decode(errors="replace").splitlines()
    text = " ".join(line.strip() for line in lines if line.strip() and not line.startswith("age: report"))
    return text[:500] or f"exit {process.returncode}"


def encrypt_stream(source: IO[bytes], target: Path, recipients: Iterable[str]) -> str:
    """Encrypt `source` into `target` for every age recipient; returns the SHA-256 of the plain bytes."""
    keys = [r.strip() for r in recipients if r.strip()]
    args = [_age(), "--encrypt", *(arg for key in keys for arg in ("--recipient", key)), "--output", str(target)]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=errors)  # noqa: S603 (fixed program)
        assert process.stdin is not None
        try:
            plain = copy_hashed(source, process.stdin)
        except BrokenPipeError:  # age refused the recipients before reading
            plain = ""
        finally:
            process.stdin.close()
        if process.wait() != 0:
            target.unlink(missing_ok=True)
            raise BackupError(f"Enkripsi cadangan (age) gagal: {_failure(process, errors)}")
    return plain


def decrypt_to(source: Path, target: Path, identity: Path) -> str:
    """Decrypt `source` into `target` with the age identity file; returns the SHA-256 of the plain bytes.

    A wrong identity and a changed or truncated file are refused with a message saying which it is.
    """
    if not identity.is_file():
        raise BackupError(f"Berkas identitas age {identity} tidak ada: cadangan terenkripsi tidak dapat dibuka.")
    args = [_age(), "--decrypt", "--identity", str(identity), str(source)]
    with tempfile.TemporaryFile() as errors, target.open("wb") as out:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors)  # noqa: S603 (fixed program)
        assert process.stdout is not None
        plain = copy_hashed(process.stdout, out)
        if process.wait() == 0:
            return plain
        message = _failure(process, errors)
    target.unlink(missing_ok=True)
    if "no identity matched" in message:
        raise BackupError(
            f"Kunci salah: identitas {identity} tidak cocok dengan penerima cadangan ini; gunakan berkas identitas "
            f"yang pasangan kunci publiknya dipakai saat pencadangan (age: {message})."
        )
    raise BackupError(f"Cadangan terenkripsi rusak atau diubah: age menolak membukanya ({message}).")
