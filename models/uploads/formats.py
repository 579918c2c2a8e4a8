"""The formats a unit may send, each told by its first bytes (and, for the containers, by what
they hold), never by the file's name: an .exe renamed .pdf is still a program."""

from __future__ import annotations

from typing import BinaryIO

from models.errors import UploadRefused
from models.uploads.file_types import FileType
from models.uploads.ole import OLE_MAGIC, ole_format
from models.uploads.packages import ZIP_MAGIC, package_format

PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"
# Readers look for %%EOF within the last 1024 bytes (PDF 1.7, implementation note 18); an
# upload cut short ends before it.
PDF_TAIL = 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
HEAD = 16


ACCEPTED = (
    "không phải tệp PDF, Word (.doc, .docx), Excel (.xls, .xlsx), OpenDocument (.odt, .ods) "
    "hay ảnh (.jpg, .png): không nhận"
)
# What a refused file looks like, said so that the unit knows what it sent.
LOOKS_LIKE = (
    (b"MZ", "chương trình chạy được (.exe, .dll)"),
    (b"\x7fELF", "chương trình chạy được"),
    (b"#!", "tập lệnh (script)"),
    (b"Rar!", "tệp nén RAR"),
    (b"7z\xbc\xaf\x27\x1c", "tệp nén 7z"),
    (b"\x1f\x8b", "tệp nén gzip"),
    (b"PK\x05\x06", "tệp nén ZIP rỗng"),
    (b"GIF8", "ảnh GIF"),
    (b"{\\rtf", "văn bản RTF"),
)


def detect(stream: BinaryIO, size: int, name: str) -> FileType:
    """The format of the `size` bytes in `stream` (seekable), or UploadRefused naming `name`
    with what it is instead. Containers are opened as far as their directory only: no part
    is inflated, none is parsed."""
    stream.seek(0)
    head = stream.read(HEAD)
    if head.startswith(PDF_MAGIC):
        _check_pdf_end(stream, size, name)
        return FileType.PDF
    if head.startswith(PNG_MAGIC) and head[12:16] == b"IHDR":
        return FileType.PNG
    if head.startswith(JPEG_MAGIC):
        return FileType.JPEG
    if head.startswith(OLE_MAGIC):
        return ole_format(stream, size, name)
    if head.startswith(ZIP_MAGIC):
        return package_format(stream, name)
    raise UploadRefused(name, _refusal(head))


def _check_pdf_end(stream: BinaryIO, size: int, name: str) -> None:
    """A PDF ends with %%EOF (within its last KB): without it the upload was cut short and no
    reader will open it."""
    stream.seek(max(0, size - PDF_TAIL))
    if PDF_END not in stream.read(PDF_TAIL):
        raise UploadRefused(
            name,
            "là PDF không trọn vẹn (thiếu phần kết %%EOF, có thể tải lên bị ngắt giữa chừng): "
            "xin gửi lại",
        )


def _refusal(head: bytes) -> str:
    """Why a file of no kept format is refused, naming what it looks like when known."""
    for magic, what in LOOKS_LIKE:
        if head.startswith(magic):
            return f"là {what}, {ACCEPTED}"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return f"là trang web hoặc tệp XML/HTML, {ACCEPTED}"
    return ACCEPTED
