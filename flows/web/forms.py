"""Reading a form a browser POSTs (application/x-www-form-urlencoded), within a size limit.

The app's forms are small (a few codes, a reason, some figures), so the body is read whole
but never more than `MAX_FORM_BYTES`; a larger one, or another encoding, is refused before
anything is parsed. Starlette's own `request.form()` would need python-multipart for this."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

FORM_TYPE = "application/x-www-form-urlencoded"
# A return reason is at most 2,000 characters (models/recording.py), 18 bytes each at worst
# once percent-encoded; a form with figures stays far below this.
MAX_FORM_BYTES = 64 * 1024
MAX_FIELDS = 200


class FormRefused(Exception):
    """A body that is not a form of ours; `status` (413, 415, 400) and a Vietnamese message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


async def read_form(request: Request) -> dict[str, str]:
    """The form's fields (the first value of a name given twice), or FormRefused."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != FORM_TYPE:
        raise FormRefused(415, "Yêu cầu không phải biểu mẫu của trang: không có gì được ghi.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise FormRefused(413, "Biểu mẫu gửi lên quá lớn: ghi ngắn lại (không có gì được ghi).")
    try:
        pairs = parse_qsl(
            body.decode(), keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS
        )
    except (UnicodeDecodeError, ValueError):
        raise FormRefused(400, "Không đọc được biểu mẫu gửi lên: không có gì được ghi.") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        form.setdefault(name, value)
    return form
