"""`dondoc receive` and `dondoc waive`: record that a unit delivered (or is excused), or undo it."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from flows.cli._app import Deliverable, PlanCode, Unit, app, cli_errors, now, out

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
) -> None:
    """Through the domain's `record`, as the record-submission flow and the demo do."""
    from flows import runtime
    from models.fields import parse_assignments
    from models.moments import parse_moment
    from models.recording import RecordRequest, describe, record
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
        data=parse_assignments(figures or ()),
    )
    with current.session() as session:
        result = record(session, request, current.settings.recording.future_tolerance)
    out.print(describe(result, request), soft_wrap=True, markup=False)  # names are plan text
