"""The corpus's Word documents, built from the real text kept in corpus/docx-src/.

Run `python -m tests.models.importer.corpus_docx` after editing a source text; the .docx
files are committed so the scorer reads them as a coordinator's Word file would be read.
Blank lines separate paragraphs; a Markdown pipe table (header, `|---|` rule, rows) becomes a
Word table, and a group row that repeats one text in every cell becomes one merged cell.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.document import Document
from docx.table import Table

CORPUS = Path(__file__).parent / "corpus"
SOURCES = CORPUS / "docx-src"
_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_EMPHASIS = re.compile(r"\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")


def plain(text: str) -> str:
    return _EMPHASIS.sub("", text).strip()


def cells_of(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [plain(cell) for cell in inner.split("|")]


def add_table(document: Document, rows: list[list[str]]) -> Table:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for row, values in zip(table.rows, rows, strict=True):
        if len(set(values)) == 1 and len(values) > 1:  # a group heading spanning the row
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = values[0]
            continue
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    return table


def build(source: Path, target: Path) -> Path:
    """Write `target` from the blocks of `source`; returns the target."""
    document = docx.Document()
    lines = source.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        is_table = index + 1 < len(lines) and "|" in line and _RULE.match(lines[index + 1])
        if is_table:
            end = next((i for i in range(index + 2, len(lines)) if "|" not in lines[i]), len(lines))
            rows = [cells_of(lines[i]) for i in range(index, end) if i != index + 1]
            add_table(document, rows)
            index = end
            continue
        if line.strip():
            document.add_paragraph(plain(line))
        index += 1
    document.save(str(target))
    return target


def main() -> None:
    for source in sorted(SOURCES.glob("*.md")):
        print(build(source, CORPUS / f"{source.stem}.docx"))


if __name__ == "__main__":
    main()
