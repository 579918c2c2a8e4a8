"""Submissions as a portable CSV: every row in append order, undos by row number, not by id."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.errors import FileError, Problem
from models.moments import aware_in
from models.submissions import Submission, SubmissionKind

COLUMNS = (
    "ordinal",  # 1, 2, 3… the row's position in the file (= its append order)
    "deliverable",
    "unit",
    "kind",  # received, waived, undo
    "received_at",  # ISO-8601 with the offset, in the plan's timezone
    "recorded_at",
    "recorded_by",
    "note",
    "undoes",  # the ordinal of the row an undo cancels; empty otherwise
    "data",  # JSON object of the figures collected with a receipt; {} when none
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


def parse_submissions_csv(text: str, source: str, tz: ZoneInfo) -> list[SubmissionRecord]:
    """Records from CSV text; a time without offset is read in `tz`. Every problem is reported
    with its line and column (a FileError naming `source`)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            expected = ",".join(COLUMNS)
            raise FileError(source, [Problem(f"dòng tiêu đề phải là: {expected}", line=1)])
        records: list[SubmissionRecord] = []
        problems: list[Problem] = []
        line = reader.line_num + 1  # where the next record starts (a note may span lines)
        for number, values in enumerate(reader, start=1):
            try:
                records.append(_checked(_record(values, number, tz), records))
            except _BadValue as bad:
                problems.append(Problem(bad.message, bad.column, line))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FileError(
            source, [Problem(f"không đọc được tệp CSV: {exc}", line=reader.line_num)]
        ) from exc
    if problems:
        raise FileError(source, problems)
    return records


def _checked(record: SubmissionRecord, earlier: list[SubmissionRecord]) -> SubmissionRecord:
    """An undo cancels a receipt or a waiver of the same assignment."""
    if record.undoes is None:
        return record
    index = record.undoes - 1  # records are numbered from 1 in order, unless one was unreadable
    target = earlier[index] if index < len(earlier) else None
    if target is None or target.id != record.undoes:
        raise _BadValue("undoes", f"không đọc được dòng {record.undoes}")
    if target.kind is SubmissionKind.UNDO:
        raise _BadValue("undoes", f"dòng {record.undoes} cũng là một dòng hủy")
    if (target.deliverable, target.unit) != (record.deliverable, record.unit):
        raise _BadValue("undoes", f"dòng {record.undoes} thuộc một phân công khác")
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
        raise _BadValue("kind", f"{cell['kind']!r} không phải received, waived hay undo") from None
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
        raise _BadValue(column, f"{cell[column]!r} không phải thời điểm ISO-8601") from None
    return aware_in(moment, tz)


def _undoes(cell: dict[str, str], kind: SubmissionKind, ordinal: int) -> int | None:
    text = cell["undoes"]
    if kind is not SubmissionKind.UNDO:
        if text:
            raise _BadValue("undoes", "chỉ dòng hủy (undo) mới ghi số dòng nó hủy")
        return None
    if not text.isdigit() or not 1 <= int(text) < ordinal:
        raise _BadValue(
            "undoes",
            f"dòng hủy phải ghi số một dòng trước nó (1 đến {ordinal - 1}), không phải {text!r}",
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
