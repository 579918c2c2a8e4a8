"""The content store of uploaded files (DONDOC_FILES_DIR): each file kept once, under the
sha256 of its content, written all or nothing, read-only and never executable.

Layout: `<root>/ab/cd/abcd…` (the full sha256, two levels of 256 folders so that none holds
more than a few thousand files), and `<root>/.tmp/` for uploads in progress. A file is
streamed into `.tmp` while it is hashed and counted, stopped at its size limit, checked by
its content, flushed to disk, made read-only, then renamed to its address: a reader sees a
whole file or none, a failure leaves nothing behind (a crash leaves a `.tmp` file that
`dondoc files check` lists). A blob no row names is harmless: the rows are written after
the blob, in the database's own transaction."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from models.errors import InfrastructureError, InvalidInputError, UploadRefused
from models.uploads.formats import detect
from models.uploads.limits import UploadLimits
from models.uploads.names import display_name
from models.uploads.stored import StoredUpload, is_sha256

CHUNK = 1 << 16
TEMPORARY = ".tmp"
READ_ONLY = 0o444  # masked by the umask the file was created with; never an execute bit


class MissingUpload(InfrastructureError):
    """A file a row names is not in the store (deleted, or a backup restored without it)."""


def store_upload(
    root: Path, name: str, source: BinaryIO, limits: UploadLimits, used: int = 0
) -> StoredUpload:
    """Keep what `source` holds (read to its end, a chunk at a time) as a file named `name`
    by the unit; `used`: the bytes of the same submission's files stored before it. An
    UploadRefused naming the file when it is empty, crosses its allowance (the reading stops
    there) or is of no kept format; nothing of it is left on disk then."""
    shown = display_name(name)
    temporary = _temporary(root)
    try:
        with open(temporary, "x+b") as stream:
            digest, size = _copy_bounded(source, stream, limits.allowance(used))
            if size < 0:
                raise limits.too_large(shown, used)
            if size == 0:
                raise UploadRefused(shown, "rỗng (0 byte): chọn lại đúng tệp")
            file_type = detect(stream, size, shown)
            _seal(stream)
        _place(temporary, blob_path(root, digest), size)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return StoredUpload(digest, size, display_name(name, file_type), file_type)


def _copy_bounded(source: BinaryIO, target: BinaryIO, allowance: int) -> tuple[str, int]:
    """Copy and hash until the end of `source`: (sha256, size), or size -1 as soon as more
    than `allowance` bytes came (the rest is not read)."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        size += len(chunk)
        if size > allowance:
            return "", -1
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest(), size


def _seal(stream: BinaryIO) -> None:
    """On disk before anything names it, and read-only: nobody rewrites or runs a kept file."""
    stream.flush()
    mode = os.fstat(stream.fileno()).st_mode
    os.fchmod(stream.fileno(), mode & READ_ONLY)
    os.fsync(stream.fileno())


def _place(temporary: Path, final: Path, size: int) -> None:
    """Rename the sealed temporary file to its address; when a whole copy of the same content
    is there already, keep that one (the same content is stored once)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.is_file() and final.stat().st_size == size:
        temporary.unlink()
        return
    os.replace(temporary, final)
    _sync_folder(final.parent)


def _sync_folder(folder: Path) -> None:
    """The rename itself reaches the disk before the row that names the file is committed."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _temporary(root: Path) -> Path:
    folder = root / TEMPORARY
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{secrets.token_hex(8)}.part"


def blob_path(root: Path, sha256: str) -> Path:
    """Where the file of content `sha256` lives (an InvalidInputError for anything but a
    sha256: no path can be smuggled in)."""
    if not is_sha256(sha256):
        raise InvalidInputError("mã tệp không hợp lệ: cần 64 chữ số hệ 16 (sha256)")
    return root / sha256[:2] / sha256[2:4] / sha256


def open_upload(root: Path, sha256: str) -> BinaryIO:
    """The kept file of content `sha256`, open for reading (to serve it back); MissingUpload
    when it is not in the store."""
    path = blob_path(root, sha256)
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise MissingUpload(
            f"tệp {sha256[:12]}… không có trong kho tệp {root}: khôi phục kho từ bản sao lưu "
            "(dondoc files check liệt kê các tệp thiếu)"
        ) from None


def has_upload(root: Path, sha256: str) -> bool:
    return blob_path(root, sha256).is_file()


def stored_blobs(root: Path) -> Iterator[tuple[str, int]]:
    """(sha256, size) of every file at its address in the store, in no particular order."""
    if not root.is_dir():
        return
    for first in _folders(root):
        for second in _folders(first):
            for blob in second.iterdir():
                if blob.is_file() and is_sha256(blob.name) and blob_path(root, blob.name) == blob:
                    yield blob.name, blob.stat().st_size


def leftovers(root: Path) -> list[Path]:
    """Temporary files of uploads in progress, or left by one interrupted (a crash between
    the write and the rename): harmless, and safe to delete once nobody is uploading."""
    folder = root / TEMPORARY
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _folders(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_dir() and len(p.name) == 2]
