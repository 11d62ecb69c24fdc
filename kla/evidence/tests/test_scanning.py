"""The clamd client fails closed: only an explicit ``stream: OK`` is clean.

Detection tests run a real clamd started here with a throw-away config whose only signatures are two local EICAR
signatures written by the fixture (no freshclam, no network). Without clamd installed they are skipped; CI installs
the Debian package ``clamav-daemon``. Failure tests use tiny fake servers that misbehave on purpose.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from kla.core.storage import ScannerUnavailable
from kla.evidence.intake import scan_or_refuse
from kla.evidence.scanning import ScanStatus, check_setup, ping, scan_file, signature_age, version
from kla.evidence.tests import files
from kla.evidence.tests.conftest import SIGNATURE, Clamd, _free_port
from kla.evidence.tests.fake_clamd import Behaviour, read_instream


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- a real clamd ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("transport", ["socket_path", "tcp"])
def test_eicar_is_infected(clamd: Clamd, tmp_path: Path, transport: str) -> None:
    result = scan_file(_write(tmp_path, "a.pdf", files.eicar()), address=getattr(clamd, transport))
    assert result.status is ScanStatus.INFECTED
    assert result.detail.startswith(SIGNATURE)
    assert result.message == f"Berkas terdeteksi mengandung malware ({result.detail}) dan tidak disimpan."


def test_eicar_inside_a_docx_member_is_infected(clamd: Clamd, tmp_path: Path) -> None:
    result = scan_file(_write(tmp_path, "a.docx", files.docx(**{"word/media/x.bin": files.eicar()})), address=clamd.tcp)
    assert result.status is ScanStatus.INFECTED


def test_eicar_after_30_mib_of_padding_is_infected(clamd: Clamd, tmp_path: Path) -> None:
    path = tmp_path / "padded.pdf"
    with path.open("wb") as fh:
        fh.truncate(30 * files.MiB)
        fh.seek(0, os.SEEK_END)
        fh.write(files.eicar())
    assert scan_file(path, address=clamd.socket_path).status is ScanStatus.INFECTED


@pytest.mark.parametrize(("name", "build"), [("laporan.pdf", files.pdf), ("data.docx", files.docx)])
def test_clean_files_are_clean(clamd: Clamd, tmp_path: Path, name: str, build: Callable[[], bytes]) -> None:
    result = scan_file(_write(tmp_path, name, build()), address=clamd.socket_path)
    assert (result.status, result.detail) == (ScanStatus.CLEAN, "stream: OK")
    assert result.is_clean


@pytest.mark.slow
def test_stream_over_the_size_limit_is_too_large_not_clean(clamd: Clamd, tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as fh:
        fh.truncate(101 * files.MiB)  # sparse: over StreamMaxLength 100M without writing 100 MB
    result = scan_file(path, address=clamd.socket_path)
    assert result.status is ScanStatus.TOO_LARGE, result
    assert "size limit exceeded" in result.detail


TOO_LARGE = "Berkas ini melebihi batas ukuran yang dapat dipindai antivirus server"


@pytest.mark.parametrize("transport", ["socket_path", "tcp"])
def test_a_clamd_with_limits_below_the_file_refuses_it_as_too_large(
    small_clamd: Clamd, tmp_path: Path, transport: str
) -> None:
    """A clamd configured below the upload sizes (Debian's default is 25M) must not be taken for a verdict:
    over MaxFileSize it alerts (AlertExceedsMax), over StreamMaxLength it stops reading. Either way the file is
    refused with its own message, not "malware" and not "try again later"."""
    address = getattr(small_clamd, transport)
    small = scan_file(_write(tmp_path, "kecil.pdf", files.pdf() + b"\0" * (512 * 1024)), address=address)
    assert small.status is ScanStatus.CLEAN, small  # the same clamd scans what is within its limits
    over_file = scan_file(_write(tmp_path, "sedang.pdf", files.pdf() + os.urandom(2 * files.MiB)), address=address)
    assert over_file.status is ScanStatus.TOO_LARGE, over_file
    assert over_file.detail == "stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND"
    over_stream = scan_file(_write(tmp_path, "besar.pdf", files.pdf() + os.urandom(5 * files.MiB)), address=address)
    assert over_stream.status is ScanStatus.TOO_LARGE, over_stream
    assert "size limit exceeded" in over_stream.detail
    for result in (over_file, over_stream):
        assert result.message.startswith(TOO_LARGE) and not result.is_clean


def test_ping_and_version_of_a_running_clamd(clamd: Clamd) -> None:
    assert ping(clamd.socket_path)
    assert (version(clamd.tcp) or "").startswith("ClamAV ")


# --- no scanner at all -------------------------------------------------------------------------------------------


def test_without_an_address_the_file_is_not_scanned(tmp_path: Path) -> None:
    result = scan_file(_write(tmp_path, "a.pdf", files.eicar()), address=None)
    assert result.status is ScanStatus.NOT_SCANNED
    assert not result.is_clean
    assert "wajib mengaktifkan pemindaian" in result.message


@pytest.mark.parametrize(
    "address",
    [
        pytest.param("/tmp/kla-no-such-dir/clamd.sock", id="missing-socket"),
        pytest.param(f"127.0.0.1:{_free_port()}", id="closed-tcp-port"),
        pytest.param("clamd", id="malformed-address"),
    ],
)
def test_unreachable_scanner_is_an_error(tmp_path: Path, address: str) -> None:
    result = scan_file(_write(tmp_path, "a.pdf", files.pdf()), address=address, timeout=2)
    assert result.status is ScanStatus.ERROR
    assert "ditahan" in result.message and "coba unggah lagi" in result.message


def test_unreachable_scanner_does_not_answer_ping() -> None:
    assert not ping("/tmp/kla-no-such-dir/clamd.sock", timeout=1)


# --- fake servers that misbehave ---------------------------------------------------------------------------------


def _answers(reply: bytes) -> Behaviour:
    def behave(conn: socket.socket) -> None:
        read_instream(conn)
        conn.sendall(reply)

    return behave


def _closes_mid_stream(conn: socket.socket) -> None:
    conn.recv(100)  # the command and a little data, then hang up with a reset
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def _says_limit_and_closes(conn: socket.socket) -> None:
    conn.recv(100)
    conn.sendall(b"INSTREAM size limit exceeded. ERROR\0")


def _never_answers(conn: socket.socket) -> None:
    read_instream(conn)
    time.sleep(3)


@pytest.mark.parametrize(
    "behave",
    [
        pytest.param(_answers(b"stream: ERROR\0"), id="error-reply"),
        pytest.param(_answers(b"HTTP/1.1 400 Bad Request\r\n\r\n\0"), id="garbage"),
        pytest.param(_answers(b"\0"), id="empty-reply"),
        pytest.param(_answers(b"stream: OK"), id="ok-without-terminator"),
        pytest.param(_answers(b"stream: OK\nstream: OK\0"), id="two-lines"),
        pytest.param(_answers(b"stream: OKAY\0"), id="almost-ok"),
        pytest.param(_answers(b"stream: OK" + b" " * 5000 + b"\0"), id="endless-reply"),
        pytest.param(_closes_mid_stream, id="reset-mid-stream"),
        pytest.param(_never_answers, id="timeout"),
    ],
)
def test_anything_but_an_explicit_ok_is_an_error(
    fake_clamd: Callable[[Behaviour], str], tmp_path: Path, behave: Behaviour
) -> None:
    # A body larger than socket buffers, so a server that hangs up early really interrupts the stream.
    path = _write(tmp_path, "a.pdf", files.pdf() + os.urandom(4 * files.MiB))
    result = scan_file(path, address=fake_clamd(behave), timeout=1.5)
    assert result.status is ScanStatus.ERROR, result


@pytest.mark.parametrize(
    "behave",
    [
        pytest.param(_answers(b"INSTREAM size limit exceeded. ERROR\0"), id="size-limit-reply"),
        pytest.param(_says_limit_and_closes, id="limit-then-close"),
        pytest.param(_answers(b"stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND\0"), id="limits-alert"),
    ],
)
def test_clamd_size_limits_are_too_large_not_clean_nor_malware(
    fake_clamd: Callable[[Behaviour], str], tmp_path: Path, behave: Behaviour
) -> None:
    path = _write(tmp_path, "a.pdf", files.pdf() + os.urandom(4 * files.MiB))
    result = scan_file(path, address=fake_clamd(behave), timeout=1.5)
    assert result.status is ScanStatus.TOO_LARGE, result
    assert result.message.startswith(TOO_LARGE)


def test_the_fake_server_itself_can_say_ok(fake_clamd: Callable[[Behaviour], str], tmp_path: Path) -> None:
    # Guards the test above: the same harness does produce "clean" when the reply is exactly right.
    result = scan_file(_write(tmp_path, "a.pdf", files.pdf()), address=fake_clamd(_answers(b"stream: OK\0")))
    assert result.status is ScanStatus.CLEAN


def test_a_found_reply_names_the_signature(fake_clamd: Callable[[Behaviour], str], tmp_path: Path) -> None:
    address = fake_clamd(_answers(b"stream: Win.Trojan.Agent-123 FOUND\0"))
    result = scan_file(_write(tmp_path, "a.pdf", files.pdf()), address=address)
    assert (result.status, result.detail) == (ScanStatus.INFECTED, "Win.Trojan.Agent-123")


def test_garbage_does_not_answer_ping(fake_clamd: Callable[[Behaviour], str]) -> None:
    def behave(conn: socket.socket) -> None:
        conn.recv(16)
        conn.sendall(b"PING?\0")

    assert not ping(fake_clamd(behave), timeout=1)


# --- manage.py check_scanner -------------------------------------------------------------------------------------


def test_check_setup_passes_with_limits_above_the_largest_upload(clamd: Clamd, tmp_path: Path) -> None:
    checks = check_setup(clamd.socket_path, largest=5 * files.MiB, workdir=tmp_path)
    assert all(c.ok for c in checks), checks
    assert [c.text.split(":")[0].split(" (")[0] for c in checks] == [
        "Alamat pemindai",
        "clamd menjawab",
        "Berkas uji EICAR terdeteksi",
        "Berkas 5 MB",
    ]
    assert f"berkas uji di ujungnya terdeteksi ({SIGNATURE}" in checks[-1].text


def test_check_setup_catches_a_clamd_that_skips_large_files_silently(silent_clamd: Clamd, tmp_path: Path) -> None:
    """AlertExceedsMax no: a file over MaxFileSize is answered "OK" unscanned. A plain large file would pass; the
    probe's test file at its end is not found, and that is what gives it away."""
    plain = _write(tmp_path, "besar.pdf", files.pdf() + bytes(2 * files.MiB))
    assert scan_file(plain, address=silent_clamd.socket_path).status is ScanStatus.CLEAN  # what fooled a naive check
    checks = check_setup(silent_clamd.socket_path, largest=2 * files.MiB, workdir=tmp_path)
    assert [c.ok for c in checks] == [True, True, True, False]
    assert "tanpa menemukan berkas uji di ujungnya" in checks[-1].text and "AlertExceedsMax" in checks[-1].text
    within = check_setup(silent_clamd.socket_path, largest=512 * 1024, workdir=tmp_path)
    assert all(c.ok for c in within), within  # the same clamd, asked about sizes within its limits


@pytest.mark.parametrize(("largest_mib", "limit"), [(2, "MaxFileSize"), (5, "size limit exceeded")])
def test_check_setup_fails_when_clamd_would_refuse_the_largest_upload(
    small_clamd: Clamd, tmp_path: Path, largest_mib: int, limit: str
) -> None:
    checks = check_setup(small_clamd.tcp, largest=largest_mib * files.MiB, workdir=tmp_path)
    assert [c.ok for c in checks] == [True, True, True, False]
    assert limit in checks[-1].text and "Naikkan StreamMaxLength, MaxFileSize dan MaxScanSize" in checks[-1].text


def test_check_setup_without_a_scanner_says_what_to_set(tmp_path: Path) -> None:
    (missing,) = check_setup(None, largest=files.MiB, workdir=tmp_path)
    assert not missing.ok and "CLAMD_ADDRESS belum diatur" in missing.text
    address = str(tmp_path / "tidak-ada.sock")
    checks = check_setup(address, largest=files.MiB, workdir=tmp_path)
    assert [c.ok for c in checks] == [True, False] and "clamd tidak menjawab" in checks[-1].text


def test_check_scanner_command_uses_the_platforms_largest_upload(
    clamd: Clamd, small_clamd: Clamd, settings: Any
) -> None:
    settings.EVIDENCE_LIMITS_MB = {"pdf": 2, "image": 1, "office": 1, "video": 2, "data": 1}
    settings.CLAMD_ADDRESS = clamd.socket_path
    out = io.StringIO()
    call_command("check_scanner", stdout=out)
    assert "Berkas 2 MB (unggahan terbesar yang diterima platform) dipindai utuh" in out.getvalue()
    assert "AlertExceedsMax yes" in out.getvalue()
    settings.CLAMD_ADDRESS = small_clamd.socket_path  # MaxFileSize 1M: a 2 MB video would be refused
    out = io.StringIO()
    with pytest.raises(CommandError, match="Pemindai antivirus belum siap"):
        call_command("check_scanner", stdout=out)
    assert "GAGAL" in out.getvalue() and "Heuristics.Limits.Exceeded.MaxFileSize" in out.getvalue()


@pytest.mark.parametrize(
    ("line", "days"),
    [
        ("ClamAV 1.4.6/27462/Tue Nov 24 09:20:31 2026", 5),
        ("ClamAV 1.4.6/27462/Tue Nov  3 09:20:31 2026", 26),  # ctime pads the day with a space
        ("ClamAV 1.4.6/27470/Sun Nov 29 10:00:00 2026", 0),  # a little ahead of this clock: not negative
        ("ClamAV 1.4.6", None),  # a local database only (the test clamds)
        ("ClamAV 1.4.6/27462/kemarin", None),
        ("", None),
    ],
)
def test_signature_age_from_the_version_line(line: str, days: int | None) -> None:
    age = signature_age(line, dt.datetime(2026, 11, 29, 9, 30))
    assert (age.days if age is not None else None) == days


def test_check_setup_fails_on_signatures_that_stopped_updating(
    fake_clamd: Callable[[Behaviour], str], tmp_path: Path
) -> None:
    def behave(conn: socket.socket) -> None:
        command = conn.recv(64)
        conn.sendall(b"PONG\0" if command.startswith(b"zPING") else b"ClamAV 1.4.6/27000/Tue Nov 10 09:00:00 2026\0")

    checks = check_setup(fake_clamd(behave), largest=files.MiB, workdir=tmp_path, now=dt.datetime(2026, 11, 29))
    assert [c.ok for c in checks] == [True, True, False]
    assert "berumur 18 hari" in checks[-1].text and "clamav-freshclam" in checks[-1].text


def test_check_scanner_says_when_the_test_files_cannot_be_written(settings: Any, tmp_path: Path) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tidak-ada")
    with pytest.raises(CommandError, match=r"Berkas uji \d+ MB tidak dapat ditulis di .*tidak-ada"):
        call_command("check_scanner", stdout=io.StringIO())


# --- the refusal every upload shares (kla.evidence.intake.scan_or_refuse) ---------------------------------------


@pytest.mark.parametrize(
    ("scanner", "data", "error", "code"),
    [
        ("clamd", files.eicar(), "ValidationError", "scan_infected"),
        ("small_clamd", b"\0" * (2 * 1024 * 1024), "ValidationError", "scan_too_large"),  # over its MaxFileSize 1M
        ("missing", b"laporan", "ScannerUnavailable", "scan_error"),
    ],
)
def test_scan_or_refuse_audits_then_raises(
    request: pytest.FixtureRequest, settings: Any, tmp_path: Path, scanner: str, data: bytes, error: str, code: str
) -> None:
    if scanner == "missing":
        settings.CLAMD_ADDRESS = str(tmp_path / "tidak-ada.sock")
    else:
        settings.CLAMD_ADDRESS = request.getfixturevalue(scanner).socket_path
    refused: list[dict[str, str]] = []
    expected = {"ValidationError": ValidationError, "ScannerUnavailable": ScannerUnavailable}[error]
    with pytest.raises(expected) as raised:
        scan_or_refuse(_write(tmp_path, "berkas.bin", data), refused.append)
    assert [r["code"] for r in refused] == [code] and refused[0]["detail"]
    if isinstance(raised.value, ValidationError):
        assert raised.value.code == code


def test_scan_or_refuse_returns_a_clean_result_without_auditing(clamd: Clamd, settings: Any, tmp_path: Path) -> None:
    settings.CLAMD_ADDRESS = clamd.socket_path
    refused: list[dict[str, str]] = []
    assert scan_or_refuse(_write(tmp_path, "laporan.txt", b"laporan kegiatan"), refused.append).is_clean
    settings.CLAMD_ADDRESS = None  # development: not scanned, kept
    assert scan_or_refuse(_write(tmp_path, "laporan.txt", b"laporan"), refused.append).status == ScanStatus.NOT_SCANNED
    assert refused == []
