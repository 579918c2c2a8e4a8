"""Importing exported submissions: every row passes the rules `receive` applies, or none is kept.

An export is a history: receipts, waivers, extensions, review decisions, acknowledgements and
undos in the order they were typed, each with when it took effect (`received_at`) and when it
was typed (`recorded_at`). Importing it replays that history through `recording.decide`, the
check of `receive`, with each row's `recorded_at` as its "now", so a file can hold nothing that
`receive` would have refused: figures that do not fit their field, a date in 2099 or 1970, two
receipts standing for one assignment, an undo of a row already undone, figures on a waiver, an
extension without a reason or to a date before the plan's, a return without a reason or about
another arrival than the one that stood, an acknowledgement of work already delivered, a second
request for more time while one waits, a refusal of a request that was not waiting. Every
bad line is reported at once and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel import Session

from models.errors import FileError, InputError, InvalidInputError, Problem
from models.files.submissions_csv import SubmissionsFile
from models.moments import local_text
from models.plan import AssignmentRef, Plan
from models.recording import KIND_WORDS, RecordRequest, decide
from models.storage import store
from models.submissions import DECISION_TARGETS, Submission, SubmissionKind


def checked_history(
    plan: Plan, file: SubmissionsFile, now: datetime, future_tolerance: timedelta
) -> tuple[list[Submission], list[Problem]]:
    """The records as `receive` would have stored them (figures converted to their field's
    type), and what it would have refused, row by row in the file's order (one problem per bad
    row, on the row's line). A refused row does not count for the rows after it."""
    problems: list[Problem] = []
    accepted: dict[int, Submission] = {}
    by_ref: dict[AssignmentRef, list[Submission]] = {}
    for record in file.records:
        try:
            kept = _checked_row(plan, record, accepted, by_ref, now, future_tolerance)
        except _UndoOfRefusedRow:
            continue
        except InputError as error:
            problems.append(Problem(str(error), line=file.lines.get(record.id)))
            continue
        accepted[kept.id] = kept
        by_ref.setdefault(kept.ref, []).append(kept)
    return list(accepted.values()), problems


def import_history(
    session: Session,
    plan_code: str,
    file: SubmissionsFile,
    now: datetime,
    future_tolerance: timedelta,
) -> int:
    """Append the file's submissions to a plan that has none, all or nothing: a FileError lists
    every unreadable or refused row with its line."""
    plan = store.read_snapshot(session, plan_code).plan
    records, refused = checked_history(plan, file, now, future_tolerance)
    problems = [*file.problems, *refused]
    if problems:
        raise FileError(file.source, sorted(problems, key=lambda p: p.line or 0))
    return store.insert_submission_records(session, plan_code, records)


class _UndoOfRefusedRow(Exception):
    """An undo of a row, or a decision about a receipt, that was itself refused: that row's
    line already says what is wrong."""


def _checked_row(
    plan: Plan,
    record: Submission,
    accepted: Mapping[int, Submission],
    by_ref: Mapping[AssignmentRef, list[Submission]],
    now: datetime,
    future_tolerance: timedelta,
) -> Submission:
    if record.recorded_at > now + future_tolerance:
        when = local_text(record.recorded_at, plan.tz)
        raise InvalidInputError(
            f"thời điểm ghi (recorded_at) {when} chưa tới: tệp ghi nhận không thể chứa điều "
            "chưa xảy ra"
        )
    target = None
    if record.kind is SubmissionKind.UNDO:
        target = accepted.get(record.undoes or 0)
        if target is None:
            raise _UndoOfRefusedRow
    decided = accepted.get(record.undoes or 0) if record.kind in DECISION_TARGETS else None
    if record.kind in DECISION_TARGETS and decided is None:
        raise _UndoOfRefusedRow  # the receipt's (the request's) own line says what is wrong
    request = RecordRequest(
        plan.code,
        record.deliverable,
        record.unit,
        target.kind if target else record.kind,
        at=record.received_at,
        now=record.recorded_at,
        recorded_by=record.recorded_by,
        note=record.note,
        undo=target is not None,
        data=record.data,
    )
    decision = decide(plan, by_ref.get(record.ref, []), request, future_tolerance)
    if decision.already:
        what = KIND_WORDS.get(request.kind, "ghi nhận")
        since = local_text(decision.already.received_at, plan.tz)
        raise InvalidInputError(
            f"{record.deliverable}/{record.unit} đã có {what} còn hiệu lực từ dòng "
            f"{decision.already.id} ({since}): mỗi phân công chỉ giữ một; muốn ghi lại thì "
            "thêm trước đó một dòng hủy (undo) dòng ấy"
        )
    if decided is not None and decision.undoes != decided:
        raise InvalidInputError(
            f"dòng {record.kind.value} nhắm vào dòng {decided.id}, nhưng lúc đó dòng còn hiệu "
            f"lực là dòng {decision.undoes.id if decision.undoes else '?'}"
        )
    if target is not None and decision.undoes != target:
        raise InvalidInputError(
            f"dòng hủy nhắm vào dòng {target.id}, nhưng lúc đó dòng còn hiệu lực là dòng "
            f"{decision.undoes.id if decision.undoes else '?'}"
        )
    return replace(record, data=dict(decision.values))
