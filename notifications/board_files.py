"""The board as files: board.html and board.xlsx written side by side into one folder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from models.evaluate import evaluate
from models.files.atomic import write_atomically
from models.storage.store import Snapshot
from notifications.board import BoardView, board_view
from notifications.board_html import render_board_html
from notifications.board_xlsx import workbook_bytes

HTML_NAME = "board.html"
XLSX_NAME = "board.xlsx"


@dataclass(frozen=True)
class BoardFiles:
    """Both files' contents, rendered once: a run writes them into its own folder and, when
    its moment is the latest, again as the plan's current board."""

    html: str
    xlsx: bytes

    def write(self, out_dir: Path) -> tuple[Path, Path]:
        """Write both into `out_dir`, each all or nothing (a reader never sees half a file;
        writing them again for the same moment replaces them whole)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        xlsx = write_atomically(out_dir / XLSX_NAME, self.xlsx)
        return write_atomically(out_dir / HTML_NAME, self.html), xlsx


def render_board_files(view: BoardView) -> BoardFiles:
    return BoardFiles(render_board_html(view), workbook_bytes(view))


def write_board_files(view: BoardView, out_dir: Path) -> tuple[Path, Path]:
    """Write both files of `view` into `out_dir`: (board.html, board.xlsx)."""
    return render_board_files(view).write(out_dir)


def write_board_at(snapshot: Snapshot, as_of: datetime, out_dir: Path) -> tuple[Path, Path]:
    """The board of `snapshot` evaluated at `as_of`, written into `out_dir`."""
    plan = snapshot.plan
    view = board_view(plan, evaluate(plan, snapshot.submissions, as_of), as_of)
    return write_board_files(view, out_dir)
