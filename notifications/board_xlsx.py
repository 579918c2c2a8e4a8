"""The leaders' board as an Excel workbook: late items, the unit matrix, every assignment."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import copy
from io import BytesIO
from pathlib import Path
from typing import Protocol, cast
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from models.control_characters import printable
from models.files.atomic import write_atomically
from models.statuses import Status
from notifications.board import LOOKS, BoardView, FigureTotal, Line

LATE_SHEET = "Quá hạn"
MATRIX_SHEET = "Ma trận"
ALL_SHEET = "Tất cả"
FIGURES_SHEET = "Số liệu"
MIN_WIDTH, MAX_WIDTH = 6, 60
MATRIX_WIDTH = 16  # a matrix column: the short label, the title wraps in the header
DIACRITIC_ROOM = 1.15  # Vietnamese letters with stacked marks are wider than Latin ones
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="E4E4E7")
FILLS = {
    s: PatternFill("solid", fgColor=look.fill.lstrip("#").upper()) for s, look in LOOKS.items()
}
INKS = {
    s: Font(color=look.ink.lstrip("#").upper(), bold=s is Status.OVERDUE)
    for s, look in LOOKS.items()
}
Value = str | float | None  # what a row of a sheet holds, before cells are made of it


class _StyleSlot(Protocol):
    """A cell's style record: the `_style` slot of openpyxl's StyleableObject, which
    types-openpyxl leaves undeclared."""

    _style: StyleArray


def write_board_xlsx(view: BoardView, path: Path | str) -> Path:
    """Write the workbook to `path`, all or nothing, and return it."""
    return write_atomically(Path(path), workbook_bytes(view))


def workbook_bytes(view: BoardView) -> bytes:
    """The .xlsx file's bytes (write-only mode, for speed)."""
    workbook = Workbook(write_only=True)
    _late_sheet(workbook.create_sheet(LATE_SHEET), view.late)
    _matrix_sheet(workbook.create_sheet(MATRIX_SHEET), view)
    _all_sheet(workbook.create_sheet(ALL_SHEET), view.lines)
    if view.figures:
        _figures_sheet(workbook.create_sheet(FIGURES_SHEET), view.figures)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _late_sheet(sheet: Worksheet, late: Sequence[Line]) -> None:
    header = ["TT", "Đơn vị", "Nhiệm vụ", "Gửi đến", "Hạn", "Số ngày quá hạn", "Nhận việc"]
    rows: list[list[Value]] = [
        [n, x.unit_name, x.title, x.recipient, x.deadline, x.days_late, x.acknowledged]
        for n, x in enumerate(late, start=1)
    ]
    _table(sheet, header, rows, [None] * len(rows), 0)


def _all_sheet(sheet: Worksheet, lines: Sequence[Line]) -> None:
    header = [
        "Đơn vị",
        "Nhiệm vụ",
        "Gửi đến",
        "Hạn",
        "Tình trạng",
        "Nộp lúc",
        "Số ngày trễ",
        "Đang chờ (quá hạn)",
        "Số liệu",
        "Nhận việc",
    ]
    rows: list[list[Value]] = [
        [
            x.unit_name,
            x.title,
            x.recipient,
            x.deadline,
            f"{x.look.symbol} {x.status.label}",
            x.submitted,
            x.days_late,
            "; ".join(x.waiting_on),
            x.figures,
            x.acknowledged,
        ]
        for x in lines
    ]
    _table(sheet, header, rows, [x.status for x in lines], 4)


def _figures_sheet(sheet: Worksheet, figures: Sequence[FigureTotal]) -> None:
    """The totals of collected figures (the seat count), as on the page."""
    header = ["Số liệu", "Nhiệm vụ", "Tổng", "Đã báo", "Chưa báo", "Số liệu không dùng được"]
    rows: list[list[Value]] = [
        [
            f.label,
            f.title,
            f.total,
            f"{f.reported}/{f.owing}",
            ", ".join(f.missing),
            ", ".join(f.unusable),
        ]
        for f in figures
    ]
    _table(sheet, header, rows, [None] * len(rows), 0)


def _table(
    sheet: Worksheet,
    header: list[str],
    rows: Sequence[Sequence[Value]],
    statuses: Sequence[Status | None],
    painted: int,
) -> None:
    """Header in bold on grey, frozen, with an auto-filter; columns as wide as their text;
    column `painted` (0-based) of each row filled with its status colour."""
    for index, texts in enumerate(zip(header, *rows, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(texts)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    sheet.append([_styled(sheet, text, BOLD, HEADER_FILL) for text in header])
    for row, status in zip(rows, statuses, strict=True):
        values: list[Value] = ["" if value is None else value for value in row]
        cells: list[Value | Cell] = list(values)
        if status is not None:
            cells[painted] = _styled(sheet, values[painted], INKS[status], FILLS[status])
        sheet.append([_as_text(sheet, value) for value in cells])


def _styled(sheet: Worksheet, value: Value, font: Font, fill: PatternFill) -> Cell:
    """A cell with `font` and `fill`. openpyxl hashes both styles on every assignment (most of
    the workbook's time for 10,000 rows), so each pair is registered once per workbook and
    its style record copied onto later cells."""
    cell = WriteOnlyCell(sheet, value=printable(value) if isinstance(value, str) else value)
    workbook = sheet.parent
    assert workbook is not None, "a sheet made by Workbook.create_sheet has its workbook"
    known = _STYLE_RECORDS.setdefault(workbook, {})
    record = known.get((id(font), id(fill)))
    slot = cast(_StyleSlot, cell)
    if record is None:
        cell.font, cell.fill = font, fill
        known[(id(font), id(fill))] = copy(slot._style)
    else:
        slot._style = copy(record)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # see _as_text
    return cell


def _as_text(sheet: Worksheet, value: Value | Cell) -> Value | Cell:
    """Plan text is never a formula: openpyxl writes a string starting with '=' as one (a unit
    named '=HYPERLINK(…)' would run in Excel), so such a string becomes a text cell. Control
    characters (which openpyxl refuses) are shown as symbols."""
    if isinstance(value, str):
        value = printable(value)
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


# Per workbook: (font, fill) → the style record openpyxl built for them (see _styled).
_STYLE_RECORDS: WeakKeyDictionary[Workbook, dict[tuple[int, int], StyleArray]] = WeakKeyDictionary()


def _width(texts: Iterable[object]) -> float:
    longest = max((len(str(t)) for t in texts if t is not None), default=0)
    return max(MIN_WIDTH, min(MAX_WIDTH, round(longest * DIACRITIC_ROOM + 2)))


def _matrix_sheet(sheet: Worksheet, view: BoardView) -> None:
    """One row per unit, one column per deliverable (plan order); blank where nothing is owed;
    a last row of delivered/total per deliverable, below the filtered range."""
    titles: dict[str, str] = {}
    for section in view.sections:
        titles.update({c.deliverable: c.title for c in section.columns})
    position = {code: index for index, code in enumerate(titles)}
    names = [row.unit_name for section in view.sections for row in section.rows]
    sheet.column_dimensions["A"].width = _width([s.title for s in view.sections])
    sheet.column_dimensions["B"].width = _width(["Đơn vị", *names])
    for column in position.values():
        sheet.column_dimensions[get_column_letter(column + 3)].width = MATRIX_WIDTH
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(titles) + 2)}{len(names) + 1}"
    header = [_styled(sheet, t, BOLD, HEADER_FILL) for t in ["Nhóm", "Đơn vị", *titles.values()]]
    for cell in header:
        cell.alignment = WRAP
    sheet.append(header)
    counts = _matrix_rows(sheet, view, position)
    sheet.append(
        [_styled(sheet, t, BOLD, HEADER_FILL) for t in ["", "Đã nộp"]]
        + [f"{counts[c][0]}/{counts[c][1]}" for c in titles]
    )


def _matrix_rows(
    sheet: Worksheet, view: BoardView, position: dict[str, int]
) -> dict[str, list[int]]:
    """Unit rows with painted cells; returns [delivered, total] per deliverable."""
    counts = {code: [0, 0] for code in position}
    for section in view.sections:
        for row in section.rows:
            values: list[Value | Cell] = [section.title, row.unit_name, *[None] * len(position)]
            for cell in filter(None, row.cells):
                text = f"{cell.look.symbol} {cell.look.short}"
                text += f" · {cell.figures}" if cell.figures else ""
                values[position[cell.deliverable] + 2] = _styled(
                    sheet, text, INKS[cell.status], FILLS[cell.status]
                )
                counts[cell.deliverable][0] += cell.status.is_done
                counts[cell.deliverable][1] += 1
            sheet.append([_as_text(sheet, value) for value in values])
    return counts
