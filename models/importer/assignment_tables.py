"""Assignment tables ("TT | Nội dung công việc | Đơn vị chủ trì | … | Thời hạn"): many plans
give their tasks as an appendix table, so each row is read by column into one task."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from itertools import groupby

from models.importer.assigned import kind_list
from models.importer.names import fold_name
from models.importer.text import Paragraph

HEADER_ROWS = 3  # a title row ("PHỤ LỤC …") may sit above the header
_NUMBERING_ROW = re.compile(r"^\(?\d{1,2}\)?$")  # "(1) | (2) | (3)": column numbers
_GROUP_NUMBER = re.compile(r"^(?:[IVXLC]+|[A-ZĐ])\.?$")  # "II", "A.": a group of rows


class Column(StrEnum):
    """What a column holds; the header's wording varies from plan to plan."""

    NUMBER = "number"
    TIME = "time"
    PARTNER = "partner"
    RECIPIENT = "recipient"
    CONTENT = "content"
    OWNER = "owner"
    HEAD = "head"  # the person answerable ("Người đứng đầu chịu trách nhiệm"): not read


# First match wins: "Thời gian thực hiện" is a time, "Đơn vị phối hợp" no owner.
_HEADERS: list[tuple[Column, re.Pattern[str]]] = [
    (Column.NUMBER, re.compile(r"^(?:s?tt|so tt|so thu tu)$")),
    (Column.TIME, re.compile(r"thoi (?:gian|han)|han (?:hoan thanh|nop|gui)|tien do")),
    (Column.PARTNER, re.compile(r"phoi hop")),
    # "Cấp trình" (Chính phủ, Thủ tướng Chính phủ): the level a row is submitted to receives it
    (
        Column.RECIPIENT,
        re.compile(r"noi nhan|gui ve|^gui\b|noi gui|(?:don vi|co quan) nhan|^cap trinh"),
    ),
    (Column.CONTENT, re.compile(r"^(?:noi dung|nhiem vu|cong viec|ten (?:nhiem vu|cong viec))")),
    # "Người đứng đầu chịu trách nhiệm" names the head of the body in "Cơ quan chủ trì" ("Cục
    # trưởng Cục Du lịch …"): the owner is the body, so a person's column is no owner column
    (Column.HEAD, re.compile(r"^(?:nguoi dung dau|thu truong|lanh dao)\b")),
    (Column.OWNER, re.compile(r"chu tri|thuc hien|trach nhiem|^(?:don vi|co quan)\b")),
]


@dataclass(frozen=True)
class TableRow:
    """One assignment row, its cells by column ("" when the table has no such column)."""

    table: int
    number: str  # the TT cell, else the row's position among the table's rows
    line: int
    content: str
    owner: str = ""
    partners: str = ""
    time: str = ""
    recipient: str = ""
    place: str = ""  # where a row that is no table row stands ("Khối chủ trì, dòng 49")

    @property
    def label(self) -> str:
        """`Bảng 2, dòng 3`: how a note points the coordinator at the row."""
        return self.place or f"Bảng {self.table}, dòng {self.number}"

    @property
    def owners(self) -> tuple[str, ...]:
        return names_in(self.owner)

    @property
    def recipients(self) -> tuple[str, ...]:
        """ "Chính phủ, Quốc hội": a recipient cell also lists bodies after a comma."""
        return tuple(part for name in names_in(self.recipient) for part in _bodies(name))

    @property
    def partner_names(self) -> tuple[str, ...]:
        return names_in(self.partners)


def names_in(cell: str) -> tuple[str, ...]:
    """A cell's units, one a line or split by ';', or bodies of one kind named one after another
    ("Bộ Xây dựng, Bộ Tài nguyên và Môi trường", "Các Cục: Di sản văn hóa, Bản quyền tác giả")
    — not split at every ',', which belongs to names such as "Sở Lao động, Thương binh và Xã
    hội" or "Các Sở, ngành, UBND cấp xã"."""
    names = (name.strip(" .;-") for name in re.split(r"[\n;]", cell))
    return tuple(
        owner for name in names if name for each in kind_list(name) for owner in _same_kind(each)
    )


def _same_kind(names: str) -> list[str]:
    """ "Bộ Xây dựng, Bộ Tài nguyên và Môi trường", "Sở Giáo dục và Đào tạo và Sở Y tế": bodies
    of one kind, each with its word."""
    kind = names.split()[0]
    if not kind[0].isupper():
        return [names]
    return [name.strip() for name in re.split(rf"(?:,|\s+và)\s+(?={re.escape(kind)}\s)", names)]


# A comma before a body's own word starts the next body ("Chính phủ, Quốc hội"); one inside a
# name ("Sở Văn hóa, Thể thao và Du lịch") is followed by no such word.
_NEXT_BODY = re.compile(
    r",\s+(?=(?:Chính phủ|Quốc hội|Thủ tướng|Bộ|Sở|Ủy ban|Uỷ ban|UBND|HĐND|Hội đồng|Ban"
    r"|Văn phòng|Thường trực|Tỉnh ủy|Tỉnh uỷ)\b)"
)


def _bodies(names: str) -> list[str]:
    return [name.strip() for name in _NEXT_BODY.split(names) if name.strip()]


def read_tables(paragraphs: list[Paragraph]) -> list[TableRow]:
    """The rows of every assignment table, in document order; other tables (a budget, the
    signature block) have no such header and give nothing."""
    rows: list[TableRow] = []
    for _, table in groupby((p for p in paragraphs if p.is_row), key=lambda p: p.table):
        rows += _assignments(list(table))
    return rows


def column_of(header: str) -> Column | None:
    """The column a header names, compared without case or diacritics."""
    folded = fold_name(header.replace("\n", " "))
    return next((column for column, pattern in _HEADERS if pattern.search(folded)), None)


def _columns(cells: tuple[str, ...]) -> dict[Column, int]:
    columns: dict[Column, int] = {}
    for index, header in enumerate(cells):
        column = column_of(header)
        if column is not None:
            columns.setdefault(column, index)
    return columns


def _assignments(table: list[Paragraph]) -> list[TableRow]:
    """The header is the first of the top rows naming a content and an owner column."""
    for index, row in enumerate(table[:HEADER_ROWS]):
        columns = _columns(row.cells)
        if Column.CONTENT in columns and Column.OWNER in columns:
            return _data_rows(table[index + 1 :], columns)
    return []


def _data_rows(table: list[Paragraph], columns: dict[Column, int]) -> list[TableRow]:
    rows: list[TableRow] = []
    for position, row in enumerate(table, start=1):
        cells = {column: _cell(row.cells, index) for column, index in columns.items()}
        if _not_a_task(row.cells, cells):
            continue
        content = " ".join(cells[Column.CONTENT].splitlines())
        rows.append(
            TableRow(
                row.table,
                cells.get(Column.NUMBER, "").strip(" .") or str(position),
                row.line,
                content,
                cells[Column.OWNER],
                cells.get(Column.PARTNER, ""),
                " ".join(cells.get(Column.TIME, "").splitlines()),
                cells.get(Column.RECIPIENT, ""),
            )
        )
    return rows


def _cell(cells: tuple[str, ...], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _merged_across(filled: list[str], cells: dict[Column, str]) -> bool:
    """A group heading written across the whole row ("I | Hoàn thiện hệ thống pháp luật" in a
    cell merged over every column, which Word repeats once per column): one text fills the
    content, owner and every other cell but the number."""
    number = cells.get(Column.NUMBER, "")
    texts = {c for c in filled if c != number or not _GROUP_NUMBER.match(c)}
    return len(texts) == 1 and len(filled) > 2 and cells[Column.CONTENT] in texts


def _not_a_task(all_cells: tuple[str, ...], cells: dict[Column, str]) -> bool:
    """A row of column numbers, or a group heading ("II | CÔNG TÁC CHUẨN BỊ" with nothing
    else): structure, not work, so nothing to report."""
    filled = [c for c in all_cells if c]
    if all(_NUMBERING_ROW.match(c) for c in filled):
        return True
    if _merged_across(filled, cells):
        return True
    others = (Column.OWNER, Column.PARTNER, Column.TIME, Column.RECIPIENT)
    if any(cells.get(column) for column in others):
        return False
    content = cells[Column.CONTENT]
    return bool(_GROUP_NUMBER.match(cells.get(Column.NUMBER, ""))) or content.isupper()
