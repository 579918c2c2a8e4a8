""".docx zip bombs for the importer's limits: a real Word document whose document.xml is padded
with gigabytes of spaces, written as a stream so that building one costs seconds and no
memory; and zips made entry by entry (many entries, a name, a method, a ratio)."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from tests.models.importer.documents import QUANG_BINH, build_docx

PADDING = b" " * (16 << 20)  # spaces between the elements of <w:body> are still valid XML


class _RepeatingDeflate:
    """zipfile's deflate compressor, with every copy of PADDING compressed once: after a full
    flush deflate forgets what came before, so each copy compresses to the same bytes and a
    3 GB part is written in the time its CRC takes (zlib itself needs ≈ 15 s)."""

    def __init__(self, compressor: zlib._Compress) -> None:
        self.compressor = compressor
        self.padding = b""

    def compress(self, data: bytes) -> bytes:
        if data is PADDING and self.padding:
            return self.padding
        compressed = self.compressor.compress(data) + self.compressor.flush(zlib.Z_FULL_FLUSH)
        if data is PADDING:
            self.padding = compressed
        return compressed

    def flush(self, mode: int = zlib.Z_FINISH) -> bytes:
        return self.compressor.flush(mode)


def build_docx_bomb(path: Path, inflated: int, declared: int | None = None) -> Path:
    """The Quảng Bình plan as a .docx whose document.xml is padded with `inflated` spaces;
    `declared`, if given, is the size its central directory claims instead (a header that
    lies)."""
    model = build_docx(path.with_name(f"mau-{path.name}"), QUANG_BINH)
    with zipfile.ZipFile(model) as source:
        parts = {entry.filename: source.read(entry) for entry in source.infolist()}
    head, body, tail = parts.pop("word/document.xml").partition(b"<w:body>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for name, content in parts.items():
            bomb.writestr(name, content)
        entry = zipfile.ZipInfo("word/document.xml")
        entry.compress_type = zipfile.ZIP_DEFLATED
        with bomb.open(entry, "w", force_zip64=True) as document:
            document._compressor = _RepeatingDeflate(document._compressor)  # type: ignore[attr-defined]
            document.write(head + body)
            copies, rest = divmod(inflated, len(PADDING))
            for _ in range(copies):
                document.write(PADDING)
            document.write(PADDING[:rest] + tail)
        if declared is not None:
            entry.file_size = declared  # the central directory is written from it at close
    return path


def build_zip(
    path: Path,
    entries: dict[str, bytes],
    method: int = zipfile.ZIP_DEFLATED,
    retouch: Callable[[list[zipfile.ZipInfo]], object] | None = None,
) -> Path:
    """A zip of these (name, content) entries, each stored with `method`; `retouch` may edit
    their ZipInfo (the central directory is written from it at close) to make it lie."""
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
        if retouch is not None:
            retouch(archive.infolist())
    return path
