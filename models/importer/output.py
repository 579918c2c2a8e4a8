"""Writing the draft: all or nothing (temp file + rename), never over a file unless forced."""

from __future__ import annotations

from pathlib import Path

from models.files.atomic import write_atomically
from models.importer.problems import DocumentError


def write_draft(path: Path, text: str, *, force: bool = False) -> None:
    """Write `text` to `path` atomically; an existing file is kept unless `force`."""
    if path.exists() and not force:
        raise DocumentError(path, "tệp đã có; dùng --force để ghi đè hoặc --out để chọn tệp khác")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text)
