"""Writing the draft: all or nothing (temp file + rename), never over a file unless forced."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from models.importer.problems import DocumentError


def write_draft(path: Path, text: str, *, force: bool = False) -> None:
    """Write `text` to `path` atomically; an existing file is kept unless `force`."""
    if path.exists() and not force:
        raise DocumentError(path, "tệp đã có; dùng --force để ghi đè hoặc --out để chọn tệp khác")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; a plan file is shared
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
