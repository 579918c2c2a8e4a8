"""`dondoc board`: write the leaders' board (HTML and Excel) for a plan at a moment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

PlanCode = Annotated[str, typer.Argument(help="Mã kế hoạch, ví dụ gap-mat-2023.")]
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Số liệu tại thời điểm này (ISO-8601 hoặc dd/mm/yyyy HH:MM)."),
]
OutDir = Annotated[Path, typer.Option("--out", help="Thư mục ghi board.html và board.xlsx.")]


def register(app: typer.Typer) -> None:
    """Add the `board` command to `app` (the main CLI calls this once it is built)."""
    app.command("board")(board)


def board(plan: PlanCode, out: OutDir, as_of: AsOf = None) -> None:
    """Bảng theo dõi cho lãnh đạo: ai chậm, chậm việc gì (board.html và board.xlsx)."""
    # flows.cli imports this module's register(); by the time a command runs it is loaded.
    from flows.cli import cli_errors

    cli_errors(write_board)(plan, as_of, out)


def write_board(plan: str, as_of: str | None, out_dir: Path) -> tuple[Path, Path]:
    """Read the plan, evaluate it at `as_of` (default now), write both files, print the paths."""
    from flows.cli import now, out
    from flows.database import database
    from models.evaluate import evaluate
    from models.moments import parse_moment
    from models.store import read_snapshot
    from notifications.board import board_view
    from notifications.board_files import write_board_files

    with database() as session:
        snapshot = read_snapshot(session, plan)
    the_plan = snapshot.plan
    moment = parse_moment(as_of, the_plan.tz) if as_of else now()
    view = board_view(the_plan, evaluate(the_plan, snapshot.submissions, moment), moment)
    html, xlsx = write_board_files(view, out_dir)
    out.print(f"Đã ghi {html}")
    out.print(f"Đã ghi {xlsx}")
    return html, xlsx
