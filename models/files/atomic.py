"""Writing a file all or nothing: a reader sees the old file or the new one, never half."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomically(path: Path, content: str | bytes) -> Path:
    """Write `content` (text as UTF-8, exactly as given) under a temporary name in the same
    folder, flush it to disk, then rename it over `path`.

    The temporary file is created like any other (`open(…, "x")`), so it gets the usual
    permissions under the umask: the files are shared with colleagues, unlike mkstemp's 0600.
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with open(temporary, "xb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path
