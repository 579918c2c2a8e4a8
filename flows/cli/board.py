"""`dondoc board`: write the leaders' board (HTML and Excel) for a plan at a moment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli._app import PlanCode, app, cli_errors, moment_or_now, out

AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Số liệu tại thời điểm này (ISO-8601 hoặc dd/mm/yyyy HH:MM)."),
]
OutDir = Annotated[Path, typer.Option("--out", help="Thư mục ghi board.html và board.xlsx.")]


@app.command("board")
@cli_errors
def board(plan: PlanCode, out_dir: OutDir, as_of: AsOf = None) -> None:
    """Bảng theo dõi cho lãnh đạo: ai chậm, chậm việc gì (board.html và board.xlsx)."""
    from flows import runtime
    from models.storage.store import read_snapshot
    from notifications.board_files import write_board_at

    with runtime.session() as session:
        snapshot = read_snapshot(session, plan)
    html, xlsx = write_board_at(snapshot, moment_or_now(as_of, snapshot.plan.tz), out_dir)
    out.print(f"Đã ghi {html}")
    out.print(f"Đã ghi {xlsx}")
