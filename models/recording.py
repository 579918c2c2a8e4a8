"""Recording an arrival, a waiver, an extension, a review decision, an acknowledgement, a
request for more time or its refusal, or an undo: the one path shared by the CLI, the flows,
the units' pages, the console and `plan import-submissions`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlmodel import Session

from models.acknowledgement import acknowledgement_data
from models.control_characters import checked
from models.errors import InvalidInputError, NotFoundError
from models.extension_requests import (
    check_request,
    pending_text,
    read_request,
    request_data,
    request_text,
    stored_request,
)
from models.extensions import check_extension, deadline_in_force, read_extension, stored_extension
from models.fields import Value, parse_values, values_text
from models.moments import aware_in, local_text
from models.plan import AssignmentRef, Plan
from models.review import DECISION_WORDS
from models.storage import store
from models.storage.locks import lock_assignment
from models.submissions import (
    REVIEW_KINDS,
    Submission,
    SubmissionKind,
    answer_to,
    live_receipts,
    pending_request,
    standing_rows,
    standings,
)


@dataclass(frozen=True)
class RecordRequest:
    """What a coordinator asks: `kind` is what is recorded, or undone when `undo`.

    `at` may be naive (typed without a timezone): it is then read in the plan's timezone."""

    plan: str
    deliverable: str
    unit: str
    kind: SubmissionKind
    at: datetime
    now: datetime
    recorded_by: str = ""
    note: str = ""
    undo: bool = False
    # Figures, as typed (receipts); the new deadline (extensions: models/extensions.py)
    data: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Recorded:
    """What a request did: a new row, or nothing because the same fact already stands."""

    plan: Plan
    submission: Submission | None
    already: Submission | None = None
    # A receipt recorded for an assignment that is waived: kept, but the waiver still decides.
    waived: Submission | None = None


MAX_NOTE_CHARACTERS = 2000  # a note says why; a document belongs in the file that was sent


def check_assignment(plan: Plan, deliverable: str, unit: str) -> AssignmentRef:
    """The assignment named by two codes, or a clear error with suggestions."""
    if deliverable not in plan.deliverables:
        raise NotFoundError("deliverable", deliverable, plan.deliverables)
    if unit not in plan.units:
        raise NotFoundError("unit", unit, plan.units)
    owners = plan.deliverables[deliverable].owners
    if unit not in owners:
        listed = ", ".join(owners[:5]) + (", …" if len(owners) > 5 else "")
        raise InvalidInputError(
            f"đơn vị '{unit}' không được giao nhiệm vụ '{deliverable}' "
            f"(các đơn vị được giao: {listed})"
        )
    return AssignmentRef(deliverable, unit)


def record(
    session: Session, request: RecordRequest, future_tolerance: timedelta = timedelta(minutes=10)
) -> Recorded:
    """Append one row after checking the codes, the time and what already stands."""
    lock_assignment(session, request.plan, request.deliverable, request.unit)
    snapshot = store.read_snapshot(session, request.plan)
    plan = snapshot.plan
    request = replace(request, at=aware_in(request.at, plan.tz))
    ref = AssignmentRef(request.deliverable, request.unit)
    decision = decide(
        plan, [s for s in snapshot.submissions if s.ref == ref], request, future_tolerance
    )
    if decision.already:
        return Recorded(plan, None, already=decision.already)
    undoes = decision.undoes.id if decision.undoes else None
    appended = _append(session, request, decision.kind, undoes, decision.values)
    return Recorded(plan, appended, waived=decision.waived)


def record_together(
    session: Session,
    requests: Sequence[RecordRequest],
    future_tolerance: timedelta = timedelta(minutes=10),
) -> list[Recorded]:
    """Several rows in one unit of work, each through `record` (a return that sets a new
    deadline: the return, then the extension): the caller's transaction keeps all or none."""
    return [record(session, request, future_tolerance) for request in requests]


@dataclass(frozen=True)
class Decision:
    """What one request comes to, decided from the plan and the assignment's rows alone: the
    row to append (`kind`, the row it `undoes`, the checked `values`), or nothing because the
    same fact `already` stands."""

    kind: SubmissionKind
    undoes: Submission | None = None
    values: Mapping[str, Value] = field(default_factory=dict)
    already: Submission | None = None
    waived: Submission | None = None  # a receipt added while a waiver stands


def decide(
    plan: Plan, mine: Sequence[Submission], request: RecordRequest, future_tolerance: timedelta
) -> Decision:
    """Every rule of recording, on the rows `mine` of the request's assignment (in append
    order): the codes, the figures, the time (not in the future, not a year before the plan),
    the note, and what already stands. The one check shared by `receive`, the flow and
    `plan import-submissions`."""
    ref = check_assignment(plan, request.deliverable, request.unit)
    at = aware_in(request.at, plan.tz)
    values = _collected(plan, request)
    if at > request.now + future_tolerance:
        raise InvalidInputError(
            f"thời điểm {local_text(at, plan.tz)} chưa tới: chỉ ghi nhận sau khi đơn vị đã nộp "
            "thực sự"
        )
    _check_not_too_early(plan, at)
    _check_note(request.note, request.recorded_by)
    standing = [s for s in standing_rows(mine, at) if s.kind is request.kind]
    if request.undo:
        if not standing:
            what = KIND_WORDS.get(request.kind, "ghi nhận")
            raise InvalidInputError(
                f"không có gì để hủy: tại thời điểm đó {ref.deliverable}/{ref.unit} không có "
                f"{what} nào còn hiệu lực"
            )
        target = max(standing, key=lambda s: (s.received_at, s.id))
        return Decision(SubmissionKind.UNDO, undoes=target)
    if request.kind is SubmissionKind.EXTENDED:
        return _extension(plan, mine, request, at)
    if request.kind in REVIEW_KINDS:
        return _review(plan, mine, request, at)
    if request.kind is SubmissionKind.ACKNOWLEDGED:
        return _acknowledgement(plan, mine, request, at)
    if request.kind is SubmissionKind.EXTENSION_REQUESTED:
        return _extension_request(plan, mine, request, at)
    if request.kind is SubmissionKind.EXTENSION_REFUSED:
        return _extension_refusal(plan, mine, request, at)
    # The same fact recorded again, even with another time, is reported, not added: what
    # stands by now (or by `at`, when later) counts, not only what stood at `at`. A receipt
    # sent back by a review no longer stands: the unit's next arrival is a new one.
    latest = max(at, request.now)
    if request.kind is SubmissionKind.RECEIVED:
        _check_after_return(plan, mine, request, at, latest)
        standing = live_receipts(mine, at)
        stands = live_receipts(mine, latest) or standing
    else:
        stands = [s for s in standing_rows(mine, latest) if s.kind is request.kind] or standing
    if stands:
        return Decision(request.kind, already=min(stands, key=lambda s: (s.received_at, s.id)))
    waivers = [s for s in standing_rows(mine, latest) if s.kind is SubmissionKind.WAIVED]
    waived = waivers[0] if request.kind is SubmissionKind.RECEIVED and waivers else None
    return Decision(request.kind, values=values, waived=waived)


# What each kind is called in a sentence ("không có lần miễn nào còn hiệu lực").
KIND_WORDS = {
    SubmissionKind.RECEIVED: "ghi nhận đã nộp",
    SubmissionKind.WAIVED: "lần miễn",
    SubmissionKind.EXTENDED: "lần gia hạn",
    SubmissionKind.ACCEPTED: "lần chấp nhận",
    SubmissionKind.RETURNED: "lần trả lại",
    SubmissionKind.ACKNOWLEDGED: "lần báo đã nhận nhiệm vụ",
    SubmissionKind.EXTENSION_REQUESTED: "đề nghị gia hạn",
    SubmissionKind.EXTENSION_REFUSED: "lần từ chối gia hạn",
}


def _check_after_return(
    plan: Plan, mine: Sequence[Submission], request: RecordRequest, at: datetime, latest: datetime
) -> None:
    """A new arrival after a return is dated after it: one dated before would be judged
    against a deadline the return had already reopened."""
    returns = [s for s in standing_rows(mine, latest) if s.kind is SubmissionKind.RETURNED]
    last = max(returns, key=lambda s: (s.received_at, s.id), default=None)
    if last is not None and at < last.received_at:
        raise InvalidInputError(
            f"{request.deliverable}/{request.unit} bị trả lại lúc "
            f"{local_text(last.received_at, plan.tz)} (#{last.id}): lần nộp lại phải sau thời "
            "điểm đó"
        )


def _review(
    plan: Plan, mine: Sequence[Submission], request: RecordRequest, at: datetime
) -> Decision:
    """Accepting or returning the latest arrival standing at `at`: a reason to return it; one
    decision per arrival (the same one again is reported, not added; the other one needs
    the first undone)."""
    name = f"{request.deliverable}/{request.unit}"
    if request.kind is SubmissionKind.RETURNED and not request.note.strip():
        raise InvalidInputError(
            'trả lại cần ghi lý do (--note), ví dụ --note "thiếu số liệu, yêu cầu bổ sung"'
        )
    receipts = [s for s in standing_rows(mine, at) if s.kind is SubmissionKind.RECEIVED]
    if not receipts:
        raise InvalidInputError(
            f"tại {local_text(at, plan.tz)} {name} không có lần nộp nào còn hiệu lực để duyệt"
        )
    receipt = max(receipts, key=lambda s: (s.received_at, s.id))
    latest = max(at, request.now)
    decided = [
        s for s in standing_rows(mine, latest) if s.kind in REVIEW_KINDS and s.undoes == receipt.id
    ]
    if any(s.kind is request.kind for s in decided):
        return Decision(request.kind, already=next(s for s in decided if s.kind is request.kind))
    if decided:
        other = decided[0]
        raise InvalidInputError(
            f"lần nộp #{receipt.id} của {name} đã được {DECISION_WORDS[other.kind]} lúc "
            f"{local_text(other.received_at, plan.tz)} (#{other.id}): muốn đổi thì hủy quyết "
            "định đó trước (--undo)"
        )
    return Decision(request.kind, undoes=receipt)


def _extension(
    plan: Plan, mine: Sequence[Submission], request: RecordRequest, at: datetime
) -> Decision:
    """An extension: a reason, a new deadline after the plan's, and something still owed at
    the grant; granting the same deadline again is reported, not added (the latest grant
    wins, so another deadline is a new row)."""
    if not request.note.strip():
        raise InvalidInputError("gia hạn cần ghi lý do (--note), để sau này còn biết vì sao")
    extension = read_extension(request.data, plan.tz)
    original = plan.deliverables[request.deliverable].deadline
    check_extension(extension, original, plan.tz, request.deliverable)
    _check_still_owed(plan, mine, request, at, "không còn gì để gia hạn")
    values = extension.as_data()
    latest = max(at, request.now)
    granted = [s for s in standing_rows(mine, latest) if s.kind is SubmissionKind.EXTENDED]
    last = max(granted, key=lambda s: (s.received_at, s.id), default=None)
    if last is not None and stored_extension(last.data, plan.tz) == extension:
        return Decision(request.kind, already=last)
    return Decision(request.kind, values=values)


def _acknowledgement(
    plan: Plan, mine: Sequence[Submission], request: RecordRequest, at: datetime
) -> Decision:
    """The unit has seen its task (models/acknowledgement.py): only while something is owed,
    and once (the second is reported, not added, whoever records it)."""
    values = acknowledgement_data(request.data)
    _check_still_owed(plan, mine, request, at, "không cần báo đã nhận nhiệm vụ nữa")
    latest = max(at, request.now)
    given = [s for s in standing_rows(mine, latest) if s.kind is SubmissionKind.ACKNOWLEDGED]
    if given:
        return Decision(request.kind, already=min(given, key=lambda s: (s.received_at, s.id)))
    return Decision(request.kind, values=values)


def _extension_request(
    plan: Plan, mine: Sequence[Submission], request: RecordRequest, at: datetime
) -> Decision:
    """A unit's request for more time (models/extension_requests.py): a reason, a day after
    the deadline in force and within a year of the plan's, something still owed, and no other
    request waiting (the same one again, a double click, is reported, not added)."""
    name = f"{request.deliverable}/{request.unit}"
    if not request.note.strip():
        raise InvalidInputError("đề nghị gia hạn cần ghi lý do, để Văn phòng cân nhắc")
    until = read_request(request.data)
    _check_still_owed(plan, mine, request, at, "không cần xin gia hạn nữa")
    latest = max(at, request.now)
    waiting = pending_request(standing_rows(mine, latest))
    if waiting is not None:
        asked = stored_request(waiting)
        if asked is not None and (asked.until, asked.reason) == (until, request.note):
            return Decision(request.kind, already=waiting)
        raise InvalidInputError(
            f"{name} đã có {pending_text(waiting, plan.tz)}, {request_text(waiting, plan.tz)}, "
            "đang chờ Văn phòng trả lời: mỗi lần chỉ một đề nghị; xin chờ trả lời rồi hãy gửi "
            "đề nghị khác"
        )
    original = plan.deliverables[request.deliverable].deadline
    standing = standings(mine, at).get(AssignmentRef(request.deliverable, request.unit))
    extensions = standing.extensions if standing else ()
    in_force = deadline_in_force(original, extensions, at, plan.tz)
    check_request(until, in_force, original, plan.tz, name)
    return Decision(request.kind, values=request_data(until))


def _extension_refusal(
    plan: Plan, mine: Sequence[Submission], request: RecordRequest, at: datetime
) -> Decision:
    """Refusing the request waiting at `at`, with a reason; refusing it again is reported,
    not added."""
    name = f"{request.deliverable}/{request.unit}"
    if not request.note.strip():
        raise InvalidInputError(
            'từ chối gia hạn cần ghi lý do (đơn vị sẽ đọc), ví dụ --note "hạn đã được lãnh đạo '
            'chốt"'
        )
    waiting = pending_request(standing_rows(mine, at))
    if waiting is not None:
        return Decision(request.kind, undoes=waiting)
    latest = standing_rows(mine, max(at, request.now))
    asked = [s for s in latest if s.kind is SubmissionKind.EXTENSION_REQUESTED]
    last = max(asked, key=lambda s: (s.received_at, s.id), default=None)
    answer = answer_to(last, latest) if last is not None else None
    if answer is not None and answer.kind is SubmissionKind.EXTENSION_REFUSED:
        return Decision(request.kind, already=answer)
    raise InvalidInputError(
        f"tại {local_text(at, plan.tz)} {name} không có đề nghị gia hạn nào đang chờ trả lời"
    )


def _check_still_owed(
    plan: Plan, mine: Sequence[Submission], request: RecordRequest, at: datetime, so: str
) -> None:
    """Refuse, saying `so`, when at `at` an arrival (not sent back) or a waiver stands: the
    assignment is settled, or waits on the Office's review."""
    waivers = [s for s in standing_rows(mine, at) if s.kind is SubmissionKind.WAIVED]
    settled = [*live_receipts(mine, at), *waivers]
    if not settled:
        return
    what = "đã nộp" if settled[0].kind is SubmissionKind.RECEIVED else "được miễn"
    since = local_text(settled[0].received_at, plan.tz)
    raise InvalidInputError(
        f"{request.deliverable}/{request.unit} {what} từ {since} (#{settled[0].id}): {so}"
    )


def _check_note(note: str, recorded_by: str) -> None:
    """A note of at most MAX_NOTE_CHARACTERS, and no control character in it or in the name of
    who recorded (they would reach terminals, pages and workbooks as they are)."""
    for where, text in (("ghi chú", note), ("người ghi nhận", recorded_by)):
        try:
            checked(text)
        except ValueError as error:
            raise InvalidInputError(f"{where}: {error}") from None
    if len(note) > MAX_NOTE_CHARACTERS:
        raise InvalidInputError(
            f"ghi chú dài {len(note)} ký tự, tối đa {MAX_NOTE_CHARACTERS}: ghi ngắn lại (tài "
            "liệu kèm theo thuộc về tệp đơn vị gửi)"
        )


# An arrival dated this long before a plan's first deadline is a typo (a wrong year), not a fact.
EARLIEST_BEFORE_FIRST_DEADLINE = timedelta(days=365)


def _check_not_too_early(plan: Plan, at: datetime) -> None:
    first_deadline = plan.first_deadline
    if first_deadline is None or at >= first_deadline - EARLIEST_BEFORE_FIRST_DEADLINE:
        return
    first = local_text(first_deadline, plan.tz, with_time=False)
    raise InvalidInputError(
        f"thời điểm {local_text(at, plan.tz)} sớm hơn hạn đầu tiên của kế hoạch ({first}) "
        "quá một năm: kiểm tra lại ngày, nhất là năm, của thời điểm đã nhập"
    )


def _collected(plan: Plan, request: RecordRequest) -> dict[str, Value]:
    """The figures of a new receipt, checked against the deliverable's fields (an extension's
    data, its new deadline, is checked by `_extension`; an acknowledgement's, its source, by
    `_acknowledgement`; a request's, the day it proposes, by `_extension_request`)."""
    own_data = (
        SubmissionKind.EXTENDED,
        SubmissionKind.ACKNOWLEDGED,
        SubmissionKind.EXTENSION_REQUESTED,
    )
    if request.kind in own_data and not request.undo:
        return {}
    if request.kind is not SubmissionKind.RECEIVED or request.undo:
        if request.data:
            raise InvalidInputError(
                "số liệu (--set) chỉ đi kèm ghi nhận đã nộp, không dùng khi miễn, gia hạn, duyệt "
                "hay hủy (--undo)"
            )
        return {}
    fields = plan.deliverables[request.deliverable].fields
    return parse_values(fields, request.data, request.deliverable)


def _append(
    session: Session,
    request: RecordRequest,
    kind: SubmissionKind,
    undoes: int | None,
    values: Mapping[str, Value] | None = None,
) -> Submission:
    return store.append_submission(
        session,
        request.plan,
        deliverable=request.deliverable,
        unit=request.unit,
        kind=kind,
        received_at=request.at,
        recorded_at=request.now,
        recorded_by=request.recorded_by,
        note=request.note,
        undoes=undoes,
        data=dict(values or {}),
    )


def describe(result: Recorded, request: RecordRequest) -> str:
    """The sentence a coordinator reads after recording (CLI and the flow), in Vietnamese."""
    plan = result.plan
    name = f"{request.deliverable} · {plan.unit_name(request.unit)}"
    if result.already:
        when = local_text(result.already.received_at, plan.tz)
        told = f"Đã có từ trước: {name} ({when}, #{result.already.id}); không ghi thêm."
        if request.data and dict(result.already.data) != dict(_given(plan, request)):
            told += " Muốn sửa số liệu: hủy (--undo) rồi ghi nhận lại với --set."
        elif aware_in(request.at, plan.tz) != result.already.received_at:
            told += " Muốn sửa thời điểm: hủy (--undo) rồi ghi nhận lại với --at."
        return told
    assert result.submission is not None
    if request.undo:
        return f"Đã hủy ghi nhận: {name} (dòng #{result.submission.undoes})."
    if request.kind is SubmissionKind.EXTENDED:
        return _granted(plan, name, result.submission)
    if request.kind in REVIEW_KINDS:
        return _decided(plan, name, result.submission)
    if request.kind is SubmissionKind.EXTENSION_REQUESTED:
        when = local_text(result.submission.received_at, plan.tz)
        asked = request_text(result.submission, plan.tz)
        return f"Đã ghi đề nghị: {name} {asked}, lúc {when}. Hạn nộp chưa đổi cho tới khi duyệt."
    if request.kind is SubmissionKind.EXTENSION_REFUSED:
        when = local_text(result.submission.received_at, plan.tz)
        return (
            f"Đã từ chối gia hạn: {name} (đề nghị #{result.submission.undoes}), lúc {when}. "
            f"Lý do: {result.submission.note}. Hạn nộp giữ nguyên."
        )
    if request.kind is SubmissionKind.ACKNOWLEDGED:
        when = local_text(result.submission.received_at, plan.tz)
        return (
            f"Đã ghi: {name} đã nhận nhiệm vụ lúc {when}. Phân công vẫn phải nộp như cũ (báo "
            "nhận không đổi hạn hay tình trạng)."
        )
    verb = "Đã ghi nhận" if request.kind is SubmissionKind.RECEIVED else "Đã miễn"
    told = f"{verb}: {name} lúc {local_text(result.submission.received_at, plan.tz)}."
    figures = values_text(plan.deliverables[request.deliverable].fields, result.submission.data)
    told = f"{told} {figures}" if figures else told
    if result.waived:
        since = local_text(result.waived.received_at, plan.tz)
        told += (
            f" Lưu ý: phân công này được miễn từ {since} (#{result.waived.id}): trạng thái vẫn "
            "là Miễn cho tới khi bỏ miễn (dondoc waive … --undo)."
        )
    return told


def _granted(plan: Plan, name: str, row: Submission) -> str:
    """ "Đã gia hạn: … gia hạn đến 12/03/2023 (hạn gốc: …), từ 10/03/2023 09:00." """
    original = plan.deliverables[row.deliverable].deadline
    extension = stored_extension(row.data, plan.tz)
    assert original is not None and extension is not None, "checked by decide"
    since = local_text(row.received_at, plan.tz)
    return f"Đã gia hạn: {name}: {extension.deadline(original, plan.tz).label()}, từ {since}."


def _decided(plan: Plan, name: str, row: Submission) -> str:
    """ "Đã trả lại: … (lần nộp #4), từ 10/03/2023 09:00. Lý do: thiếu số liệu." """
    verb = "Đã chấp nhận" if row.kind is SubmissionKind.ACCEPTED else "Đã trả lại"
    told = f"{verb}: {name} (lần nộp #{row.undoes}), từ {local_text(row.received_at, plan.tz)}."
    if row.kind is SubmissionKind.RETURNED:
        told += f" Lý do: {row.note}. Phân công mở lại cho tới khi đơn vị nộp lại."
    return told


def _given(plan: Plan, request: RecordRequest) -> dict[str, Value]:
    try:
        return parse_values(plan.deliverables[request.deliverable].fields, request.data, "")
    except InvalidInputError:
        return {}
