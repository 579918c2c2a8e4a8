"""Old Office files (.doc, .xls) are OLE2 compound files, like .ppt, .msg and Windows installers
(.msi): told apart by the names of the streams their directory lists, read here without
reading any stream ([MS-CFB])."""

from __future__ import annotations

import struct
from typing import BinaryIO

from models.errors import UploadRefused
from models.uploads.file_types import FileType

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER = 512
END_OF_CHAIN = 0xFFFFFFFE
FREE = 0xFFFFFFFF
LAST_REGULAR = 0xFFFFFFFA  # sector numbers above it are markers, not sectors
ENTRY = 128  # a directory entry
# Stream and storage types of a directory entry (0 is unused).
NAMED_TYPES = (1, 2, 5)
# A Word or Excel directory fills a sector or two; a chain this long is a loop or a lie.
MAX_DIRECTORY_SECTORS = 1_024
MAX_FAT_SECTORS = 65_536  # 32 GB of 512-byte sectors: far past any upload limit

BROKEN = "là tệp Office cũ (.doc, .xls) bị hỏng: không đọc được cấu trúc tệp; lưu lại rồi gửi"
# Storages that hold VBA macros: Word's "Macros", Excel's "_VBA_PROJECT_CUR".
MACRO_STORAGES = frozenset({"Macros", "_VBA_PROJECT_CUR"})


class _Broken(Exception):
    """The compound file's structure cannot be followed."""


def ole_format(stream: BinaryIO, size: int, name: str) -> FileType:
    """DOC or XLS, by the streams the directory names; UploadRefused for anything else (a
    PowerPoint, an installer, a password-protected .docx, macros) naming `name`."""
    try:
        names = stream_names(stream, size)
    except _Broken:
        raise UploadRefused(name, BROKEN) from None
    if "EncryptedPackage" in names:
        raise UploadRefused(
            name, "có đặt mật khẩu: Văn phòng không mở được; bỏ mật khẩu, lưu lại rồi gửi"
        )
    if names & MACRO_STORAGES:
        raise UploadRefused(
            name, "có macro (mã lệnh tự chạy): lưu lại dạng không có macro (.docx, .xlsx) rồi gửi"
        )
    if "WordDocument" in names:
        return FileType.DOC
    if "Workbook" in names or "Book" in names:
        return FileType.XLS
    raise UploadRefused(
        name,
        "là tệp Office cũ nhưng không phải Word (.doc) hay Excel (.xls) (có thể là PowerPoint "
        "hay chương trình cài đặt .msi): không nhận",
    )


def stream_names(stream: BinaryIO, size: int) -> set[str]:
    """The names of every stream and storage in the directory of the compound file."""
    header = _read(stream, 0, HEADER)
    shift = _u16(header, 0x1E)
    if shift not in (9, 12):  # 512-byte sectors (version 3) or 4096 (version 4)
        raise _Broken
    sector = 1 << shift
    fat = _fat_sectors(stream, header, sector, size)
    names: set[str] = set()
    for number in _chain(stream, fat, sector, size, _u32(header, 0x30)):
        block = _read(stream, (number + 1) * sector, sector)
        for offset in range(0, sector, ENTRY):
            names.update(_entry_name(block[offset : offset + ENTRY]))
    return names


def _fat_sectors(stream: BinaryIO, header: bytes, sector: int, size: int) -> list[int]:
    """Where the allocation table lies: the first 109 sectors listed in the header, the rest
    in the chain of DIFAT sectors (each ends with the number of the next)."""
    count = _u32(header, 0x2C)
    if count > min(MAX_FAT_SECTORS, size // sector):
        raise _Broken
    listed = [n for n in struct.unpack_from("<109I", header, 0x4C) if n <= LAST_REGULAR]
    following, per_sector = _u32(header, 0x44), sector // 4 - 1
    for _ in range(_u32(header, 0x48)):
        if len(listed) >= count or following > LAST_REGULAR:
            break
        block = _read(stream, (following + 1) * sector, sector)
        values = struct.unpack_from(f"<{per_sector + 1}I", block)
        listed += [n for n in values[:per_sector] if n <= LAST_REGULAR]
        following = values[per_sector]
    if len(listed) < count:
        raise _Broken
    return listed[:count]


def _chain(stream: BinaryIO, fat: list[int], sector: int, size: int, first: int) -> list[int]:
    """The sectors of a chain from `first`, following the allocation table; a loop, a sector
    past the end of the file or an endless chain is a broken file."""
    chain: list[int] = []
    number = first
    per_sector = sector // 4
    while number != END_OF_CHAIN:
        beyond = (number + 2) * sector > size
        if number > LAST_REGULAR or beyond or number in chain:
            raise _Broken
        if len(chain) >= MAX_DIRECTORY_SECTORS:
            raise _Broken
        chain.append(number)
        index, slot = divmod(number, per_sector)
        if index >= len(fat):
            raise _Broken
        number = _u32(_read(stream, (fat[index] + 1) * sector + slot * 4, 4), 0)
    return chain


def _entry_name(entry: bytes) -> set[str]:
    """The name of one directory entry (UTF-16, its length in bytes with the final NUL), or
    nothing for an unused one."""
    length = _u16(entry, 0x40)
    if entry[0x42] not in NAMED_TYPES or not 2 <= length <= 64 or length % 2:
        return set()
    return {entry[: length - 2].decode("utf-16-le", errors="replace")}


def _read(stream: BinaryIO, offset: int, count: int) -> bytes:
    stream.seek(offset)
    data = stream.read(count)
    if len(data) != count:
        raise _Broken
    return data


def _u16(data: bytes, offset: int) -> int:
    value: int = struct.unpack_from("<H", data, offset)[0]
    return value


def _u32(data: bytes, offset: int) -> int:
    value: int = struct.unpack_from("<I", data, offset)[0]
    return value
