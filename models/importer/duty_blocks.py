"""Duty blocks: a task followed by "Đơn vị chủ trì: … / Đơn vị phối hợp: … / Thời gian thực
hiện: …" lines, the way many plans assign the work of their "NHIỆM VỤ, GIẢI PHÁP" part."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from models.importer.assigned import NUMBERING
from models.importer.names import fold
from models.importer.text import Paragraph


class Label(StrEnum):
    """What a labelled line of a block gives."""

    OWNER = "owner"
    PARTNER = "partner"
    TIME = "time"
    CONTENT = "content"


# "Đơn vị chủ trì tham mưu thực hiện:", "Cơ quan thực hiện:", "- Thời gian thực hiện:",
# "Thời hạn hoàn thành:", "Nội dung:"; compared folded. Partner before owner: "Đơn vị phối hợp
# thực hiện" names partners although it says "thực hiện".
_LABELS: list[tuple[Label, re.Pattern[str]]] = [
    (Label.PARTNER, re.compile(r"^(?:don vi|co quan)\s+phoi hop\b")),
    (Label.OWNER, re.compile(r"^(?:don vi|co quan)\s+(?:chu tri|thuc hien|chiu trach nhiem)\b")),
    (Label.TIME, re.compile(r"^(?:thoi gian|thoi han)(?:\s+(?:thuc hien|hoan thanh))?$")),
    (Label.CONTENT, re.compile(r"^noi dung$")),
]
MAX_LABEL_WORDS = 8  # "Đơn vị chủ trì tham mưu thực hiện" — a longer head is a sentence
# "Các sở, ngành có liên quan theo chức năng, nhiệm vụ …": the scope is no part of the name.
_SCOPE = re.compile(r"\s+(?:theo|căn cứ)\s+(?:chức năng|quy định)\b.*$", re.DOTALL)
_PART = re.compile(r"^[IVXLC]+\s*[.)]\s+\S")


@dataclass(frozen=True)
class DutyBlock:
    """One block: the task it closes (its heading and paragraphs) and its labelled lines."""

    line: int  # the task's first line
    content: str  # the task as written (heading and paragraphs, joined)
    owner: str
    owner_line: int
    partners: str = ""
    time: str = ""
    lines: frozenset[int] = frozenset()  # every paragraph the block takes


def labelled(text: str) -> tuple[Label, str] | None:
    """ "Đơn vị chủ trì thực hiện: Sở Tư pháp." → (OWNER, "Sở Tư pháp."); None for other text."""
    head, colon, value = text.removeprefix("- ").partition(":")
    if not colon or len(head.split()) > MAX_LABEL_WORDS:
        return None
    folded = fold(head).strip()
    label = next((label for label, pattern in _LABELS if pattern.search(folded)), None)
    return (label, value.strip()) if label else None


def read_blocks(paragraphs: list[Paragraph]) -> list[DutyBlock]:
    """Every block whose lines name an owner; the task is what stands between the block and
    the previous one (or the numbered heading above it, when nothing else does)."""
    blocks: list[DutyBlock] = []
    task: list[Paragraph] = []  # paragraphs since the last block or heading
    heading: Paragraph | None = None  # the numbered heading the task sits under, if unused
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        found = None if paragraph.is_row else labelled(paragraph.text)
        if found is None or found[0] is Label.CONTENT:
            heading, task = _gather(paragraph, heading, task, found)
            index += 1
            continue
        end = _block_end(paragraphs, index)
        block = _block(heading, task, paragraphs[index:end])
        if block is not None:
            blocks.append(block)
            heading, task = None, []
        index = end
    return blocks


def _gather(
    paragraph: Paragraph,
    heading: Paragraph | None,
    task: list[Paragraph],
    found: tuple[Label, str] | None,
) -> tuple[Paragraph | None, list[Paragraph]]:
    """A part or numbered heading starts a new task; anything else adds to it."""
    if paragraph.is_row or _PART.match(paragraph.text):
        return None, []
    if found is None and _is_heading(paragraph.text):
        return paragraph, []
    return heading, [*task, paragraph]


def _is_heading(text: str) -> bool:
    return not text.startswith(("- ", "+ ")) and bool(NUMBERING.match(text))


def _block_end(paragraphs: list[Paragraph], start: int) -> int:
    end = start
    while end < len(paragraphs) and not paragraphs[end].is_row:
        found = labelled(paragraphs[end].text)
        if found is None or found[0] is Label.CONTENT:
            break
        end += 1
    return end


def _block(
    heading: Paragraph | None, task: list[Paragraph], lines: list[Paragraph]
) -> DutyBlock | None:
    values: dict[Label, tuple[str, int]] = {}
    for paragraph in lines:
        found = labelled(paragraph.text)
        if found is not None:
            values.setdefault(found[0], (found[1], paragraph.line))
    taken = [*([heading] if heading else []), *task]
    if Label.OWNER not in values or not taken:
        return None
    owner, owner_line = values[Label.OWNER]
    owner = _SCOPE.sub("", owner)
    content = " ".join(_content_text(p.text) for p in taken)
    return DutyBlock(
        line=taken[0].line,
        content=content,
        owner=owner,
        owner_line=owner_line,
        partners=values.get(Label.PARTNER, ("", 0))[0],
        time=values.get(Label.TIME, ("", 0))[0],
        lines=frozenset(p.line for p in [*taken, *lines]),
    )


def _content_text(text: str) -> str:
    found = labelled(text)
    return found[1] if found else text.removeprefix("- ")
