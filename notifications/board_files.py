"""The board as files: board.html and board.xlsx written side by side into one folder."""

from __future__ import annotations

from pathlib import Path

from models.atomic import write_atomically
from notifications.board import BoardView
from notifications.board_html import render_board_html
from notifications.board_xlsx import write_board_xlsx


def write_board_files(view: BoardView, out_dir: Path) -> tuple[Path, Path]:
    """Write both files (the HTML via a temporary name, so a reader never sees half a page)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html = write_atomically(out_dir / "board.html", render_board_html(view))
    return html, write_board_xlsx(view, out_dir / "board.xlsx")
