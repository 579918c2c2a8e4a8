"""A .docx's zip package checked before python-docx opens it: entries, names, inflated sizes.

python-docx inflates every part whole into memory and parses it: a 2.9 MB document.xml padded
with 3 GB of spaces took it to 5.9 GB. So the zip is opened here first, with the standard
zipfile module, and refused unless it is bounded: first on what its central directory
declares (no byte inflated), then on what each entry really inflates to, counted while it is
streamed in chunks and stopped as soon as a limit is crossed (a header can lie). python-docx
then gets the very bytes that were checked, never the path again.
"""

from __future__ import annotations

import copy
import unicodedata
import zipfile
import zlib
from io import BytesIO
from itertools import pairwise
from pathlib import Path, PurePosixPath

from models.errors import shown
from models.importer.problems import DocumentError

# A real plan from a Vietnamese government office inflates to under 2 MB, pictures aside
# (JPEG and PNG hardly inflate at all); Word's styles.xml, its most compressible part, about
# 30 times. At these limits python-docx holds at most ≈ 50 MB of parts, and an import stays
# near 200 MB (a 43 MB picture: 139 MB; an 11 MB document.xml, refused now: 214 MB).
MAX_ENTRIES = 1_000  # Word writes 10–40; each picture adds one
MAX_MARKUP_BYTES = 10_000_000  # every .xml and .rels part together, inflated
MAX_INFLATED_BYTES = 50_000_000  # the whole package, pictures and embedded files included
MAX_RATIO = 100  # inflated / compressed, for an entry that inflates past RATIO_FROM
RATIO_FROM = 1_000_000
CHUNK = 1 << 16

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a .doc, or a .docx Word encrypted
NOT_DOCX = "không đọc được tệp Word (.docx hỏng hoặc không phải .docx)"
BOMB = "nghi là bom nén; không mở"
DECLARED = "theo khai báo của tệp nén"
WHOLE = "cả tệp Word"
MARKUP = "phần văn bản (XML) của tệp Word"
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # the only two OOXML allows
_UNREACHABLE = 2**62  # a size zipfile is told for an entry, so that our count stops it


def checked_package(path: Path, raw: bytes) -> BytesIO:
    """`raw` (the bytes of `path`) as a stream for python-docx, once every limit holds; a
    DocumentError naming the file and the limit otherwise."""
    if raw.startswith(OLE_MAGIC):
        raise DocumentError(
            path,
            "đây là tệp Word cũ (.doc) hoặc tệp .docx có đặt mật khẩu: mở bằng Word, bỏ mật "
            "khẩu nếu có, rồi lưu lại dạng .docx",
        )
    try:
        archive = zipfile.ZipFile(BytesIO(raw))
    # zipfile meets a broken central directory with whichever of these its reading hit (a
    # version byte it does not know is NotImplementedError).
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise DocumentError(path, f"{NOT_DOCX}: không phải tệp nén ZIP") from exc
    with archive:
        entries = archive.infolist()
        _check_entries(path, entries)
        _check_declared(path, entries)
        _check_inflated(path, archive, entries)
    return BytesIO(raw)


def _check_entries(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    """How many entries, their names, how they are stored, and that none overlaps another."""
    if len(entries) > MAX_ENTRIES:
        raise DocumentError(
            path,
            f"tệp nén có {_number(len(entries))} mục, vượt giới hạn {_number(MAX_ENTRIES)} mục "
            f"của một tệp Word ({BOMB})",
        )
    seen: set[str] = set()
    for entry in entries:
        name = entry.orig_filename
        fault = _name_fault(name)
        if fault:
            raise DocumentError(path, f"tệp nén có mục tên '{_shown(name)}' {fault}: {NOT_DOCX}")
        if name.casefold() in seen:  # part names are case-insensitive: which one is read?
            raise DocumentError(path, f"tệp nén có hai mục cùng tên '{_shown(name)}': {NOT_DOCX}")
        seen.add(name.casefold())
        if entry.flag_bits & 0x1:
            raise DocumentError(
                path, f"mục '{_shown(name)}' có đặt mật khẩu: bỏ mật khẩu rồi lưu lại"
            )
        if entry.compress_type not in _METHODS:
            raise DocumentError(
                path,
                f"mục '{_shown(name)}' nén theo cách tệp Word không dùng (mã "
                f"{entry.compress_type}): {NOT_DOCX}",
            )
    _check_no_overlap(path, entries)


def _name_fault(name: str) -> str:
    """Why an entry's name has no place in a Word package ("" if it has one)."""
    if any(unicodedata.category(character) == "Cc" for character in name):
        return "có ký tự điều khiển"
    if "\\" in name:
        return "dùng dấu '\\'"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "là đường dẫn tuyệt đối"
    if any(part in ("", ".", "..") for part in name.removesuffix("/").split("/")):
        return "có đoạn rỗng, '.' hoặc '..' (trỏ ra ngoài gói)"
    return ""


def _check_no_overlap(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    """Entries sharing compressed bytes are how a small zip declares terabytes. Each entry's
    data follows a 30-byte header and its name (at least a byte a character) and perhaps an
    extra field: the end reckoned without it is never past the real one."""
    ordered = sorted(entries, key=lambda entry: entry.header_offset)
    for entry, following in pairwise(ordered):
        end = entry.header_offset + 30 + len(entry.orig_filename) + entry.compress_size
        if end > following.header_offset:
            raise DocumentError(
                path,
                f"các mục '{_shown(entry.filename)}' và '{_shown(following.filename)}' dùng chung "
                f"dữ liệu nén ({BOMB})",
            )


def _check_declared(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    """The limits on what the central directory says, before a byte is inflated."""
    total = sum(entry.file_size for entry in entries)
    _check_size(path, total, MAX_INFLATED_BYTES, WHOLE, DECLARED)
    markup = sum(entry.file_size for entry in entries if _is_markup(entry))
    _check_size(path, markup, MAX_MARKUP_BYTES, MARKUP, DECLARED)
    for entry in entries:
        _check_ratio(path, entry, entry.file_size)


def _check_inflated(path: Path, archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """The same limits on the bytes each entry really inflates to, counted chunk by chunk."""
    total = markup = 0
    for entry in entries:
        counted = _inflate_counting(path, archive, entry, total, markup)
        total += counted
        markup += counted if _is_markup(entry) else 0
        if counted != entry.file_size:
            raise DocumentError(
                path,
                f"mục '{_shown(entry.filename)}' giải nén ra {_size(counted)}, không phải "
                f"{_size(entry.file_size)} như đã khai báo: {NOT_DOCX}",
            )


def _inflate_counting(
    path: Path, archive: zipfile.ZipFile, entry: zipfile.ZipInfo, total: int, markup: int
) -> int:
    """How many bytes `entry` inflates to, read a chunk at a time and kept nowhere; stops with
    a DocumentError at the first chunk past a limit (`total`, `markup`: counted before it)."""
    # zipfile cuts an entry at its declared size, but only after inflating what it read: a
    # whole-entry read() (python-docx's) inflates up to 2 GB at once, so a header understating
    # 3 GB cost 2.1 GB. Told a size it will never reach, it inflates the compressed data to its
    # end, read() by read(), and the count is what the data holds, not what the header claims.
    unbounded = copy.copy(entry)
    unbounded.file_size = _UNREACHABLE
    counted, is_markup = 0, _is_markup(entry)
    how = f"đếm được khi giải nén, đến mục '{_shown(entry.filename)}'"
    try:
        with archive.open(unbounded) as stream:
            while chunk := stream.read(CHUNK):
                counted += len(chunk)
                _check_size(path, total + counted, MAX_INFLATED_BYTES, WHOLE, how)
                if is_markup:
                    _check_size(path, markup + counted, MAX_MARKUP_BYTES, MARKUP, how)
                _check_ratio(path, entry, counted)
    # A CRC that does not match, a deflate stream that breaks off or is not one, a local
    # header that says something else than the central directory or lies before the file.
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise DocumentError(
            path,
            f"mục '{_shown(entry.filename)}' có dữ liệu nén hỏng hoặc sai mã kiểm tra CRC: "
            f"{NOT_DOCX}",
        ) from exc
    return counted


def _check_size(path: Path, inflated: int, limit: int, what: str, how: str) -> None:
    if inflated > limit:
        raise DocumentError(
            path,
            f"{what} giải nén ra hơn {_size(inflated)} ({how}), vượt giới hạn {_size(limit)} "
            f"({BOMB})",
        )


def _check_ratio(path: Path, entry: zipfile.ZipInfo, inflated: int) -> None:
    if inflated <= RATIO_FROM or inflated <= MAX_RATIO * entry.compress_size:
        return
    ratio = inflated // max(entry.compress_size, 1)
    raise DocumentError(
        path,
        f"mục '{_shown(entry.filename)}' nở {_number(ratio)} lần khi giải nén "
        f"({_size(entry.compress_size)} thành hơn {_size(inflated)}), vượt tỉ lệ tối đa "
        f"{MAX_RATIO} lần ({BOMB})",
    )


def _shown(name: str) -> str:
    """An entry's name as a message may repeat it: cut, and no control character reaching the
    terminal (an ESC in a name could clear the coordinator's screen)."""
    visible = "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in name)
    return shown(visible)


def _is_markup(entry: zipfile.ZipInfo) -> bool:
    """A part python-docx parses as XML (pictures and embedded files it only holds)."""
    return PurePosixPath(entry.filename.lower()).suffix in (".xml", ".rels")


def _size(count: int) -> str:
    """`3.000 MB`, `20 MB`, `1.339 byte`: Vietnamese thousands, megabytes from one up."""
    if count >= 1_000_000:
        return f"{_number(count // 1_000_000)} MB"
    return f"{_number(count)} byte"


def _number(count: int) -> str:
    return f"{count:,}".replace(",", ".")
