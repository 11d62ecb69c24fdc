"""Saving files when the disk is full or failing: nothing half-written, a clear answer, a trace for operators.

Three layers, one exception (`StorageUnavailable`, an `Unavailable` like the virus scanner's `ScannerUnavailable`):

* `SafeFileSystemStorage` (the default storage, settings ``STORAGES``) writes each file under a hidden temporary
  name in its target directory, flushes it to disk, then links it to its final name. A write that fails (``ENOSPC``,
  ``EDQUOT``, ``EIO`` …) removes the temporary file, so no partial file is ever left under a real name. Django's
  `FileSystemStorage` leaves the partly written file behind.
* `SafeTemporaryFileUploadHandler` (settings ``FILE_UPLOAD_HANDLERS``) does the same for the temporary copy Django
  writes to ``FILE_UPLOAD_TEMP_DIR`` while it parses a large multipart body, and raises `StorageUnavailable`.
  That happens when the body is first read, usually in ``CsrfViewMiddleware`` before any view runs, so the error
  reaches Django's handler500 (`kla.core.errors.server_error`), which answers it with the same 507/503 page.
* `storage_errors()` wraps a service's write path: an ``OSError`` with an errno becomes `StorageUnavailable`, with a
  log line (logger ``kla.storage``) and an audit event; the caller's transaction has already rolled back, so no row
  is left either.

A full disk (or quota) is HTTP 507 *Insufficient Storage*; any other storage failure is 503 with Retry-After.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import models
from django.utils._os import safe_makedirs
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, _User

logger = logging.getLogger("kla.storage")

PARTIAL_PREFIX = ".partial-"  # files being written; never a stored file (backups skip them)
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
FAILED_ERRNOS = frozenset({errno.EIO, errno.EROFS})
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV})
RETRY_AFTER_SECONDS = 300


class Unavailable(Exception):
    """Something an upload needs is failing for now (the disk, the virus scanner): nothing of the upload was kept and
    the user may try again later. HTTP `status` 503 with Retry-After (507 for a full disk); `message` is what the
    user reads, `message_en` its English version on the full error page."""

    @property
    def status(self) -> int:
        return 503

    @property
    def message(self) -> str:
        raise NotImplementedError

    @property
    def message_en(self) -> str:
        raise NotImplementedError


class ScannerUnavailable(Unavailable):
    """The virus scanner gave no verdict (down, busy past its timeout, a cut-off reply). Scanning fails closed, so
    the file is not kept; unlike a refusal (422), the same file may well pass in a moment."""

    def __init__(self, message: str) -> None:
        self._message = message
        super().__init__(message)

    @property
    def message(self) -> str:
        return self._message

    @property
    def message_en(self) -> str:
        return (
            "The file was not saved: the virus scanner could not check it just now, and no file is accepted "
            "unscanned. Please try again in a few minutes."
        )


class StorageUnavailable(Unavailable):
    """A file could not be written; nothing of it was kept. `message` is what the user reads."""

    def __init__(self, *, full: bool, detail: str = "", errno_name: str = "") -> None:
        self.full = full
        self.detail = detail
        self.errno_name = errno_name
        super().__init__(self.message)

    @property
    def status(self) -> int:
        return 507 if self.full else 503

    @property
    def message(self) -> str:
        if self.full:
            return _(
                "Ruang penyimpanan server penuh. Tidak ada yang tersimpan dari unggahan ini; data lain tetap aman. "
                "Coba lagi nanti, dan bila masih gagal hubungi administrator Platform KLA."
            )
        return _(
            "Penyimpanan server sedang bermasalah. Tidak ada yang tersimpan dari unggahan ini; data lain tetap aman. "
            "Coba lagi beberapa menit lagi, dan bila masih gagal hubungi administrator Platform KLA."
        )

    @property
    def message_en(self) -> str:
        if self.full:
            return (
                "The file was not saved: the server's storage is full. Nothing from this upload was kept; other "
                "data is safe. Please try again later, and contact the KLA Platform administrator if it keeps failing."
            )
        return (
            "The file was not saved: the server's storage is failing. Nothing from this upload was kept; other data "
            "is safe. Please try again in a few minutes, and contact the KLA Platform administrator if it keeps "
            "failing."
        )

    @classmethod
    def from_os_error(cls, exc: OSError) -> StorageUnavailable:
        name = errno.errorcode.get(exc.errno or 0, "")
        return cls(full=exc.errno in FULL_ERRNOS, detail=str(exc)[:300], errno_name=name)


def problem_of(exc: BaseException | None) -> StorageUnavailable | None:
    """The storage problem behind an exception that escaped to handler500, if it is one."""
    if isinstance(exc, StorageUnavailable):
        return exc
    if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS | FAILED_ERRNOS:
        return StorageUnavailable.from_os_error(exc)
    return None


@contextlib.contextmanager
def storage_errors(
    *,
    action: str,
    by: _User | AnonymousUser | None,
    obj: models.Model | None = None,
    object_label: str = "",
    region_code: str = "",
    name: str = "",
) -> Iterator[None]:
    """Turn a failed write inside the block into `StorageUnavailable`, logged and audited as `action`.

    Use it OUTSIDE the block's transaction: the rows roll back first, then the audit event is written. Only an
    ``OSError`` with an errno is a storage failure (Pillow, for one, raises errno-less ``OSError`` for bad images).
    """
    try:
        yield
    except StorageUnavailable as problem:
        _report(problem, action=action, by=by, obj=obj, object_label=object_label, region_code=region_code, name=name)
        raise
    except OSError as exc:
        if exc.errno is None:
            raise
        failure = StorageUnavailable.from_os_error(exc)
        _report(failure, action=action, by=by, obj=obj, object_label=object_label, region_code=region_code, name=name)
        raise failure from exc


def _report(problem: StorageUnavailable, *, action: str, name: str, **where: Any) -> None:
    from kla.core import audit

    logger.error("%s: file not stored (%s) %s", action, problem.errno_name or "?", problem.detail)
    try:
        audit.record(
            action=action,
            after={"name": name, "errno": problem.errno_name, "detail": problem.detail, "status": problem.status},
            **where,
        )
    except Exception:  # the audit table may sit on the same full disk: the log line above still tells operators
        logger.exception("%s: the audit event could not be written either", action)


class SafeFileSystemStorage(FileSystemStorage):
    """`FileSystemStorage` that never leaves a partial file and never shows a file before it is complete.

    The bytes go to ``<dir>/.partial-XXXX`` (created exclusively), are flushed and fsynced, then hard-linked to the
    final name, which fails rather than overwrite an existing file (Django then picks another name, as it does). The
    temporary name is removed whatever happens. On a filesystem without hard links the file is renamed instead,
    after checking the name is free (names are random UUIDs here, so the check-then-rename race is theoretical).

    A file that is already complete on the same filesystem (content with ``temporary_file_path()``, as Django's
    large uploads and the exports' spooled files have) is fsynced and linked to its name instead of copied: the
    same guarantees without writing the bytes twice. On another filesystem it is copied as above.
    """

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        if self.directory_permissions_mode is not None:
            safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        else:
            os.makedirs(directory, exist_ok=True)
        finished = _finished_here(content, directory)
        if finished is not None:
            with open(finished, "rb") as done:
                os.fsync(done.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(finished, self.file_permissions_mode)
            name, full_path = self._publish(finished, name, full_path)
            return self._stored(full_path)
        fd, partial = tempfile.mkstemp(prefix=PARTIAL_PREFIX, dir=directory)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                out.flush()
                os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(partial, self.file_permissions_mode)
            name, full_path = self._publish(partial, name, full_path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
        return self._stored(full_path)

    def _stored(self, full_path: str) -> str:
        ensure_group = getattr(self, "_ensure_location_group_id", None)  # Django ≥ 6.0: the root's group id
        if ensure_group is not None:
            ensure_group(full_path)
        return os.path.relpath(full_path, self.location).replace("\\", "/")

    def _publish(self, partial: str, name: str, full_path: str) -> tuple[str, str]:
        while True:
            if getattr(self, "_allow_overwrite", False):
                os.replace(partial, full_path)
                return name, full_path
            try:
                os.link(partial, full_path)
                return name, full_path
            except FileExistsError:
                name = self.get_available_name(name)
                full_path = self.path(name)
            except OSError as exc:
                if exc.errno not in _NO_HARD_LINKS:
                    raise
                if not os.path.exists(full_path):
                    os.rename(partial, full_path)
                    return name, full_path
                name = self.get_available_name(name)
                full_path = self.path(name)


class FinishedFile(File):  # type: ignore[type-arg]
    """An open file that is complete on disk (an inspected upload, a spooled export): `SafeFileSystemStorage` links
    it into place when it lies on the media volume's filesystem instead of copying it; other storages read it."""

    def temporary_file_path(self) -> str:
        return str(self.name)


def save_finished(field_file: Any, name: str, path: str | os.PathLike[str]) -> None:
    """Store the complete file at `path` as `name` in a model's file field (not saving the row), as a `FinishedFile`
    so that the storage links it rather than copies it where it can."""
    with open(path, "rb") as fh:
        field_file.save(name, FinishedFile(fh, name=os.fspath(path)), save=False)


def _finished_here(content: Any, directory: str) -> str | None:
    """The path of `content` when it is a complete file on the filesystem of `directory`, else None."""
    path_of = getattr(content, "temporary_file_path", None)
    if path_of is None:
        return None
    path = str(path_of())
    try:
        return path if os.stat(path).st_dev == os.stat(directory).st_dev else None
    except OSError:
        return None


class SafeTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's handler for uploads above FILE_UPLOAD_MAX_MEMORY_SIZE, but a full or failing FILE_UPLOAD_TEMP_DIR
    removes the partial temporary file at once and raises `StorageUnavailable` instead of a bare ``OSError``."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().new_file(*args, **kwargs)
        except OSError as exc:
            raise self._failed(exc) from exc

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        try:
            self.file.write(raw_data)
        except OSError as exc:
            raise self._failed(exc) from exc

    def file_complete(self, file_size: int) -> Any:
        try:
            self.file.flush()  # a buffered write's ENOSPC shows here at the latest
            return super().file_complete(file_size)
        except OSError as exc:
            raise self._failed(exc) from exc

    def _failed(self, exc: OSError) -> StorageUnavailable:
        temporary = getattr(self, "file", None)
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.close()  # a NamedTemporaryFile: closing it deletes it
        logger.error("upload not received: FILE_UPLOAD_TEMP_DIR write failed: %s", exc)
        return StorageUnavailable.from_os_error(exc)
