"""A document's paragraphs, from .txt, .md or .docx, cleaned of markup and in NFC."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from models.importer.docx_limits import NOT_DOCX, checked_package
from models.importer.problems import DocumentError

if TYPE_CHECKING:  # python-docx loads only when a .docx is read
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph as DocxParagraph

SUPPORTED = (".txt", ".md", ".docx")
MAX_BYTES = 5_000_000
_BULLET = re.compile(r"^\s*(?:[-–—+•]|\*(?=\s))\s*")
_STARTS_BLOCK = re.compile(r"^\s*(?:[-–—+•*]\s|\d+\s*[.)]\s|[IVXLC]+\s*[.)]\s|[a-zđ]\)\s|#)")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as a person reads it, with its line (1-based) in the document."""

    text: str
    line: int
    # A table row keeps its cells (a cell's own lines joined by "\n"), so an assignment table
    # can be read by column; `text` is the cells joined by " | " for everything else.
    cells: tuple[str, ...] = ()
    table: int = 0  # the table (1, 2, … in document order) the row belongs to; 0 if none

    @property
    def is_bullet(self) -> bool:
        return self.text.startswith("- ")

    @property
    def is_row(self) -> bool:
        return self.table > 0


def read_paragraphs(path: Path) -> list[Paragraph]:
    """Every non-empty paragraph of `path`; a DocumentError says why a file cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(
            path,
            f"định dạng '{suffix or '(không có đuôi)'}' không được hỗ trợ; dùng .txt, .md "
            "hoặc .docx",
        )
    if not path.is_file():
        raise DocumentError(path, "không tìm thấy tệp")
    if path.stat().st_size > MAX_BYTES:
        raise DocumentError(path, f"tệp quá lớn (tối đa {MAX_BYTES} byte)")
    if suffix == ".docx":
        paragraphs = _docx_paragraphs(path)
    elif suffix == ".md":
        paragraphs = _markdown_paragraphs(_text_lines(path))
    else:
        paragraphs = _join_wrapped([clean(line) for line in _text_lines(path)])
    if not paragraphs:
        raise DocumentError(path, "tệp rỗng, không có nội dung nào để nhập")
    return paragraphs


def _text_lines(path: Path) -> list[str]:
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise DocumentError(path, "tệp nhị phân, không phải văn bản (.txt/.md phải là chữ UTF-8)")
    try:
        return raw.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"không phải văn bản UTF-8 (byte thứ {exc.start})") from exc


def _docx_paragraphs(path: Path) -> list[Paragraph]:
    """Paragraphs and table rows in document order, numbered as Word counts paragraphs (each
    cell paragraph counts), so a line in a note is where Word shows it."""
    from docx.table import Table

    paragraphs: list[Paragraph] = []
    line, tables = 1, 0
    for block in _docx_blocks(path):
        if not isinstance(block, Table):
            text = clean(_docx_text(block))
            if text:
                paragraphs.append(Paragraph(text, line))
            line += 1
            continue
        tables += 1
        for row in block.rows:
            paragraphs += _row([_cell_text(cell) for cell in row.cells], line, tables)
            line += sum(len(cell.paragraphs) for cell in row.cells)
    return paragraphs


def _cell_text(cell: _Cell) -> str:
    """A cell's paragraphs, one a line: a cell may list several units, one per paragraph."""
    return "\n".join(text for text in (_cell_line(p.text) for p in cell.paragraphs) if text)


def _docx_blocks(path: Path) -> list[DocxParagraph | Table]:
    """python-docx inflates every part whole: it gets the bytes only once their zip has been
    found bounded (docx_limits), and only those bytes, so a file changed since is not read."""
    import docx

    package = checked_package(path, path.read_bytes())
    try:
        return list(docx.Document(package).iter_inner_content())
    # python-docx reports a damaged package with whatever its parser hit (BadZipFile,
    # KeyError, XMLSyntaxError, AttributeError …); all mean the same to the coordinator.
    except Exception as exc:
        raise DocumentError(path, NOT_DOCX) from exc


def _docx_text(block: DocxParagraph) -> str:
    """A Word list item becomes a '- ' bullet, as a typed one would."""
    style = block.style.name if block.style is not None else ""
    listed = style.lower().startswith("list") and not _BULLET.match(block.text)
    return f"- {block.text}" if listed else block.text


def _cell_line(text: str) -> str:
    return clean(text).removeprefix("- ")


def _row(cells: list[str], line: int, table: int) -> list[Paragraph]:
    """One table row as a paragraph (none if every cell is empty); a merged cell, which Word
    repeats once per column it spans, is shown once in `text`."""
    shown = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
    if not shown:
        return []
    text = " | ".join(c.replace("\n", " ") for c in shown)
    return [Paragraph(text, line, tuple(cells), table)]


def _markdown_paragraphs(lines: list[str]) -> list[Paragraph]:
    """Paragraphs as in a .txt, plus pipe tables (a header line, then a |---| rule) as rows."""
    rows: list[Paragraph] = []
    plain = list(lines)
    index, tables = 0, 0
    while index < len(lines):
        if not _starts_pipe_table(lines, index):
            index += 1
            continue
        tables += 1
        end = next((i for i in range(index + 2, len(lines)) if "|" not in lines[i]), len(lines))
        for at in range(index, end):
            if at != index + 1:  # the |---| rule is no row
                rows += _row(_pipe_cells(lines[at]), at + 1, tables)
            plain[at] = ""
        index = end
    paragraphs = _join_wrapped([clean(line) for line in plain])
    return sorted([*paragraphs, *rows], key=lambda p: p.line)


def _starts_pipe_table(lines: list[str], index: int) -> bool:
    if index + 1 >= len(lines) or "|" not in lines[index] or "|" not in lines[index + 1]:
        return False
    return bool(_PIPE_RULE.match(lines[index + 1]))


def _pipe_cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    cells = []
    for raw in _PIPE_SPLIT.split(inner):
        parts = (_cell_line(part) for part in _BREAK.split(raw.replace("\\|", "|")))
        cells.append("\n".join(part for part in parts if part))
    return cells


def clean(line: str) -> str:
    """NFC, no Markdown emphasis or heading marks, one space between words, '- ' bullets."""
    text = unicodedata.normalize("NFC", line).replace("\u00a0", " ")
    text = _EMPHASIS.sub("", text)
    text = re.sub(r"^\s*#+\s*", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    bullet = _BULLET.match(text)
    if bullet and len(text) > bullet.end():
        text = "- " + text[bullet.end() :]
    return text


def _join_wrapped(lines: list[str]) -> list[Paragraph]:
    """Blank lines separate paragraphs; a hard-wrapped line continues the one above it."""
    paragraphs: list[Paragraph] = []
    previous_blank = True
    for number, line in enumerate(lines, start=1):
        if not line:
            previous_blank = True
            continue
        if paragraphs and not previous_blank and not _STARTS_BLOCK.match(line):
            last = paragraphs[-1]
            paragraphs[-1] = Paragraph(f"{last.text} {line}", last.line)
        else:
            paragraphs.append(Paragraph(line, number))
        previous_blank = False
    return paragraphs
