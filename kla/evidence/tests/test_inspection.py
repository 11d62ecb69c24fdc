"""What an evidence upload is, decided from its bytes, and what is stored: every accepted kind and every attack.

All test files are built in code (`files.py`). One behaviour per test; attacks are listed as tables.
"""

from __future__ import annotations

import ast
import hashlib
import io
import time
import tracemalloc
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from kla.core.formatting import format_size
from kla.evidence.inspection import (
    DEFAULT_POLICY,
    HEAD_SIZE,
    MACRO_MESSAGE,
    EvidencePolicy,
    EvidenceRejected,
    InspectionResult,
    Rejection,
    inspect_file,
    sanitize_filename,
    sha256_of,
    sniff,
)
from kla.evidence.tests import files

MiB = files.MiB
Inspect = Callable[..., InspectionResult]


@pytest.fixture
def clean_dir(tmp_path: Path) -> Path:
    path = tmp_path / "clean"
    path.mkdir()
    return path


@pytest.fixture
def inspect(tmp_path: Path, clean_dir: Path) -> Inspect:
    """Save bytes as an upload in quarantine, then inspect it under the client's file name."""

    def run(data: bytes, filename: str, policy: EvidencePolicy = DEFAULT_POLICY) -> InspectionResult:
        upload = tmp_path / "upload.bin"
        upload.write_bytes(data)
        return inspect_file(upload, filename=filename, policy=policy, clean_dir=clean_dir)

    return run


def rejection(
    inspect: Inspect, data: bytes, filename: str, policy: EvidencePolicy = DEFAULT_POLICY
) -> EvidenceRejected:
    with pytest.raises(EvidenceRejected) as caught:
        inspect(data, filename, policy)
    return caught.value


# --- the policy sentence -----------------------------------------------------------------------------------------


def test_policy_sentence_lists_types_and_limits_in_indonesian() -> None:
    assert DEFAULT_POLICY.describe() == (
        "Jenis yang diterima: PDF (maks. 50 MB), gambar JPG/PNG/WebP (maks. 20 MB), dokumen Office "
        "DOCX/XLSX/PPTX/ODT/ODS (maks. 25 MB), video MP4/WebM (maks. 200 MB), dan tabel data CSV/TXT (maks. 10 MB)."
    )


def test_policy_sentence_leaves_out_a_disabled_kind() -> None:
    policy = EvidencePolicy(allowed_kinds=frozenset({"pdf", "image"}))
    assert policy.describe() == "Jenis yang diterima: PDF (maks. 50 MB), dan gambar JPG/PNG/WebP (maks. 20 MB)."


@pytest.mark.parametrize(
    ("size", "text"), [(50 * MiB, "50 MB"), (50 * MiB + 1, "50,1 MB"), (1536, "1,5 KB"), (100, "100 bita")]
)
def test_sizes_are_written_the_indonesian_way_and_never_round_down_to_the_limit(size: int, text: str) -> None:
    assert format_size(size) == text


# --- accepted kinds ----------------------------------------------------------------------------------------------

OOXML = "application/vnd.openxmlformats-officedocument."


@pytest.mark.parametrize(
    ("build", "filename", "kind", "mime", "extension"),
    [
        (files.pdf, "SK Gugus Tugas.pdf", "pdf", "application/pdf", ".pdf"),
        (files.jpeg, "foto kegiatan.jpg", "image", "image/jpeg", ".jpg"),
        (files.png, "bagan.png", "image", "image/png", ".png"),
        (files.webp, "poster.webp", "image", "image/webp", ".webp"),
        (files.docx, "notulen.docx", "office", OOXML + "wordprocessingml.document", ".docx"),
        (files.xlsx, "anggaran.xlsx", "office", OOXML + "spreadsheetml.sheet", ".xlsx"),
        (files.pptx, "paparan.pptx", "office", OOXML + "presentationml.presentation", ".pptx"),
        (files.odf, "notulen.odt", "office", "application/vnd.oasis.opendocument.text", ".odt"),
        (files.ods, "anggaran.ods", "office", "application/vnd.oasis.opendocument.spreadsheet", ".ods"),
        (files.mp4, "video forum anak.mp4", "video", "video/mp4", ".mp4"),
        (files.webm, "video.webm", "video", "video/webm", ".webm"),
        (files.csv_utf8, "rekap.csv", "data", "text/csv", ".csv"),
        (files.csv_utf8, "rekap.txt", "data", "text/plain", ".txt"),
    ],
)
def test_accepted_kinds(
    inspect: Inspect, build: Callable[[], bytes], filename: str, kind: str, mime: str, extension: str
) -> None:
    result = inspect(build(), filename)
    assert (result.kind, result.mime, result.extension, result.safe_filename, result.name_mismatch) == (
        kind,
        mime,
        extension,
        filename,
        False,
    )


def test_pdf_page_count(inspect: Inspect) -> None:
    assert inspect(files.pdf(pages=2), "a.pdf").page_count == 2


def test_pdf_is_stored_as_received(inspect: Inspect, tmp_path: Path) -> None:
    data = files.pdf()
    result = inspect(data, "a.pdf")
    expected = hashlib.sha256(data).hexdigest()
    assert (result.path_to_store, result.size, result.sha256, result.original_sha256) == (
        tmp_path / "upload.bin",
        len(data),
        expected,
        expected,
    )


def test_pdf_with_javascript_is_accepted_with_a_warning_for_reviewers(inspect: Inspect) -> None:
    result = inspect(files.pdf(open_action_js=True), "a.pdf")
    assert any("konten aktif" in w for w in result.warnings)


@pytest.mark.parametrize(("build", "name"), [(files.docx, "a.docx"), (files.mp4, "a.mp4"), (files.csv_utf8, "a.csv")])
def test_non_images_have_no_page_count_capture_date_or_clean_copy(
    inspect: Inspect, clean_dir: Path, build: Callable[[], bytes], name: str
) -> None:
    result = inspect(build(), name)
    assert (result.page_count, result.captured_at, result.metadata_removed, list(clean_dir.iterdir())) == (
        None,
        None,
        False,
        [],
    )


def test_latin1_csv_is_accepted_with_a_warning(inspect: Inspect) -> None:
    result = inspect(files.csv_latin1(), "kecamatan.csv")
    assert result.mime == "text/csv" and "UTF-8" in result.warnings[0]


# --- images: re-encoded, metadata gone, capture date kept --------------------------------------------------------


def _stored(result: InspectionResult) -> bytes:
    return result.path_to_store.read_bytes()


def test_jpeg_is_re_encoded_into_the_clean_dir(inspect: Inspect, clean_dir: Path) -> None:
    data = files.jpeg()
    result = inspect(data, "foto.jpg")
    assert result.path_to_store.parent == clean_dir
    assert (result.sha256, result.size) == sha256_of(result.path_to_store)
    assert result.original_sha256 == hashlib.sha256(data).hexdigest() != result.sha256


def test_stored_jpeg_has_no_exif_at_all(inspect: Inspect) -> None:
    result = inspect(files.jpeg(), "foto.jpg")
    with Image.open(result.path_to_store) as im:
        exif = im.getexif()
        assert len(exif) == 0
        assert not exif.get_ifd(0x8825)  # GPSInfo
        assert "GPSInfo" not in str(im.info)


@pytest.mark.parametrize(
    "leak",
    [
        pytest.param(b"Exif\x00\x00", id="exif-segment"),
        pytest.param(b"http://ns.adobe.com/xap/1.0/", id="xmp"),
        pytest.param(b"ICC_PROFILE", id="icc"),
        pytest.param(b"Jl. Anak Bangsa", id="comment"),
        pytest.param(b"SN-0042-ANAK", id="camera-serial"),
        pytest.param(b"PonselKamera", id="camera-make"),
    ],
)
def test_stored_jpeg_bytes_carry_no_metadata(inspect: Inspect, leak: bytes) -> None:
    assert leak in files.jpeg()  # the original has it...
    assert leak not in _stored(inspect(files.jpeg(), "foto.jpg"))  # ...the stored copy does not


def test_capture_date_is_kept_from_date_time_original_with_its_offset(inspect: Inspect) -> None:
    result = inspect(files.jpeg(), "foto.jpg")
    assert result.captured_at == datetime(2024, 7, 23, 9, 15, tzinfo=timezone(timedelta(hours=7)))


def test_capture_date_falls_back_to_date_time(inspect: Inspect) -> None:
    result = inspect(files.jpeg(original=None, offset=None), "foto.jpg")
    assert result.captured_at == datetime(2024, 7, 1, 8, 0)


def test_photo_without_exif_has_no_capture_date_and_nothing_removed(inspect: Inspect) -> None:
    result = inspect(files.plain_jpeg(), "foto.jpg")
    assert (result.captured_at, result.metadata_removed) == (None, False)


def test_metadata_removal_is_reported_with_a_gps_warning(inspect: Inspect) -> None:
    result = inspect(files.jpeg(), "foto.jpg")
    assert result.metadata_removed
    assert "Data lokasi (GPS) pada foto telah dihapus." in result.warnings


def test_orientation_is_applied_before_exif_is_dropped(inspect: Inspect) -> None:
    result = inspect(files.jpeg(size=(40, 20), orientation=6), "foto.jpg")  # 6 = rotate 90° clockwise to view
    with Image.open(result.path_to_store) as im:
        assert im.size == (20, 40)


@pytest.mark.parametrize(
    ("build", "name", "pil_format"),
    [
        (lambda: files.png(exif=True, text="Sekolah X, kelas 3"), "a.png", "PNG"),
        (lambda: files.webp(exif=True), "a.webp", "WEBP"),
    ],
)
def test_png_and_webp_keep_their_format_and_lose_their_metadata(
    inspect: Inspect, build: Callable[[], bytes], name: str, pil_format: str
) -> None:
    result = inspect(build(), name)
    with Image.open(result.path_to_store) as im:
        assert (im.format, len(im.getexif()), result.metadata_removed) == (pil_format, 0, True)
        assert not ({"exif", "xmp", "icc_profile", "Comment", "Description"} & set(im.info))


def test_png_html_polyglot_is_accepted_only_as_its_re_encoded_pixels(inspect: Inspect) -> None:
    original = files.png_html_polyglot()
    assert b"<script" in original
    result = inspect(original, "bagan.png")
    stored = _stored(result)
    assert result.path_to_store.name != "upload.bin"
    assert b"<script" not in stored and b"<html" not in stored
    assert stored.startswith(b"\x89PNG")


# --- names: content decides, the mismatch is reported ------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "filename", "extension", "safe"),
    [
        (files.png, "foto.jpg", ".png", "foto.png"),
        (files.plain_jpeg, "scan.PDF", ".jpg", "scan.jpg"),
        (files.pdf, "laporan", ".pdf", "laporan.pdf"),
        (files.pdf, "Laporan v1.2", ".pdf", "Laporan v1.2.pdf"),
        (files.docx, "notulen.zip", ".docx", "notulen.docx"),
        (files.csv_utf8, "rekap.xls", ".txt", "rekap.txt"),
    ],
)
def test_content_wins_over_the_name_and_the_mismatch_is_reported(
    inspect: Inspect, build: Callable[[], bytes], filename: str, extension: str, safe: str
) -> None:
    result = inspect(build(), filename)
    assert (result.extension, result.safe_filename, result.name_mismatch) == (extension, safe, True)
    assert result.warnings[0].startswith("Nama berkas berakhiran")


@pytest.mark.parametrize("filename", ["foto.jpeg", "FOTO.JPG", "foto.jfif"])
def test_alias_extensions_are_not_a_mismatch(inspect: Inspect, filename: str) -> None:
    result = inspect(files.plain_jpeg(), filename)
    assert (result.name_mismatch, result.safe_filename, result.extension) == (False, filename, ".jpg")


@pytest.mark.parametrize("filename", ["a.pdf", "a.exe", "a", "../../x.png"])
def test_sniff_ignores_the_name(filename: str) -> None:
    assert sniff(files.png()[:HEAD_SIZE], filename=filename).mime == "image/png"


def test_sniff_leaves_a_zip_to_the_archive_check() -> None:
    detected = sniff(files.docx()[:HEAD_SIZE], filename="a.docx")
    assert (detected.kind, detected.needs_archive_check) == ("office", True)


# --- attacks and invalid files -----------------------------------------------------------------------------------

ATTACKS: list[tuple[str, Callable[[], bytes], str, Rejection]] = [
    ("empty file", lambda: b"", "laporan.pdf", Rejection.EMPTY),
    ("Windows executable renamed .pdf", files.windows_exe, "laporan.pdf", Rejection.EXECUTABLE),
    ("Linux executable renamed .pdf", files.elf, "laporan.pdf", Rejection.EXECUTABLE),
    ("HTML renamed .pdf", files.html_page, "laporan.pdf", Rejection.HTML),
    ("HTML fragment renamed .txt", files.html_fragment, "catatan.txt", Rejection.HTML),
    ("SVG with script renamed .png", files.svg_with_script, "logo.png", Rejection.SVG),
    ("SVG with script", files.svg_with_script, "logo.svg", Rejection.SVG),
    ("shell script", files.shell_script, "catatan.txt", Rejection.SCRIPT),
    ("PHP renamed .jpg", files.php_script, "foto.jpg", Rejection.SCRIPT),
    ("XML with external entity", files.xml_document, "data.docx", Rejection.TYPE_NOT_ALLOWED),
    ("PDF with a ZIP appended", files.pdf_zip_polyglot, "laporan.pdf", Rejection.POLYGLOT),
    ("ZIP with a PDF up front", files.zip_starting_with_pdf, "notulen.docx", Rejection.POLYGLOT),
    ("ZIP starting with %PDF", lambda: b"%PDF-1.4\n" + files.docx(), "laporan.pdf", Rejection.POLYGLOT),
    ("MP4 with a ZIP appended", lambda: files.mp4() + files.docx(), "video.mp4", Rejection.POLYGLOT),
    ("truncated PDF", files.truncated_pdf, "laporan.pdf", Rejection.PDF_INVALID),
    ("PDF header then garbage", files.pdf_header_then_garbage, "laporan.pdf", Rejection.PDF_INVALID),
    ("password-protected PDF", files.encrypted_pdf, "laporan.pdf", Rejection.PDF_ENCRYPTED),
    ("truncated JPEG", files.truncated_jpeg, "foto.jpg", Rejection.IMAGE_INVALID),
    (
        "pixel flood 20,000 x 20,000",
        lambda: files.png_claiming(20_000, 20_000),
        "a.png",
        Rejection.IMAGE_TOO_MANY_PIXELS,
    ),
    (
        "pixel flood in Pillow's warning band",
        lambda: files.png_claiming(10_000, 10_000),
        "a.png",
        Rejection.IMAGE_TOO_MANY_PIXELS,
    ),
    ("pixels above our own limit", lambda: files.png_claiming(7_000, 7_000), "a.png", Rejection.IMAGE_TOO_MANY_PIXELS),
    ("GIF", files.gif, "animasi.gif", Rejection.TYPE_NOT_ALLOWED),
    ("TIFF renamed .jpg", files.tiff, "scan.jpg", Rejection.TYPE_NOT_ALLOWED),
    ("HEIC renamed .jpg", lambda: files.iso_media(b"heic"), "foto.jpg", Rejection.TYPE_NOT_ALLOWED),
    ("QuickTime", lambda: files.iso_media(b"qt  "), "video.mov", Rejection.TYPE_NOT_ALLOWED),
    ("Matroska", lambda: files.webm(b"matroska"), "video.mkv", Rejection.TYPE_NOT_ALLOWED),
    ("RAR", files.rar, "arsip.rar", Rejection.TYPE_NOT_ALLOWED),
    ("7z", files.seven_zip, "arsip.7z", Rejection.TYPE_NOT_ALLOWED),
    ("plain ZIP", files.plain_zip, "bukti.zip", Rejection.TYPE_NOT_ALLOWED),
    ("plain ZIP renamed .docx", files.plain_zip, "bukti.docx", Rejection.TYPE_NOT_ALLOWED),
    (
        "OpenDocument presentation",
        lambda: files.odf("application/vnd.oasis.opendocument.presentation"),
        "a.odp",
        Rejection.TYPE_NOT_ALLOWED,
    ),
    ("legacy .doc", files.ole2, "surat.doc", Rejection.TYPE_NOT_ALLOWED),
    ("unknown binary renamed .pdf", files.unknown_binary, "laporan.pdf", Rejection.TYPE_NOT_ALLOWED),
    ("UTF-16 text", lambda: "\ufeffa;b\n".encode("utf-16-le"), "rekap.csv", Rejection.TYPE_NOT_ALLOWED),
    ("CSV with NUL after the first 8 KB", files.csv_with_nul_after_head, "rekap.csv", Rejection.DATA_INVALID),
    (".docm renamed .docx", files.docm, "notulen.docx", Rejection.MACRO),
    (
        "vbaProject.bin in a plain .docx",
        lambda: files.docx(**{"word/vbaProject.bin": files.ole2_with_vba()}),
        "a.docx",
        Rejection.MACRO,
    ),
    (
        "macro content type without a VBA part",
        lambda: files.zip_of(files.ooxml_members("docm")),
        "a.docx",
        Rejection.MACRO,
    ),
    (
        "VBA project hidden in an embedding",
        lambda: files.docx(**{"word/embeddings/oleObject1.bin": files.ole2_with_vba()}),
        "a.docx",
        Rejection.MACRO,
    ),
    (
        "Excel 4.0 macro sheet",
        lambda: files.zip_of(files.ooxml_members("xlsx") | {"xl/macrosheets/sheet1.xml": b"<x/>"}),
        "a.xlsx",
        Rejection.MACRO,
    ),
    (
        "OpenDocument Basic macro",
        lambda: files.odf(**{"Basic/Standard/Module1.xml": b"<script/>"}),
        "a.odt",
        Rejection.MACRO,
    ),
    ("password-protected .docx (OLE2 container)", files.ole2, "notulen.docx", Rejection.OFFICE_ENCRYPTED),
    ("encrypted ZIP members", files.encrypted_docx, "notulen.docx", Rejection.OFFICE_ENCRYPTED),
    (
        "member ../ traversal",
        lambda: files.docx_member_named("../../../etc/cron.d/x"),
        "a.docx",
        Rejection.OFFICE_PATH_TRAVERSAL,
    ),
    (
        "member inner ../",
        lambda: files.docx_member_named("word/../../x.xml"),
        "a.docx",
        Rejection.OFFICE_PATH_TRAVERSAL,
    ),
    ("member absolute path", lambda: files.docx_member_named("/etc/passwd"), "a.docx", Rejection.OFFICE_PATH_TRAVERSAL),
    (
        "member backslash traversal",
        lambda: files.docx_member_named("word\\..\\..\\x.xml"),
        "a.docx",
        Rejection.OFFICE_PATH_TRAVERSAL,
    ),
    (
        "member drive letter",
        lambda: files.docx_member_named("C:/Windows/x.xml"),
        "a.docx",
        Rejection.OFFICE_PATH_TRAVERSAL,
    ),
    ("member symlink", files.docx_with_symlink, "a.docx", Rejection.OFFICE_PATH_TRAVERSAL),
    ("member lying about its size", files.docx_lying_about_size, "a.docx", Rejection.OFFICE_BOMB),
    (
        "highly compressible member",
        lambda: files.docx(**{"word/media/zeros.xml": bytes(5 * MiB)}),
        "a.docx",
        Rejection.OFFICE_BOMB,
    ),
    ("bad CRC", files.docx_bad_crc, "a.docx", Rejection.OFFICE_INVALID),
    ("bzip2 member", files.docx_bzip2_member, "a.docx", Rejection.OFFICE_INVALID),
    ("truncated .docx", lambda: files.docx()[:-30], "a.docx", Rejection.OFFICE_INVALID),
]


@pytest.mark.parametrize(("build", "filename", "code"), [a[1:] for a in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_attack_is_refused_with_its_code(
    inspect: Inspect, build: Callable[[], bytes], filename: str, code: str
) -> None:
    assert rejection(inspect, build(), filename).code == code


@pytest.mark.parametrize(("build", "filename"), [a[1:3] for a in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_every_refusal_says_in_indonesian_what_is_allowed(
    inspect: Inspect, build: Callable[[], bytes], filename: str
) -> None:
    assert rejection(inspect, build(), filename).message.endswith(DEFAULT_POLICY.describe())


def test_pdf_with_stray_zip_signature_bytes_is_still_a_pdf(inspect: Inspect) -> None:
    assert inspect(files.pdf_with_stray_zip_bytes(), "a.pdf").page_count == 2


def test_pdf_with_a_huge_fake_zip_directory_is_refused_without_parsing_it(tmp_path: Path, clean_dir: Path) -> None:
    upload = tmp_path / "a.pdf"
    upload.write_bytes(files.pdf_with_fake_zip_directory())
    tracemalloc.start()
    try:
        with pytest.raises(EvidenceRejected) as caught:
            inspect_file(upload, filename="a.pdf", clean_dir=clean_dir)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (caught.value.code, peak < 5 * MiB) == (Rejection.POLYGLOT, True)


def test_refused_image_leaves_nothing_in_the_clean_dir(inspect: Inspect, clean_dir: Path) -> None:
    rejection(inspect, files.truncated_jpeg(), "foto.jpg")
    assert list(clean_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("build", "filename", "expected"),
    [
        (
            files.html_page,
            "laporan.pdf",
            "Berkas ini bukan PDF meskipun namanya berakhiran .pdf (isinya tampak seperti halaman web HTML).",
        ),
        (
            files.windows_exe,
            "laporan.pdf",
            "Berkas ini bukan PDF meskipun namanya berakhiran .pdf (isinya tampak seperti program Windows (EXE/DLL)).",
        ),
        (files.rar, "arsip.rar", "Berkas berakhiran .rar ini tidak diterima (isinya tampak seperti arsip RAR)."),
        (files.gif, "animasi", "Jenis berkas ini tidak diterima (isinya tampak seperti gambar GIF)."),
    ],
)
def test_type_refusal_says_what_the_file_seems_to_be(
    inspect: Inspect, build: Callable[[], bytes], filename: str, expected: str
) -> None:
    assert rejection(inspect, build(), filename).message.startswith(expected)


def test_macro_refusal_message(inspect: Inspect) -> None:
    assert rejection(inspect, files.docm(), "notulen.docx").message.startswith(MACRO_MESSAGE)


def test_pdf_invalid_message_suggests_re_saving(inspect: Inspect) -> None:
    assert "simpan ulang atau ekspor/cetak ke PDF" in rejection(inspect, files.truncated_pdf(), "a.pdf").message


def test_encrypted_zip_fixture_really_is_encrypted() -> None:
    # Guards the builder: zipfile reads the members back only with the password.
    with zipfile.ZipFile(io.BytesIO(files.encrypted_docx())) as zf:
        assert zf.read("word/document.xml", pwd=files.ZIP_PASSWORD).startswith(b"<?xml")
        with pytest.raises(RuntimeError, match="password required"):
            zf.read("word/document.xml")


# --- limits, with a small policy instead of huge files -----------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "build", "filename"),
    [
        (EvidencePolicy(max_pdf_bytes=100), files.pdf, "a.pdf"),
        (EvidencePolicy(max_image_bytes=100), files.jpeg, "a.jpg"),
        (EvidencePolicy(max_office_bytes=100), files.docx, "a.docx"),
        (EvidencePolicy(max_video_bytes=10), files.mp4, "a.mp4"),
        (EvidencePolicy(max_data_bytes=10), files.csv_utf8, "a.csv"),
    ],
)
def test_file_over_its_kind_limit_is_refused(
    inspect: Inspect, policy: EvidencePolicy, build: Callable[[], bytes], filename: str
) -> None:
    assert rejection(inspect, build(), filename, policy).code == Rejection.TOO_LARGE


def test_too_large_message_names_the_size_and_the_limit(inspect: Inspect) -> None:
    policy = EvidencePolicy(max_pdf_bytes=1024)
    message = rejection(inspect, files.pdf(pages=3), "a.pdf", policy).message
    assert message.startswith("Ukuran berkas 1,2 KB melebihi batas 1 KB untuk PDF.")


def test_image_over_a_custom_pixel_limit_is_refused(inspect: Inspect) -> None:
    assert rejection(inspect, files.png((24, 16)), "a.png", EvidencePolicy(max_image_pixels=100)).code == (
        Rejection.IMAGE_TOO_MANY_PIXELS
    )


def test_pixel_limit_message_names_the_dimensions(inspect: Inspect) -> None:
    message = rejection(inspect, files.png_claiming(7_000, 7_000), "a.png").message
    assert message.startswith("Gambar terlalu besar: 7.000 × 7.000 piksel; batasnya 40.000.000 piksel.")


def test_disabled_kind_is_refused(inspect: Inspect) -> None:
    policy = EvidencePolicy(allowed_kinds=frozenset({"pdf", "image", "office", "data"}))
    assert rejection(inspect, files.mp4(), "a.mp4", policy).code == Rejection.TYPE_NOT_ALLOWED


def test_too_many_members_is_a_bomb(inspect: Inspect) -> None:
    extra = {f"word/media/p{i}.xml": b"<p/>" for i in range(30)}
    assert rejection(inspect, files.docx(**extra), "a.docx", EvidencePolicy(office_max_members=20)).code == (
        Rejection.OFFICE_BOMB
    )


def test_total_uncompressed_size_is_capped(inspect: Inspect) -> None:
    policy = EvidencePolicy(office_max_total_uncompressed=1 * MiB)
    text = bytes(range(32, 127)) * (2 * MiB // 95)  # 2 MiB that only compresses modestly
    assert rejection(inspect, files.docx(**{"word/big.xml": text}), "a.docx", policy).code == Rejection.OFFICE_BOMB


def test_a_large_but_ordinary_member_is_accepted(inspect: Inspect) -> None:
    import os

    ordinary = os.urandom(3 * MiB).hex().encode()  # 6 MB of text at a ratio near 2:1
    assert inspect(files.docx(**{"word/media/data.xml": ordinary}), "a.docx").kind == "office"


# --- the zip bomb: fast and small -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zip_bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same 300 MiB of zeros in a ~300 KB .docx: once declared honestly, once declared as 1 KB."""
    directory = tmp_path_factory.mktemp("bombs")
    honest, lying = directory / "honest.docx", directory / "lying.docx"
    files.write_docx_zip_bomb(honest, member_mib=300)
    files.write_docx_zip_bomb(lying, member_mib=300, declared_size=1000)
    return {"honest": honest, "lying": lying}


def test_zip_bomb_fixture_is_small_but_declares_300_mib(zip_bombs: dict[str, Path]) -> None:
    with zipfile.ZipFile(zip_bombs["honest"]) as zf:
        declared = zf.getinfo("word/document.xml").file_size
    assert (declared, zip_bombs["honest"].stat().st_size < 1 * MiB) == (300 * MiB, True)


@pytest.mark.parametrize(
    ("variant", "caught_by"),
    [
        ("honest", "declared 314572800 bytes"),  # the central directory already says too much
        ("lying", "inflates beyond its declared 1000 bytes"),  # only the running cap while inflating sees it
    ],
)
def test_zip_bomb_is_refused_fast_with_little_memory(
    zip_bombs: dict[str, Path], clean_dir: Path, variant: str, caught_by: str
) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(EvidenceRejected) as caught:
            inspect_file(zip_bombs[variant], filename="bomb.docx", clean_dir=clean_dir)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (caught.value.code, caught_by in caught.value.detail) == (Rejection.OFFICE_BOMB, True)
    assert elapsed < 2.0
    assert peak < 50 * MiB


# --- file names --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("C:\\Users\\Operator\\Desktop\\SK.pdf", "SK.pdf"),
        ("C:SK.pdf", "SK.pdf"),
        ("laporan\x00.exe.pdf", "laporan.exe.pdf"),
        ("foto\u202egpj.exe", "fotogpj.exe"),  # the RTL override would display as "fotoexe.jpg"
        ("data\u2066x\u2069.csv", "datax.csv"),
        (".htaccess", "htaccess"),
        ("SK Gugus Tugas 2024 (final).pdf", "SK Gugus Tugas 2024 (final).pdf"),
        ("Laporan   KLA\t2024.pdf", "Laporan KLA 2024.pdf"),
        ("Notulen Rapat Forum Anak_2024-05.docx", "Notulen Rapat Forum Anak_2024-05.docx"),
        ("Cafe\u0301 Ramah Anak.jpg", "Café Ramah Anak.jpg"),
        ("a.php;.jpg", "a.php_.jpg"),
        ("<script>alert(1)</script>.pdf", "script_.pdf"),  # "/" makes everything before it a directory
        ("<img src=x onerror=alert(1)>.pdf", "_img src_x onerror_alert(1)_.pdf"),
        ("laporan.pdf. ", "laporan.pdf"),
        ("CON.pdf", "CON_.pdf"),
        ("nul.tar.gz", "nul_.tar.gz"),  # Windows reserves the name whatever follows its first dot
        ("", "berkas"),
        ("...", "berkas"),
        ("/", "berkas"),
        ("\x00\x01", "berkas"),
    ],
)
def test_sanitize_filename(given: str, expected: str) -> None:
    assert sanitize_filename(given) == expected


def test_long_name_is_trimmed_to_120_keeping_the_extension() -> None:
    name = sanitize_filename("a" * 300 + ".pdf")
    assert (len(name), name.endswith("a.pdf")) == (120, True)


_TRICKY = st.sampled_from(["..", "/", "\\", ".", " ", "\x00", "\u202e", "\u2067", "C:", "\t", "\r\n", "\u200b"])


@given(st.lists(st.text() | _TRICKY, max_size=20).map("".join))
def test_sanitized_names_are_always_safe(name: str) -> None:
    safe = sanitize_filename(name)
    assert 0 < len(safe) <= 120
    assert "/" not in safe and "\\" not in safe
    assert not safe.startswith(".")
    assert not any(unicodedata.category(ch)[0] == "C" for ch in safe)
    assert sanitize_filename(safe) == safe


# --- purity ------------------------------------------------------------------------------------------------------


EVIDENCE = Path(__file__).resolve().parents[1]
PURE_FILES = [*sorted((EVIDENCE / "inspection").glob("*.py")), EVIDENCE / "scanning.py"]


@pytest.mark.parametrize("path", PURE_FILES, ids=lambda p: p.relative_to(EVIDENCE).as_posix())
def test_module_imports_no_django(path: Path) -> None:
    """Inspection and scanning import no Django, and of the project only each other, the formatting module and the
    translation marks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {n for n in imported if n == "django" or n.startswith("django.")}
    project = {n for n in imported if n.startswith("kla.")}
    allowed = {"kla.core.formatting", "kla.core.marking"}
    assert all(n.startswith("kla.evidence.inspection.") or n in allowed for n in project), project
