"""Reading a unit's upload form (multipart/form-data) as it streams in: the body bounded before
anything is parsed, each file part written straight into the content store (hashed while it
is written, never spooled whole), the small fields kept, the CSRF token checked first.

The parsing runs on a worker thread (the content store's writes block); it pulls the body a
chunk at a time from the event loop (`anyio.from_thread`), feeds python-multipart's push
parser, and hands each file part to `content_store.store_upload` as a stream it reads."""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.multipart import MultipartParser, parse_options_header

from models.files.content_store import store_upload
from models.uploads.limits import UploadLimits, size_text
from models.uploads.stored import StoredUpload

FORM_DATA = "multipart/form-data"
# What a form's own parts (boundaries, headers, the token, figures, a note) may add to its
# files: refused above the total limit plus this.
BODY_MARGIN = 256 * 1024
MAX_FIELD_BYTES = 16 * 1024
MAX_PARTS = 100
FILE_FIELD = "tep"


class BodyTooLarge(Exception):
    """A body larger than any submission may be (413): refused before or while it streams."""

    def __init__(self, limit: int):
        super().__init__(
            f"Dữ liệu gửi lên lớn hơn {size_text(limit)}, mức tối đa của một lần nộp: không có "
            "gì được ghi. Nén nhỏ tệp lại hoặc chia thành nhiều lần nộp (liên hệ Văn phòng)."
        )


class BadForm(Exception):
    """A body that is not the page's upload form (400/415), in Vietnamese."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def body_limit(limits: UploadLimits) -> int:
    return limits.max_total_bytes + BODY_MARGIN


def check_declared(content_type: str, content_length: str | None, limits: UploadLimits) -> str:
    """The boundary of an upload form whose declared length is within bounds; BodyTooLarge
    (before a byte is read) or BadForm otherwise."""
    media_type, options = parse_options_header(content_type)
    if media_type.decode().lower() != FORM_DATA or not options.get(b"boundary"):
        raise BadForm(415, "Yêu cầu không phải biểu mẫu nộp tệp của trang: không có gì được ghi.")
    if content_length is not None:
        if not content_length.isascii() or not content_length.isdigit():
            raise BadForm(400, "Độ dài dữ liệu gửi lên không đọc được: không có gì được ghi.")
        if int(content_length) > body_limit(limits):
            raise BodyTooLarge(limits.max_total_bytes)
    return options[b"boundary"].decode("latin-1")


@dataclass
class UploadForm:
    """What the form carried: its small fields (the first value of a name), and the files
    stored, in order."""

    fields: dict[str, str] = field(default_factory=dict)
    uploads: list[StoredUpload] = field(default_factory=list)


class _Parts:
    """python-multipart's events for one body, pulled a chunk at a time."""

    def __init__(self, boundary: str, pull: Callable[[], bytes], limit: int):
        self.pull = pull
        self.limit = limit
        self.read_bytes = 0
        self.events: deque[tuple[str, object]] = deque()
        self.ended = False
        self._header = [b"", b""]
        self._headers: dict[bytes, bytes] = {}
        callbacks = {
            "on_part_begin": self._begin,
            "on_part_data": lambda data, start, end: self.events.append(
                ("data", bytes(data[start:end]))
            ),
            "on_part_end": lambda: self.events.append(("end", None)),
            "on_header_field": lambda data, start, end: self._add(0, data[start:end]),
            "on_header_value": lambda data, start, end: self._add(1, data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": lambda: self.events.append(("headers", dict(self._headers))),
        }
        self.parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]  # its callback TypedDict

    def _begin(self) -> None:
        self._headers = {}

    def _add(self, which: int, data: bytes) -> None:
        self._header[which] += data

    def _header_end(self) -> None:
        self._headers[self._header[0].lower()] = self._header[1]
        self._header = [b"", b""]

    def next_event(self) -> tuple[str, object] | None:
        """The next event, reading more of the body when none is waiting; None at its end."""
        while not self.events:
            if self.ended:
                return None
            chunk = self.pull()
            if not chunk:
                self.ended = True
                self.parser.finalize()
                continue
            self.read_bytes += len(chunk)
            if self.read_bytes > self.limit:
                raise BodyTooLarge(self.limit - BODY_MARGIN)
            self.parser.write(chunk)
        return self.events.popleft()


class _PartStream(io.RawIOBase):
    """One file part's content, read as it arrives (what store_upload copies and hashes)."""

    def __init__(self, parts: _Parts):
        self.parts = parts
        self.buffer = b""
        self.done = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]  # RawIOBase's buffer type
        while not self.buffer and not self.done:
            event = self.parts.next_event()
            if event is None or event[0] == "end":
                self.done = True
            elif event[0] == "data":
                assert isinstance(event[1], bytes)
                self.buffer = event[1]
        count = min(len(target), len(self.buffer))
        target[:count] = self.buffer[:count]
        self.buffer = self.buffer[count:]
        return count

    def drain(self) -> int:
        """Read the part to its end; how many bytes it had."""
        total = 0
        while chunk := self.read(1 << 16):
            total += len(chunk)
        return total


def read_upload_form(
    boundary: str,
    pull: Callable[[], bytes],
    *,
    files_dir: Path,
    limits: UploadLimits,
    token_ok: Callable[[dict[str, str]], bool],
) -> UploadForm:
    """Parse the body `pull` gives (blocking: a worker thread). `token_ok` judges the fields
    read so far when the first file arrives, and at the end: the page puts its token first,
    so no file of a forged form reaches the store. Raises CsrfRefusedBody, BodyTooLarge,
    BadForm, or the store's UploadRefused."""
    parts = _Parts(boundary, pull, body_limit(limits))
    form = UploadForm()
    count = 0
    while (event := parts.next_event()) is not None:
        if event[0] != "headers":
            continue
        count += 1
        if count > MAX_PARTS:
            raise BadForm(400, "Biểu mẫu có quá nhiều phần: không có gì được ghi.")
        assert isinstance(event[1], dict)
        name, filename = _disposition(event[1])
        stream = _PartStream(parts)
        if filename is None:
            form.fields.setdefault(name, _field_text(stream))
            continue
        if not token_ok(form.fields):
            raise TokenRefused
        if name != FILE_FIELD or not filename:
            stream.drain()  # a file input left empty sends an empty, nameless part
            continue
        used = sum(upload.size for upload in form.uploads)
        form.uploads.append(store_upload(files_dir, filename, stream, limits, used))  # type: ignore[arg-type]  # a RawIOBase is a binary stream
    if not token_ok(form.fields):
        raise TokenRefused
    return form


class TokenRefused(Exception):
    """The form's CSRF token is missing or wrong (checked before any file is stored)."""


def _disposition(headers: dict[bytes, bytes]) -> tuple[str, str | None]:
    _, options = parse_options_header(headers.get(b"content-disposition", b""))
    name = options.get(b"name", b"").decode("utf-8", "replace")
    filename = options.get(b"filename")
    return name, None if filename is None else filename.decode("utf-8", "replace")


def _field_text(stream: _PartStream) -> str:
    value = bytearray()
    while chunk := stream.read(1 << 14):
        value += chunk
        if len(value) > MAX_FIELD_BYTES:
            raise BadForm(413, "Một ô của biểu mẫu quá dài: ghi ngắn lại (không có gì được ghi).")
    try:
        return value.decode()
    except UnicodeDecodeError:
        raise BadForm(400, "Không đọc được biểu mẫu gửi lên: không có gì được ghi.") from None
