"""A real, tiny filesystem for disk-full tests: a tmpfs of a few hundred KiB (needs root; skipped otherwise)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def tiny_tmpfs(size_kib: int = 256) -> Iterator[Path]:
    """Mount a tmpfs of `size_kib` KiB on a fresh directory; unmount and remove it afterwards."""
    mount = shutil.which("mount")
    if mount is None:
        pytest.skip("no mount(8) on this machine: the disk-full test needs a real tiny filesystem")
    where = Path(tempfile.mkdtemp(prefix="kla-tiny-disk-"))
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0700", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        where.rmdir()
        reason = (done.stderr or done.stdout).strip() or f"exit {done.returncode}"
        pytest.skip(f"cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {reason}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False, capture_output=True)
        with contextlib.suppress(OSError):
            where.rmdir()


def fill(where: Path, *, leave_kib: int) -> Path:
    """Write a filler file until only about `leave_kib` KiB stay free; deleting it "frees the disk"."""
    filler = where / "filler.bin"
    stat = os.statvfs(where)
    free = stat.f_bavail * stat.f_frsize
    filler.write_bytes(b"\0" * max(0, free - leave_kib * 1024))
    return filler


def files_in(where: Path) -> list[str]:
    """Every file under `where` (hidden partial files included), relative, sorted."""
    return sorted(str(p.relative_to(where)) for p in where.rglob("*") if p.is_file())


def free_kib(where: Path) -> int:
    stat = os.statvfs(where)
    return stat.f_bavail * stat.f_frsize // 1024
