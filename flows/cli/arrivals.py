"""`dondoc receive`, `dondoc waive`, `dondoc extend`, `dondoc review` and `dondoc acknowledge`:
record that a unit delivered, is excused, was given more time, had its arrival accepted or
returned, or has seen its task, or undo it."""

from __future__ import annotations

import getpass
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from flows.cli._app import Deliverable, PlanCode, Unit, app, cli_errors, now, out

if TYPE_CHECKING:  # the domain is imported only when a command runs
    from models.submissions import Submission

At = Annotated[
    str | None,
    typer.Option("--at", help="Thời điểm (ISO-8601 hoặc dd/mm/yyyy HH:MM); mặc định: bây giờ."),
]
Note = Annotated[str, typer.Option("--note", help="Ghi chú.")]
By = Annotated[
    str | None, typer.Option("--by", help="Người ghi nhận; mặc định: tài khoản hiện tại.")
]
Undo = Annotated[
    bool, typer.Option("--undo", help="Hủy lần ghi nhận gần nhất (ghi thêm một dòng hủy).")
]
Figures = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Số liệu kèm theo, dạng tên=giá trị (lặp lại được), ví dụ --set so_dai_bieu=12.",
    ),
]


@app.command()
@cli_errors
def receive(
    plan: PlanCode,
    deliverable: Deliverable,
    unit: Unit,
    at: At = None,
    note: Note = "",
    by: By = None,
    undo: Undo = False,
    figures: Figures = None,
) -> None:
    """Ghi nhận một đơn vị đã nộp (hoặc --undo để hủy lần ghi nhận gần nhất)."""
    _record("received", plan, deliverable, unit, at, note, by, undo, figures)


@app.command()
@cli_errors
def waive(
    plan: PlanCode,
    deliverable: Deliverable,
    unit: Unit,
    at: At = None,
    note: Note = "",
    by: By = None,
    undo: Undo = False,
) -> None:
    """Miễn cho một đơn vị một nhiệm vụ (hoặc --undo để bỏ miễn)."""
    _record("waived", plan, deliverable, unit, at, note, by, undo)


Until = Annotated[
    str,
    typer.Option("--until", help="Hạn mới, dd/mm/yyyy (với --kind at: dd/mm/yyyy HH:MM)."),
]
DueKindOption = Annotated[
    str,
    typer.Option(
        "--kind",
        help="by: chậm nhất hết ngày đó (mặc định); before: trước ngày đó; at: trước giờ đã ghi.",
    ),
]
Reason = Annotated[str, typer.Option("--note", help="Lý do gia hạn (bắt buộc khi gia hạn).")]


@app.command()
@cli_errors
def extend(
    plan: PlanCode,
    deliverable: Deliverable,
    unit: Unit,
    until: Until = "",
    kind: DueKindOption = "by",
    note: Reason = "",
    by: By = None,
    at: At = None,
    undo: Undo = False,
) -> None:
    """Gia hạn cho một đơn vị một nhiệm vụ, từ lúc cho phép (hoặc --undo để hủy lần gia hạn)."""
    due = {} if undo else {"due_kind": kind, "due": until}
    _record("extended", plan, deliverable, unit, at, note, by, undo, row_data=due)


Accept = Annotated[bool, typer.Option("--accept", help="Chấp nhận lần nộp đang có hiệu lực.")]
SendBack = Annotated[
    bool,
    typer.Option("--return", help="Trả lại, yêu cầu bổ sung (cần --note lý do); mở lại phân công."),
]
ReturnReason = Annotated[
    str, typer.Option("--note", help="Lý do trả lại (bắt buộc khi trả lại), gửi tới đơn vị.")
]
NewDeadline = Annotated[
    str | None,
    typer.Option("--until", help="Khi trả lại: hạn mới, dd/mm/yyyy (mặc định: giữ hạn cũ)."),
]


@app.command()
@cli_errors
def review(
    plan: PlanCode,
    deliverable: Deliverable,
    unit: Unit,
    accept: Accept = False,
    send_back: SendBack = False,
    note: ReturnReason = "",
    until: NewDeadline = None,
    by: By = None,
    at: At = None,
    undo: Undo = False,
) -> None:
    """Duyệt lần nộp của một đơn vị: --accept chấp nhận, hoặc --return trả lại kèm lý do (hoặc
    --undo để hủy quyết định đó)."""
    from models.errors import InvalidInputError

    if accept == send_back:
        raise InvalidInputError("chọn đúng một trong --accept (chấp nhận) hoặc --return (trả lại)")
    if until and (accept or undo):
        raise InvalidInputError("--until (hạn mới) chỉ đi kèm --return (trả lại)")
    kind = "accepted" if accept else "returned"
    extension = {"due_kind": "by", "due": until} if until else None
    _record(kind, plan, deliverable, unit, at, note, by, undo, then_extend=extension)


@app.command()
@cli_errors
def acknowledge(
    plan: PlanCode,
    deliverable: Deliverable,
    unit: Unit,
    at: At = None,
    note: Note = "",
    by: By = None,
    undo: Undo = False,
) -> None:
    """Ghi một đơn vị đã nhận nhiệm vụ (ví dụ báo qua điện thoại); không đổi hạn hay tình
    trạng. --undo để hủy."""
    source = {} if undo else {"source": "coordinator"}
    _record("acknowledged", plan, deliverable, unit, at, note, by, undo, row_data=source)


def _record(
    kind: str,
    plan: str,
    deliverable: str,
    unit: str,
    at: str | None,
    note: str,
    by: str | None,
    undo: bool,
    figures: list[str] | None = None,
    row_data: dict[str, str] | None = None,
    then_extend: dict[str, str] | None = None,
) -> None:
    """Through the domain's `record`, as the record-submission flow and the demo do;
    `row_data`: the row's own data (an extension's new deadline, who recorded an
    acknowledgement); `then_extend`: an extension granted with it, at the same moment (both
    or neither)."""
    from flows import runtime
    from models.fields import parse_assignments
    from models.moments import parse_moment
    from models.recording import RecordRequest, describe, record_together
    from models.submissions import SubmissionKind

    current = runtime.current()
    moment = now()
    request = RecordRequest(
        plan=plan,
        deliverable=deliverable,
        unit=unit,
        kind=SubmissionKind(kind),
        at=parse_moment(at, None) if at else moment,  # naive: read in the plan's timezone
        now=moment,
        recorded_by=by or getpass.getuser(),
        note=note,
        undo=undo,
        data=row_data or parse_assignments(figures or ()),
    )
    requests = [request]
    if then_extend:
        requests.append(replace(request, kind=SubmissionKind.EXTENDED, data=then_extend))
    with current.session() as session:
        results = record_together(session, requests, current.settings.recording.future_tolerance)
    for result, asked in zip(results, requests, strict=True):
        out.print(describe(result, asked), soft_wrap=True, markup=False)  # names are plan text
    decided = results[0].submission or results[0].already
    if not undo and decided is not None and _tell_unit(plan, decided):
        out.print(TOLD)


TOLD = (
    "Đã xếp thư báo cho đơn vị (lý do trả lại, hoặc trả lời đề nghị gia hạn); thư đi ở lượt "
    "track-plan sau hoặc khi chạy `dondoc outbox send`."
)


def _tell_unit(plan: str, decided: Submission) -> bool:
    """What the unit hears at once of the decision, as from the console: why its arrival was
    returned, or the answer to its request for more time, in the outbox (once: a run adds
    nothing later). Whether an e-mail was added."""
    from flows import runtime
    from notifications.dispatch import enqueue_decision_notice

    current = runtime.current()
    with current.session() as session:
        return enqueue_decision_notice(
            session, plan, decided, mail_from=current.settings.mail.sender,
            links=current.personal_links(),
        )  # fmt: skip
