"""Requests for more time (xin gia hạn): a unit proposes a new day and says why; a coordinator
grants it (an `extended` row, as `dondoc extend` records) or refuses it with a reason.

A request is one more append-only row of the submissions history (kind
`extension_requested`): `received_at` is when the unit asked, `data` the day it proposes as
written, `{"due": "20/03/2023"}` ("through that day", like `--until`), `note` its reason. It
changes no deadline and no status: the plan's deadline, or the extension in force, still
counts until a coordinator grants one. A refusal (kind `extension_refused`) names the request
in `undoes`, with its reason in `note`. One request waits at a time (models/submissions.py,
`pending_request`); none once the work is delivered or excused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from models.deadlines import Deadline, DueKind
from models.errors import InvalidInputError, shown
from models.extensions import LONGEST_EXTENSION, Extension
from models.moments import local_text
from models.submissions import Submission

KEYS = ("due",)
DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DAY_FORMAT = "%d/%m/%Y"


@dataclass(frozen=True)
class ExtensionRequest:
    """A pending request as people read it: the day proposed, why, when it was asked, its row."""

    until: date
    reason: str
    at: datetime
    row: int

    def extension(self) -> Extension:
        """What granting it as asked records: "gia hạn đến <until>"."""
        return Extension(DueKind.BY, self.until)

    @property
    def until_text(self) -> str:
        return self.until.strftime(DAY_FORMAT)


def read_request(data: Mapping[str, object]) -> date:
    """The day a request proposes (`due`, dd/mm/yyyy), or an InvalidInputError saying what to
    write."""
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InvalidInputError(
            f"đề nghị gia hạn chỉ ghi hạn đề nghị (due): bỏ {', '.join(unknown)}"
        )
    text = str(data.get("due") or "").strip()
    if not text:
        raise InvalidInputError("đề nghị gia hạn cần hạn đề nghị, ghi dd/mm/yyyy, ví dụ 20/03/2023")
    found = DAY.match(text)
    try:
        if found is None:
            raise ValueError(text)
        day, month, year = (int(part) for part in found.groups())
        return date(year, month, day)
    except ValueError:
        raise InvalidInputError(
            f"không đọc được hạn đề nghị '{shown(text)}': ghi ngày theo dd/mm/yyyy, ví dụ "
            "20/03/2023"
        ) from None


def request_data(until: date) -> dict[str, str]:
    """What the row stores: the day as written, dd/mm/yyyy."""
    return {"due": until.strftime(DAY_FORMAT)}


def stored_request(row: Submission) -> ExtensionRequest | None:
    """The request a stored row holds; None for one that cannot be read (edited by hand)."""
    try:
        until = read_request(row.data)
    except InvalidInputError:
        return None
    return ExtensionRequest(until, row.note, row.received_at, row.id)


def check_request(
    until: date, in_force: Deadline | None, original: Deadline | None, tz: ZoneInfo, name: str
) -> None:
    """Refuse a day that would not move the deadline in force later, or that a grant could
    not give (more than LONGEST_EXTENSION after the plan's deadline: a typo, a wrong year)."""
    if in_force is None or original is None:
        raise InvalidInputError(f"nhiệm vụ {name} không có hạn nộp: không cần xin gia hạn")
    asked = Extension(DueKind.BY, until).deadline(original, tz)
    if asked.due_at <= in_force.due_at:
        raise InvalidInputError(
            f"hạn đề nghị {until.strftime(DAY_FORMAT)} phải sau hạn đang áp dụng "
            f"({in_force.label()})"
        )
    if asked.due_at > original.due_at + LONGEST_EXTENSION:
        raise InvalidInputError(
            f"hạn đề nghị {until.strftime(DAY_FORMAT)} xa hạn gốc ({original.label()}) hơn một "
            "năm: kiểm tra lại ngày, nhất là năm"
        )


def request_text(row: Submission, tz: ZoneInfo) -> str:
    """ "xin gia hạn đến 20/03/2023" for a stored request ("" when it cannot be read)."""
    request = stored_request(row)
    return f"xin gia hạn đến {request.until_text}" if request else ""


def pending_text(row: Submission, tz: ZoneInfo) -> str:
    """ "đề nghị #7 (gửi lúc 10/03/2023 09:00)": how a sentence names a request."""
    return f"đề nghị #{row.id} (gửi lúc {local_text(row.received_at, tz)})"
