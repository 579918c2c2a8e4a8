"""ZIP packages: Word and Excel (.docx, .xlsx: Office Open XML) and OpenDocument (.odt, .ods),
told apart by the entries they hold, and bounded by what their directory declares.

Nothing is inflated here: the Office that opens the file will, so a package declaring more
than a real document ever holds (a zip bomb) is refused before it is kept. The one entry read
is an OpenDocument's `mimetype`, a few dozen bytes stored uncompressed."""

from __future__ import annotations

import zipfile
from itertools import pairwise
from typing import BinaryIO

from models.errors import UploadRefused
from models.uploads.file_types import FileType
from models.uploads.limits import MB, size_text

ZIP_MAGIC = b"PK\x03\x04"
# A 20 MB workbook of figures inflates to about 200 MB of XML (10 times); Word documents and
# pictures much less. A zip bomb inflates 1,000 times and more.
MAX_INFLATED_BYTES = 500 * MB  # every entry together, as declared
MAX_RATIO = 200  # inflated / compressed, for an entry declared past RATIO_FROM
RATIO_FROM = 1_000_000
MAX_ENTRIES = 10_000  # Word writes 10–40; each picture adds one
MAX_MIMETYPE_BYTES = 100
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": FileType.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": FileType.ODS,
}
BOMB = "nghi là bom nén: không nhận"
BROKEN = "là tệp nén hỏng (không đọc được danh mục bên trong): lưu lại rồi gửi"
NOT_OFFICE = (
    "là tệp nén ZIP nhưng không phải Word (.docx), Excel (.xlsx) hay OpenDocument (.odt, "
    ".ods): gửi từng tệp bên trong"
)


def package_format(stream: BinaryIO, name: str) -> FileType:
    """DOCX, XLSX, ODT or ODS; UploadRefused naming `name` for a broken or unbounded package,
    macros, or a ZIP of anything else."""
    try:
        archive = zipfile.ZipFile(stream)
    # zipfile meets a broken central directory with whichever of these its reading hit.
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise UploadRefused(name, BROKEN) from None
    with archive:
        entries = archive.infolist()
        _check_bounded(entries, name)
        _check_no_macros(entries, name)
        return _office_format(archive, entries, name)


def _office_format(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], name: str) -> FileType:
    """Office Open XML by its [Content_Types].xml and its main folder (word/, xl/);
    OpenDocument by its `mimetype` entry."""
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return FileType.DOCX
        if any(n.startswith("xl/") for n in names):
            return FileType.XLSX
        raise UploadRefused(
            name, "là tệp Office nhưng không phải Word hay Excel (có thể là PowerPoint): không nhận"
        )
    mimetype = next((e for e in entries if e.filename == "mimetype"), None)
    if mimetype is not None and mimetype.file_size <= MAX_MIMETYPE_BYTES:
        try:
            declared = archive.read(mimetype).strip()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise UploadRefused(name, BROKEN) from None
        if declared in ODF_TYPES:
            return ODF_TYPES[declared]
    raise UploadRefused(name, NOT_OFFICE)


def _check_bounded(entries: list[zipfile.ZipInfo], name: str) -> None:
    """What the directory declares: how many entries, how much they inflate to (together and
    each against its compressed size), and that no two share compressed bytes."""
    if len(entries) > MAX_ENTRIES:
        raise UploadRefused(name, f"có {len(entries)} mục, quá {MAX_ENTRIES} mục ({BOMB})")
    total = sum(entry.file_size for entry in entries)
    if total > MAX_INFLATED_BYTES:
        raise UploadRefused(
            name,
            f"khai báo giải nén ra {size_text(total)}, quá {size_text(MAX_INFLATED_BYTES)} "
            f"({BOMB})",
        )
    for entry in entries:
        if entry.file_size > RATIO_FROM and entry.file_size > MAX_RATIO * entry.compress_size:
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise UploadRefused(
                name, f"có mục nở {ratio} lần khi giải nén, quá {MAX_RATIO} lần ({BOMB})"
            )
    _check_no_overlap(entries, name)


def _check_no_overlap(entries: list[zipfile.ZipInfo], name: str) -> None:
    """Entries sharing compressed bytes are how a small zip declares terabytes. Each entry's
    data follows a 30-byte header and its name: the end reckoned without an extra field is
    never past the real one."""
    ordered = sorted(entries, key=lambda entry: entry.header_offset)
    for entry, following in pairwise(ordered):
        end = entry.header_offset + 30 + len(entry.orig_filename) + entry.compress_size
        if end > following.header_offset:
            raise UploadRefused(name, f"có các mục dùng chung dữ liệu nén ({BOMB})")


def _check_no_macros(entries: list[zipfile.ZipInfo], name: str) -> None:
    """Word's and Excel's VBA project (vbaProject.bin, of .docm/.xlsm renamed), OpenDocument's
    Basic and script folders: code that runs when the Office opens the file."""
    for entry in entries:
        lowered = entry.filename.lower()
        if lowered.endswith("vbaproject.bin") or lowered.startswith(("basic/", "scripts/")):
            raise UploadRefused(
                name,
                "có macro (mã lệnh tự chạy): lưu lại dạng không có macro (.docx, .xlsx, .odt, "
                ".ods) rồi gửi",
            )
