"""Extensions (gia hạn): one assignment's deadline moved by a coordinator, from the grant on.

An extension is a row of the submissions history (kind `extended`): `received_at` is when it
was granted, `data` the new deadline as written, `{"due_kind": "by", "due": "2023-03-12"}`.
From the grant on it is the deadline in force for that assignment alone (the deliverables
that wait on it keep theirs); before the grant the plan's deadline stands, so a replay of an
earlier day is unchanged. The plan's deadline is kept as `Deadline.original`, so people see
both and statistics count extended work apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from models.deadlines import Deadline, DueKind, resolve
from models.errors import InvalidInputError, shown
from models.moments import parse_moment
from models.submissions import Submission

# `on` names an event's day, not a time limit: an extension is "until", "before" or "at".
EXTENSION_KINDS: tuple[DueKind, ...] = (DueKind.BY, DueKind.BEFORE, DueKind.AT)
DEFAULT_KIND = DueKind.BY  # "gia hạn đến 12/03" means through the 12th
KEYS = ("due_kind", "due")
# A new deadline this long after the plan's is a typo (a wrong year), not a favour.
LONGEST_EXTENSION = timedelta(days=365)
DAY_ONLY = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$")


@dataclass(frozen=True)
class Extension:
    """A new deadline as written: a day for `by` and `before`, a plan-local time for `at`."""

    kind: DueKind
    written: date | datetime

    def as_data(self) -> dict[str, str]:
        """What the row stores (and an export carries): ISO text, plan-local."""
        return {"due_kind": self.kind.value, "due": self.written.isoformat()}

    def deadline(self, original: Deadline, tz: ZoneInfo) -> Deadline:
        """The deadline in force once granted, remembering the plan's one it replaces."""
        return replace(resolve(self.kind, self.written, tz), original=original.original or original)


def read_extension(data: Mapping[str, object], tz: ZoneInfo) -> Extension:
    """The extension a request or a file row gives, or an InvalidInputError saying what to
    write: `due` a day (dd/mm/yyyy or yyyy-mm-dd), or a time for `due_kind: at`."""
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InvalidInputError(
            f"gia hạn chỉ ghi hạn mới (due_kind, due), không kèm số liệu: bỏ {', '.join(unknown)}"
        )
    kind = _kind(data.get("due_kind", DEFAULT_KIND.value))
    text = str(data.get("due") or "").strip()
    if not text:
        raise InvalidInputError("gia hạn cần hạn mới, ví dụ --until 12/03/2023")
    if kind is DueKind.AT:
        moment = parse_moment(text, None)
        local = moment.astimezone(tz).replace(tzinfo=None) if moment.tzinfo else moment
        return Extension(kind, local)
    if not DAY_ONLY.match(text):
        raise InvalidInputError(
            f"hạn gia hạn '{shown(text)}' chỉ ghi ngày (dd/mm/yyyy); muốn ghi cả giờ thì dùng "
            "--kind at"
        )
    return Extension(kind, parse_moment(text, None).date())


def _kind(value: object) -> DueKind:
    allowed = [k.value for k in EXTENSION_KINDS]
    if value not in allowed:
        raise InvalidInputError(
            f"kiểu hạn gia hạn '{shown(str(value))}' không dùng được: chọn một trong "
            f"{', '.join(allowed)}"
        )
    return DueKind(str(value))


def stored_extension(data: Mapping[str, object], tz: ZoneInfo) -> Extension | None:
    """The extension a stored row holds; None for one that cannot be read (a database edited
    by hand): the plan's deadline then stands, as if it had not been granted."""
    try:
        return read_extension(data, tz)
    except InvalidInputError:
        return None


def extension_text(data: Mapping[str, object], tz: ZoneInfo) -> str:
    """ "gia hạn đến 12/03/2023" for a stored row's data ("" when it cannot be read)."""
    extension = stored_extension(data, tz)
    if extension is None:
        return ""
    return resolve(extension.kind, extension.written, tz).extension_label()


def deadline_in_force(
    original: Deadline | None, extensions: Sequence[Submission], moment: datetime, tz: ZoneInfo
) -> Deadline | None:
    """The deadline that counts at `moment`: that of the latest extension granted by then
    (`extensions` standing, in order of effect), else the plan's. Nothing to extend without
    a deadline."""
    if original is None:
        return None
    for row in reversed(extensions):
        if row.received_at <= moment:
            extension = stored_extension(row.data, tz)
            if extension is not None:
                return extension.deadline(original, tz)
    return original


def check_extension(
    extension: Extension, original: Deadline | None, tz: ZoneInfo, deliverable: str
) -> Deadline:
    """The new deadline, refused unless the deliverable has a deadline and the new one falls
    after it, within LONGEST_EXTENSION."""
    if original is None:
        raise InvalidInputError(
            f"nhiệm vụ '{deliverable}' không có hạn nộp: không có gì để gia hạn"
        )
    extended = extension.deadline(original, tz)
    if extended.due_at <= original.due_at:
        raise InvalidInputError(
            f"hạn mới ({extended.extension_label()}) phải sau hạn gốc ({original.label()})"
        )
    if extended.due_at > original.due_at + LONGEST_EXTENSION:
        raise InvalidInputError(
            f"hạn mới ({extended.extension_label()}) xa hạn gốc ({original.label()}) hơn một "
            "năm: kiểm tra lại ngày, nhất là năm"
        )
    return extended
