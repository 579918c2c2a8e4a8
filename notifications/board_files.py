"""The board as files: board.html and board.xlsx written side by side into one folder."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from models.evaluate import evaluate
from models.files.atomic import write_atomically
from models.storage.store import Snapshot
from notifications.board import BoardView, board_view
from notifications.board_html import render_board_html
from notifications.board_xlsx import write_board_xlsx


def write_board_files(view: BoardView, out_dir: Path) -> tuple[Path, Path]:
    """Write both files (the HTML via a temporary name, so a reader never sees half a page)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html = write_atomically(out_dir / "board.html", render_board_html(view))
    return html, write_board_xlsx(view, out_dir / "board.xlsx")


def write_board_at(snapshot: Snapshot, as_of: datetime, out_dir: Path) -> tuple[Path, Path]:
    """The board of `snapshot` evaluated at `as_of`, written into `out_dir`."""
    plan = snapshot.plan
    view = board_view(plan, evaluate(plan, snapshot.submissions, as_of), as_of)
    return write_board_files(view, out_dir)
