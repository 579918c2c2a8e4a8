"""The file transport: each e-mail as `<key>.eml` in a folder, written atomically (the demo's)."""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from types import TracebackType

from notifications.messages import file_name
from notifications.transports import Outgoing, TemporaryFailure


class FileTransport:
    """Writes `folder/<key-derived-name>.eml`; a resend rewrites the same file with the same
    bytes, so the folder never holds a message twice nor a half-written one."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)

    def __enter__(self) -> FileTransport:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # e.g. a file where the folder should be: nothing is sent
            why = exc.strerror or exc
            raise TemporaryFailure(f"không tạo được thư mục {self.folder}: {why}") from exc
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def path_of(self, key: str) -> Path:
        return self.folder / file_name(key)

    def send(self, mail: Outgoing) -> dict[str, str]:
        target = self.path_of(mail.key)
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            with partial.open("wb") as handle:
                handle.write(mail.data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, target)  # atomic: readers see the old file or the whole new one
        except OSError as exc:
            with suppress(OSError):  # the write error is the one to report, not the cleanup's
                partial.unlink(missing_ok=True)
            raise TemporaryFailure(f"không ghi được {target}: {exc.strerror or exc}") from exc
        return {}
