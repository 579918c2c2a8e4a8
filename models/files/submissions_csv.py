"""Submissions as a portable CSV: every row in append order, undos by row number, not by id."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.errors import FileError, Problem, shown
from models.submissions import DECISION_TARGETS, Submission, SubmissionKind

COLUMNS = (
    "ordinal",  # 1, 2, 3… the row's position in the file (= its append order)
    "deliverable",
    "unit",
    # received, waived, extended, accepted, returned, acknowledged, extension_requested,
    # extension_refused, undo
    "kind",
    "received_at",  # ISO-8601 with the offset, in the plan's timezone
    "recorded_at",
    "recorded_by",
    "note",
    # the ordinal of the row an undo cancels, of the receipt a review (accepted, returned)
    # decides on, or of the request a refusal (extension_refused) answers; empty otherwise
    "undoes",
    # JSON object of the figures collected with a receipt, an extension's new deadline
    # ({"due_kind": "by", "due": "2023-03-12"}), who recorded an acknowledgement
    # ({"source": "web"}), the day a request for more time proposes ({"due": "20/03/2023"});
    # {} when none
    "data",
)


# One submission as exported: the domain's Submission, numbered by file position instead of
# database id — `id` is the row's ordinal (1, 2, 3… in append order) and `undoes` the ordinal
# of the row an undo cancels — so a file means the same in any database.
SubmissionRecord = Submission


def records_of(submissions: Sequence[Submission]) -> list[SubmissionRecord]:
    """Submissions (in append order, with their database ids) as records numbered from 1,
    each undo naming its row's number."""
    ordinal = {submission.id: n for n, submission in enumerate(submissions, start=1)}
    return [
        replace(
            submission,
            id=ordinal[submission.id],
            undoes=None if submission.undoes is None else ordinal.get(submission.undoes),
        )
        for submission in submissions
    ]


# A cell starting with one of these is a formula to a spreadsheet (CSV injection): written
# behind an apostrophe, which spreadsheets show as text and the import takes off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_cell(text: str) -> str:
    """Free text as a CSV cell a spreadsheet will not run: behind one more apostrophe when,
    after any apostrophes it has, it starts like a formula (so `from_cell` gives it back)."""
    return f"'{text}" if _formula_like(text) else text


def from_cell(cell: str) -> str:
    """The text `as_cell` wrote."""
    return cell[1:] if cell.startswith("'") and _formula_like(cell) else cell


def _formula_like(text: str) -> bool:
    return text.lstrip("'")[:1] in FORMULA_STARTS


def submissions_csv(records: Sequence[SubmissionRecord], tz: ZoneInfo) -> str:
    """The CSV text (UTF-8, header first, `\\r\\n` line ends as the csv module writes them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow(
            [
                record.id,
                record.deliverable,
                record.unit,
                record.kind.value,
                record.received_at.astimezone(tz).isoformat(),
                record.recorded_at.astimezone(tz).isoformat(),
                as_cell(record.recorded_by),
                as_cell(record.note),
                "" if record.undoes is None else record.undoes,
                json.dumps(dict(record.data), ensure_ascii=False, sort_keys=True),
            ]
        )
    return buffer.getvalue()


@dataclass(frozen=True)
class SubmissionsFile:
    """A CSV of submissions as read: the readable records (ids are their ordinals), the line each
    record starts on, and the problems of the rows that could not be read."""

    source: str
    records: Sequence[SubmissionRecord]
    lines: Mapping[int, int]
    problems: Sequence[Problem] = ()


def parse_submissions_csv(text: str, source: str, tz: ZoneInfo) -> list[SubmissionRecord]:
    """Records from CSV text, or a FileError naming `source` with every unreadable row."""
    read = read_submissions_csv(text, source, tz)
    if read.problems:
        raise FileError(source, list(read.problems))
    return list(read.records)


def read_submissions_csv(text: str, source: str, tz: ZoneInfo) -> SubmissionsFile:
    """What CSV text holds: its readable records, and a problem with its line and column for
    each row that cannot be read. A header other than COLUMNS, or text the csv module cannot
    split, is a FileError at once."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[SubmissionRecord] = []
    by_ordinal: dict[int, SubmissionRecord] = {}
    lines: dict[int, int] = {}
    problems: list[Problem] = []
    try:
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            expected = ",".join(COLUMNS)
            raise FileError(source, [Problem(f"dòng tiêu đề phải là: {expected}", line=1)])
        line = reader.line_num + 1  # where the next record starts (a note may span lines)
        for number, values in enumerate(reader, start=1):
            try:
                records.append(_checked(_record(values, number, tz), by_ordinal))
                by_ordinal[number] = records[-1]
                lines[number] = line
            except _BadValue as bad:
                problems.append(Problem(bad.message, bad.column, line))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FileError(
            source, [Problem(f"không đọc được tệp CSV: {exc}", line=reader.line_num)]
        ) from exc
    return SubmissionsFile(source, records, lines, problems)


def _checked(record: SubmissionRecord, earlier: Mapping[int, SubmissionRecord]) -> SubmissionRecord:
    """An undo cancels a receipt, a waiver, an extension, a review decision, an
    acknowledgement, a request or a refusal of the same assignment; a review decision is about
    a receipt of it, a refusal about a request (`earlier`: the readable records before it, by
    ordinal)."""
    if record.undoes is None:
        return record
    target = earlier.get(record.undoes)
    if target is None:
        raise _BadValue("undoes", f"không đọc được dòng {record.undoes}")
    if target.kind is SubmissionKind.UNDO:
        raise _BadValue("undoes", f"dòng {record.undoes} cũng là một dòng hủy")
    if (target.deliverable, target.unit) != (record.deliverable, record.unit):
        raise _BadValue("undoes", f"dòng {record.undoes} thuộc một phân công khác")
    expected = DECISION_TARGETS.get(record.kind)
    if expected is not None and target.kind is not expected:
        what = "một lần nộp" if expected is SubmissionKind.RECEIVED else "một đề nghị gia hạn"
        raise _BadValue("undoes", f"dòng {record.undoes} không phải {what} ({expected.value})")
    return record


class _BadValue(Exception):
    def __init__(self, column: str, message: str):
        self.column, self.message = column, message


def _record(values: list[str], expected: int, tz: ZoneInfo) -> SubmissionRecord:
    if len(values) != len(COLUMNS):
        raise _BadValue("", f"có {len(values)} giá trị, cần {len(COLUMNS)}")
    cell = dict(zip(COLUMNS, values, strict=True))
    if cell["ordinal"] != str(expected):
        raise _BadValue("ordinal", f"các dòng được đánh số 1, 2, 3…: cần {expected}")
    for column in ("deliverable", "unit"):
        if not cell[column]:
            raise _BadValue(column, "không được để trống")
    try:
        kind = SubmissionKind(cell["kind"])
    except ValueError:
        raise _BadValue(
            "kind",
            f"{cell['kind']!r} không phải received, waived, extended, accepted, returned, "
            "acknowledged, extension_requested, extension_refused hay undo",
        ) from None
    return SubmissionRecord(
        id=expected,
        deliverable=cell["deliverable"],
        unit=cell["unit"],
        kind=kind,
        received_at=_moment(cell, "received_at", tz),
        recorded_at=_moment(cell, "recorded_at", tz),
        recorded_by=from_cell(cell["recorded_by"]),
        note=from_cell(cell["note"]),
        undoes=_undoes(cell, kind, expected),
        data=_data(cell),
    )


def _moment(cell: dict[str, str], column: str, tz: ZoneInfo) -> datetime:
    try:
        moment = datetime.fromisoformat(cell[column])
    except ValueError:
        shown_text = shown(cell[column])
        raise _BadValue(column, f"{shown_text!r} không phải thời điểm ISO-8601") from None
    if moment.tzinfo is None:  # an export always writes the offset: without it, which day?
        raise _BadValue(
            column,
            f"{shown(cell[column])!r} thiếu độ lệch múi giờ, ví dụ 2023-03-08T10:00:00+07:00",
        )
    return moment.astimezone(tz)


def _undoes(cell: dict[str, str], kind: SubmissionKind, ordinal: int) -> int | None:
    text = cell["undoes"]
    if kind is not SubmissionKind.UNDO and kind not in DECISION_TARGETS:
        if text:
            raise _BadValue(
                "undoes",
                "chỉ dòng hủy (undo), dòng duyệt (accepted, returned) và dòng từ chối gia hạn "
                "(extension_refused) mới ghi số dòng",
            )
        return None
    what = {SubmissionKind.UNDO: "dòng hủy", SubmissionKind.EXTENSION_REFUSED: "dòng từ chối"}.get(
        kind, "dòng duyệt"
    )
    if not text.isdigit() or not 1 <= int(text) < ordinal:
        raise _BadValue(
            "undoes",
            f"{what} phải ghi số một dòng trước nó (1 đến {ordinal - 1}), không phải {text!r}",
        )
    return int(text)


def _data(cell: dict[str, str]) -> dict[str, Any]:
    if not cell["data"]:
        return {}
    try:
        data = json.loads(cell["data"])
    except ValueError:
        raise _BadValue("data", "không phải JSON") from None
    if not isinstance(data, dict):
        raise _BadValue("data", "cần một đối tượng JSON ({} khi không có số liệu)")
    return data
