"""The board as files: board.html and board.xlsx written side by side into one folder."""

from __future__ import annotations

from pathlib import Path

from notifications.board import BoardView
from notifications.board_html import render_board_html
from notifications.board_xlsx import write_board_xlsx


def write_board_files(view: BoardView, out_dir: Path) -> tuple[Path, Path]:
    """Write both files (the HTML via a temporary name, so a reader never sees half a page)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html = out_dir / "board.html"
    partial = html.with_suffix(".html.tmp")
    partial.write_text(render_board_html(view), encoding="utf-8")
    partial.replace(html)
    return html, write_board_xlsx(view, out_dir / "board.xlsx")
