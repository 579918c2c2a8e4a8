"""Real files of every kept format, made by the libraries dondoc already has (python-docx,
openpyxl) or written to their specification where none is installed (PDF, PNG, OpenDocument,
an OLE2 compound file), the real JPEG python-docx ships; and what must be refused: programs
renamed, web pages, zip bombs, macros."""

from __future__ import annotations

import struct
import zipfile
import zlib
from functools import cache
from io import BytesIO
from pathlib import Path

import docx
import openpyxl

from flows.demo.documents import one_page_pdf
from tests.models.importer.zip_bombs import build_zip

pdf_bytes = one_page_pdf  # the demo attaches the same PDF its units send
JPEG_FILE = Path(docx.__file__).parent / "templates/default-docx-template/docProps/thumbnail.jpeg"


@cache
def docx_bytes(text: str = "Báo cáo kết quả chuẩn bị gặp mặt") -> bytes:
    """A real .docx; the same bytes for the same text (python-docx stamps the zip entries
    with the clock, so two files made a second apart would not be the same file)."""
    document = docx.Document()
    document.add_paragraph(text)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Đơn vị", "Số đại biểu"])
    sheet.append(["Huyện ủy Hương Khê", 12])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ODF_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
ODF_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2">
 <office:body>{body}</office:body>
</office:document-content>
"""
ODT_BODY = "<office:text><text:p>Báo cáo của Huyện ủy</text:p></office:text>"
ODS_BODY = (
    '<office:spreadsheet><table:table table:name="Sheet1"><table:table-row>'
    "<table:table-cell><text:p>12</text:p></table:table-cell>"
    "</table:table-row></table:table></office:spreadsheet>"
)


def odf_bytes(kind: str = "text", extra: dict[str, bytes] | None = None) -> bytes:
    """An OpenDocument package as the specification lays it out: `mimetype` first and stored
    uncompressed, then the manifest and the content."""
    mimetype = f"application/vnd.oasis.opendocument.{kind}"
    body = ODT_BODY if kind == "text" else ODS_BODY
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        package.writestr("META-INF/manifest.xml", ODF_MANIFEST.format(mimetype=mimetype))
        package.writestr("content.xml", ODF_CONTENT.format(body=body))
        for name, content in (extra or {}).items():
            package.writestr(name, content)
    return buffer.getvalue()


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A white RGB PNG: signature, IHDR, IDAT, IEND, each with its CRC."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff" * 3 * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    """The JPEG thumbnail python-docx ships in its template (a real camera-free JFIF)."""
    return JPEG_FILE.read_bytes()


def ole_bytes(*streams: str) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) whose directory names `streams`:
    header, one allocation-table sector, one directory sector (root and up to 3 entries)."""
    assert len(streams) <= 3
    end, fat_sector, free = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", header, 0x2C, 1, 1, 0, 0x1000)  # 1 FAT sector; directory at 1
    struct.pack_into("<IIII", header, 0x3C, end, 0, end, 0)  # no mini FAT, no DIFAT
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))
    directory = bytearray(512)
    for index, (name, kind) in enumerate([("Root Entry", 5), *((s, 2) for s in streams)]):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[: len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 0x40, len(encoded), kind, 1)
        struct.pack_into("<III", entry, 0x44, free, free, free)
        struct.pack_into("<I", entry, 0x74, end)
        directory[index * 128 : (index + 1) * 128] = entry
    return bytes(header) + fat + bytes(directory)


def exe_bytes() -> bytes:
    """The start of a Windows program (DOS header, PE signature): what a renamed .exe holds."""
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 52 + struct.pack("<I", 64) + b"PE\x00\x00"


HTML = b'<!DOCTYPE html><html><body><script>alert("x")</script></body></html>'


def zip_of(tmp: Path, entries: dict[str, bytes], retouch=None) -> bytes:
    """A ZIP of these entries (deflated), its directory possibly retouched to lie."""
    return build_zip(tmp / "x.zip", entries, retouch=retouch).read_bytes()


def ratio_bomb(tmp: Path) -> bytes:
    """A .docx whose document.xml is 30 MB of spaces: it compresses 1,000 times."""
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * 30_000_000}
    return zip_of(tmp, entries)


def declared_bomb(tmp: Path) -> bytes:
    """A small .docx whose directory declares 600 MB for its document (a header that lies)."""

    def lie(entries: list[zipfile.ZipInfo]) -> None:
        entries[-1].file_size = 600 * 1024 * 1024

    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    return zip_of(tmp, entries, retouch=lie)


def pdf_of_size(size: int) -> bytes:
    """A valid PDF of exactly `size` bytes (its comment padded; the offsets' digits follow)."""
    padding = size
    for _ in range(5):
        content = pdf_bytes(padding=padding)
        if len(content) == size:
            return content
        padding += size - len(content)
    raise ValueError(f"no PDF of exactly {size} bytes")
