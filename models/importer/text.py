"""A document's paragraphs, from .txt, .md or .docx, cleaned of markup and in NFC."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from models.importer.problems import DocumentError

SUPPORTED = (".txt", ".md", ".docx")
MAX_BYTES = 5_000_000
_BULLET = re.compile(r"^\s*(?:[-–—+•]|\*(?=\s))\s*")
_STARTS_BLOCK = re.compile(r"^\s*(?:[-–—+•*]\s|\d+\s*[.)]\s|[IVXLC]+\s*[.)]\s|[a-zđ]\)\s|#)")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as a person reads it, with its line (1-based) in the document."""

    text: str
    line: int

    @property
    def is_bullet(self) -> bool:
        return self.text.startswith("- ")


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
        numbered = enumerate((clean(line) for line in _docx_lines(path)), start=1)
        paragraphs = [Paragraph(text, number) for number, text in numbered if text]
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


def _docx_lines(path: Path) -> list[str]:
    """Paragraphs and table cells in document order (one line each, numbered as Word counts
    paragraphs); Word list items become '- ' bullets."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
    # python-docx reports a damaged package with whatever its parser hit (BadZipFile,
    # KeyError, XMLSyntaxError, AttributeError …); all mean the same to the coordinator.
    except Exception as exc:
        raise DocumentError(
            path, "không đọc được tệp Word (.docx hỏng hoặc không phải .docx)"
        ) from exc
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            lines += [p.text for row in block.rows for cell in row.cells for p in cell.paragraphs]
            continue
        style = block.style.name if block.style is not None else ""
        listed = style.lower().startswith("list") and not _BULLET.match(block.text)
        lines.append(f"- {block.text}" if listed else block.text)
    return lines


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
