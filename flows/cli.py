"""The `dondoc` command line: plans, arrivals, statuses (thin: parse, call the domain, print)."""

from __future__ import annotations

import functools
import getpass
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import OperationalError

from flows import console as render
from flows.database import database
from models.errors import DondocError, PlanError
from models.statuses import Status

app = typer.Typer(
    help="dondoc — đôn đốc: theo dõi tiến độ các đơn vị trong kế hoạch, ai đang chậm.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
plan_app = typer.Typer(
    help="Kế hoạch: kiểm tra, nạp, xem, xuất; soạn bản nháp từ văn bản.", no_args_is_help=True
)
app.add_typer(plan_app, name="plan")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
F = TypeVar("F", bound=Callable[..., Any])

PlanCode = Annotated[str, typer.Argument(help="Mã kế hoạch, ví dụ gap-mat-2023.")]
Deliverable = Annotated[str, typer.Argument(help="Mã nhiệm vụ, ví dụ bc-huyen.")]
Unit = Annotated[str, typer.Argument(help="Mã đơn vị, ví dụ huong-khe.")]
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


EXIT_UNAVAILABLE = 1  # the database does not answer: nothing wrong with what was typed


def cli_errors(command: F) -> F:
    """Input problems become one clear message on stderr and exit code 2, never a traceback;
    a database that does not answer is one line too (exit code 1)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PlanError as error:
            for problem in error.problems:
                err.print(f"[red]Lỗi:[/] {problem.render(error.source)}", soft_wrap=True)
            raise typer.Exit(2) from None
        except DondocError as error:
            err.print(f"[red]Lỗi:[/] {error}", soft_wrap=True)
            raise typer.Exit(2) from None
        except OperationalError as error:
            err.print(f"[red]Lỗi:[/] {escape(unreachable_database(error))}", soft_wrap=True)
            raise typer.Exit(EXIT_UNAVAILABLE) from None

    return wrapper  # type: ignore[return-value]


def unreachable_database(error: OperationalError) -> str:
    """The driver's own first line (host and port, never the URL or its password) and what
    to check."""
    reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
    return (
        f"không kết nối được cơ sở dữ liệu ({reason}). Kiểm tra máy chủ cơ sở dữ liệu đang "
        "chạy và DONDOC_DATABASE_URL."
    )


def now() -> datetime:
    """The edge is the only place that reads the clock; everything inside takes `as_of`."""
    return datetime.now(UTC)


@plan_app.command("check")
@cli_errors
def plan_check(file: Annotated[Path, typer.Argument(help="Tệp kế hoạch YAML.")]) -> None:
    """Kiểm tra một tệp kế hoạch (không ghi gì vào cơ sở dữ liệu)."""
    from models.loader import read_plan_file

    loaded = read_plan_file(file)
    for warning in loaded.warnings:
        err.print(f"[yellow]Cảnh báo:[/] {warning.render(str(file))}", soft_wrap=True)
    plan = loaded.plan
    out.print(
        f"[green]✓[/] {file}: kế hoạch [bold]{plan.code}[/] hợp lệ — {len(plan.units)} đơn vị, "
        f"{len(plan.deliverables)} nhiệm vụ, {len(plan.assignments)} phân công."
    )


@plan_app.command("load")
@cli_errors
def plan_load(
    file: Annotated[Path, typer.Argument(help="Tệp kế hoạch YAML.")],
    force: Annotated[
        bool, typer.Option("--force", help="Nạp cả khi có ghi nhận không còn thuộc kế hoạch.")
    ] = False,
) -> None:
    """Nạp (hoặc cập nhật) một kế hoạch; nạp lại cùng tệp không thay đổi gì."""
    from models.loader import read_plan_file
    from models.store import save_plan

    loaded = read_plan_file(file)
    with database() as session:
        report = save_plan(session, loaded, force=force)
    verb = {"created": "Đã nạp", "updated": "Đã cập nhật", "unchanged": "Không thay đổi"}
    out.print(
        f"{verb[report.action]} kế hoạch [bold]{report.plan}[/]: {report.units} đơn vị, "
        f"{report.deliverables} nhiệm vụ, {report.assignments} phân công."
    )
    for deliverable, unit in report.orphaned:
        err.print(f"[yellow]Cảnh báo:[/] ghi nhận {deliverable}/{unit} không còn thuộc kế hoạch.")


@plan_app.command("show")
@cli_errors
def plan_show(code: PlanCode) -> None:
    """Xem sơ đồ các nhiệm vụ và thứ tự phụ thuộc."""
    from models.store import read_snapshot

    with database() as session:
        plan = read_snapshot(session, code).plan
    out.print(render.plan_tree(plan))


@plan_app.command("list")
@cli_errors
def plan_list() -> None:
    """Liệt kê các kế hoạch đã nạp."""
    from models.store import plan_codes

    with database() as session:
        codes = plan_codes(session)
    out.print("\n".join(codes) if codes else "Chưa có kế hoạch nào (dùng: dondoc plan load TỆP).")


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
    from models.fields import parse_assignments
    from models.moments import parse_moment
    from models.recording import RecordRequest, describe, record
    from models.settings import Settings
    from models.submissions import SubmissionKind

    settings = Settings()
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
    with database() as session:
        result = record(session, request, timedelta(minutes=settings.future_tolerance_minutes))
    out.print(describe(result, request), soft_wrap=True, markup=False)  # names are plan text


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


@app.command()
@cli_errors
def status(
    plan: PlanCode,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Xem tình hình tại thời điểm này; mặc định: bây giờ."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON thay cho bảng.")] = False,
    late_only: Annotated[
        bool, typer.Option("--late-only", help="Chỉ các phân công quá hạn hoặc nộp trễ.")
    ] = False,
) -> None:
    """Tình hình của mọi phân công tại một thời điểm: ai đúng hạn, ai chậm."""
    from models.evaluate import evaluate
    from models.moments import parse_moment
    from models.report import status_document
    from models.store import read_snapshot

    with database() as session:
        snapshot = read_snapshot(session, plan)
    the_plan = snapshot.plan
    moment = parse_moment(as_of, the_plan.tz) if as_of else now()
    statuses = evaluate(the_plan, snapshot.submissions, moment)
    if late_only:
        late = [s for s in statuses if s.status in (Status.OVERDUE, Status.DONE_LATE)]
        statuses = sorted(late, key=lambda s: -(s.days_late or 0))
    if as_json:
        document = status_document(the_plan, statuses, moment)
        # Indented for a person at a terminal; compact (and 5× faster) when piped to a program.
        indent = 2 if out.is_terminal else None
        typer.echo(json.dumps(document, ensure_ascii=False, indent=indent))
        return
    out.print(render.status_table(the_plan, statuses, moment))
    out.print(render.summary_line(statuses))


@app.command()
@cli_errors
def track(
    plan: PlanCode,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Thời điểm đánh giá; mặc định: bây giờ.")
    ] = None,
) -> None:
    """Chạy flow track-plan một lần (Prefect: PREFECT_API_URL nếu có, không thì API tạm)."""
    from models.moments import parse_moment
    from models.store import read_snapshot

    with database() as session:
        tz = read_snapshot(session, plan).plan.tz  # unknown plan: exit 2 before Prefect starts
    moment = parse_moment(as_of, tz) if as_of else now()
    # Our own summary below says it all; Prefect's per-task lines still go to its API and UI.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    from flows.prefect_settings import local_runs
    from flows.track import track_plan

    try:
        with local_runs():
            state = track_plan(plan, moment, return_state=True)
    except RuntimeError as error:  # Prefect's own: "Failed to reach API at …"
        if "reach API" not in str(error):
            raise
        err.print(f"[red]Không kết nối được Prefect API:[/] {escape(str(error))}", soft_wrap=True)
        err.print("Chạy `prefect server start`, hoặc bỏ PREFECT_API_URL để dùng một API tạm.")
        raise typer.Exit(1) from None
    if not state.is_completed():
        err.print(f"[red]Lượt chạy thất bại:[/] {state.message}")
        raise typer.Exit(1)
    out.print(f"[bold]{plan}[/] · {escape(state.message or '')}")


@app.command()
@cli_errors
def serve(
    plan: Annotated[
        str, typer.Option("--plan", help="Kế hoạch theo dõi theo lịch.")
    ] = "gap-mat-2023",
) -> None:
    """Phục vụ hai deployment (track-plan theo lịch, record-submission) trên máy này."""
    from prefect import serve as prefect_serve

    from flows.serving import deployments
    from models.store import read_snapshot

    with database() as session:
        read_snapshot(session, plan)  # refuse an unknown plan before serving it
    prefect_serve(*deployments(plan))


@app.command()
@cli_errors
def demo(
    workdir: Annotated[
        Path, typer.Option("--dir", help="Thư mục cho cơ sở dữ liệu và kết quả của bản demo.")
    ] = Path("demo"),
) -> None:
    """Mô phỏng kế hoạch mẫu từ 01/03 đến 22/03/2023, mỗi sáng chạy track-plan lúc 07:30."""
    from flows.demo_console import run

    run(workdir, out)


# After the shared helpers above: the outbox commands import them from this module.
from flows.board_cli import register as register_board  # noqa: E402
from flows.export_cli import register as register_export  # noqa: E402
from flows.import_cli import register as register_import  # noqa: E402
from flows.log_cli import register as register_log  # noqa: E402
from flows.outbox_cli import outbox_app  # noqa: E402
from flows.web_cli import register as register_web  # noqa: E402

app.add_typer(outbox_app, name="outbox")
register_board(app)
register_log(app)
register_export(plan_app)
register_import(plan_app)
register_web(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
