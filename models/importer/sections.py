"""The shape of a plan document: its title, and the section that assigns work to units."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.importer.assignment_tables import TableRow, read_tables
from models.importer.names import fold
from models.importer.problems import DocumentError
from models.importer.text import Paragraph

_ASSIGNMENT = re.compile(r"^(?:[ivxlc]+|\d+)\s*[.)/]\s*to chuc thuc hien\b")
_PART = re.compile(r"^[IVXLC]+\s*[.)]\s+\S")
_UNIT_HEADING = re.compile(
    r"^(?:\d{1,2}|[a-zđ])\s*[.)]\s+(?P<name>[^:]{3,160}?)\s*:\s*(?P<rest>.*)$"
)
_CLOSING = re.compile(
    r"^(?:noi nhan|tren day la ke hoach|trong qua trinh (?:to chuc )?(?:thuc hien|trien khai)"
    r"|de nghi cac (?:co quan|don vi|dia phuong).*(?:nghiem tuc|thuc hien|trien khai))"
)
# A sentence that opens with one of these starts a new task within a bullet.
_TASK_VERBS = (
    "tong hop", "chuan bi", "cung cap", "xay dung", "chu dong", "chi dao", "phoi hop",
    "chu tri", "to chuc", "gui ", "lap ", "hoan thanh", "tham muu", "bo tri",
)  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\W\d_])")


@dataclass(frozen=True)
class Task:
    """One piece of work a unit is asked for: the heading it sits under and its sentences."""

    heading: str
    text: str
    line: int
    bullet: int  # the bullet (or paragraph) it comes from; tasks split from one bullet share it
    part: int  # 0 for the first task of its bullet
    quote: str  # as the document words it (with the heading when the task shares its line)


@dataclass(frozen=True)
class Layout:
    """What the importer needs from the document's structure."""

    title: str
    tasks: tuple[Task, ...]
    outside: tuple[Paragraph, ...]  # paragraphs before and after the assignment section
    loose: tuple[Paragraph, ...]  # paragraphs of the section under no unit heading
    rows: tuple[TableRow, ...] = ()  # rows of assignment tables, wherever they are


def read_layout(paragraphs: list[Paragraph], source: str) -> Layout:
    """Find the assignment section ("TỔ CHỨC THỰC HIỆN") and its tasks per unit heading, and
    the assignment tables; either is enough to draft a plan."""
    rows = tuple(read_tables(paragraphs))
    start = next((i for i, p in enumerate(paragraphs) if _ASSIGNMENT.match(fold(p.text))), None)
    if start is None and not rows:
        raise DocumentError(
            source, "không tìm thấy phần giao nhiệm vụ (mục “TỔ CHỨC THỰC HIỆN”) trong văn bản"
        )
    start = len(paragraphs) if start is None else start
    end = next(
        (i for i in range(start + 1, len(paragraphs)) if _ends_section(paragraphs[i])),
        len(paragraphs),
    )
    tasks, loose = _tasks(paragraphs[start + 1 : end])
    if not tasks and not rows:
        raise DocumentError(
            source, "mục “TỔ CHỨC THỰC HIỆN” không giao việc cho đơn vị nào (không có mục “1. …:”)"
        )
    outside = [p for p in (*paragraphs[:start], *paragraphs[end:]) if not p.is_row]
    return Layout(title(paragraphs, source), tuple(tasks), tuple(outside), tuple(loose), rows)


def _ends_section(paragraph: Paragraph) -> bool:
    """A table row ends the section only as the signature block ("Nơi nhận: … | T/M …");
    its numbering ("II. | …") is the table's, not the document's."""
    if paragraph.is_row:
        return bool(_CLOSING.match(fold(paragraph.cells[0])))
    if _PART.match(paragraph.text):
        return True
    return not paragraph.is_bullet and bool(_CLOSING.match(fold(paragraph.text)))


def _tasks(section: list[Paragraph]) -> tuple[list[Task], list[Paragraph]]:
    tasks: list[Task] = []
    loose: list[Paragraph] = []
    heading: str | None = None
    for bullet, paragraph in enumerate(section):
        if paragraph.is_row:  # an assignment table is read by read_tables, others ignored
            continue
        text = paragraph.text
        unit = _UNIT_HEADING.match(text)
        inline = ""
        if unit and not paragraph.is_bullet:
            heading, text = unit.group("name"), unit.group("rest")
            inline = f"{heading}: "
        if not text.strip():
            continue
        if heading is None:
            loose.append(paragraph)
            continue
        body = text.removeprefix("- ")
        for part, part_text in enumerate(split_tasks(body)):
            quote = f"{inline}{part_text}" if part == 0 else part_text
            tasks.append(Task(heading, part_text, paragraph.line, bullet, part, quote))
    return tasks, loose


def split_tasks(bullet: str) -> list[str]:
    """A bullet's sentences grouped into tasks: a sentence opening with an action verb
    ("Tổng hợp…", "Cung cấp…") starts a new one; others ("Báo cáo gửi về…") continue."""
    parts: list[list[str]] = []
    for sentence in _SENTENCE_END.split(bullet.strip()):
        if not parts or fold(sentence).startswith(_TASK_VERBS):
            parts.append([sentence])
        else:
            parts[-1].append(sentence)
    return [" ".join(sentences) for sentences in parts]


def title(paragraphs: list[Paragraph], source: str) -> str:
    """The line after "KẾ HOẠCH" (or the rest of that line), else the file's name."""
    for i, paragraph in enumerate(paragraphs):
        folded = fold(paragraph.text)
        if not folded.startswith("ke hoach"):
            continue
        rest = paragraph.text[len("kế hoạch") :].strip(" :")
        if rest:
            return rest
        if i + 1 < len(paragraphs):
            return paragraphs[i + 1].text
    return source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
