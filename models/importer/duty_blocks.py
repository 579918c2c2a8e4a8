"""Duty blocks: a task followed by "Đơn vị chủ trì: … / Đơn vị phối hợp: … / Thời gian thực
hiện: …" lines, the way many plans assign the work of their "NHIỆM VỤ, GIẢI PHÁP" part; also
lettered ("a) Nhiệm vụ: … / b) Cơ quan thực hiện: … / c) Thời gian thực hiện: …") and
"- Nội dung: … / - Cơ quan thực hiện: Sở X chủ trì, phối hợp …" blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from models.importer.assigned import NUMBERING, assigned_owner
from models.importer.names import fold
from models.importer.text import Paragraph


class Label(StrEnum):
    """What a labelled line of a block gives."""

    OWNER = "owner"
    PARTNER = "partner"
    TIME = "time"
    CONTENT = "content"


# "Đơn vị chủ trì tham mưu thực hiện:", "Cơ quan thực hiện:", "- Thời gian thực hiện:",
# "Thời hạn hoàn thành:", "Nội dung (thực hiện):", "Nhiệm vụ:"; compared folded. Partner
# before owner: "Đơn vị phối hợp thực hiện" names partners although it says "thực hiện".
_LABELS: list[tuple[Label, re.Pattern[str]]] = [
    (Label.PARTNER, re.compile(r"^(?:don vi|co quan)\s+phoi hop\b")),
    (Label.OWNER, re.compile(r"^(?:don vi|co quan)\s+(?:chu tri|thuc hien|chiu trach nhiem)\b")),
    # "Thời hạn ban hành: trước ngày 01 tháng 01 năm 2026" (QĐ 2623/QĐ-TTg), "Thời hạn trình"
    (
        Label.TIME,
        re.compile(r"^(?:thoi gian|thoi han)(?:\s+(?:thuc hien|hoan thanh|ban hanh|trinh|nop))?$"),
    ),
    (Label.CONTENT, re.compile(r"^(?:noi dung(?: thuc hien| cong viec)?|nhiem vu)$")),
]
# What a label line may open with: a bullet, or a letter item ("b) Cơ quan thực hiện:").
_LABEL_PREFIX = re.compile(r"^(?:[-+]\s+|[a-zđ]\)\s+)")
# "Sở Văn hóa và Thể thao chủ trì, phối hợp với …": the owner line names the lead, no work
# ("Sở Nội vụ chủ trì tham mưu … ban hành Kế hoạch; Sở Tư pháp … tổ chức …" is work).
_LEADS = re.compile(r"^\s*chủ trì\s*(?:[.;]?\s*$|,\s*phối hợp với\s+(?P<partners>.*)$)", re.DOTALL)
_ITEM = ("+ ", "- ")  # a sub-item ("+" is often read as "-")
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
    # "+ Sở Xây dựng đăng tải …" under an empty "Cơ quan thực hiện:": owners with work of their own
    owned: tuple[Paragraph, ...] = ()
    # "- Nội dung:" then "+ Tổng kết …", "+ Tập huấn …": works of one owner, each a task (its
    # text, its line); empty when the block's content is one task
    works: tuple[tuple[str, int], ...] = ()


def labelled(text: str) -> tuple[Label, str] | None:
    """ "Đơn vị chủ trì thực hiện: Sở Tư pháp." → (OWNER, "Sở Tư pháp."); None for other text."""
    head, colon, value = _LABEL_PREFIX.sub("", text, count=1).partition(":")
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
    """The labelled lines, and the "+" items that name owners under an empty owner label
    ("- Cơ quan thực hiện:" then "+ Sở X chủ trì …", "+ Sở Y đăng tải …")."""
    end = start
    owners_below = False
    while end < len(paragraphs) and not paragraphs[end].is_row:
        text = paragraphs[end].text
        found = labelled(text)
        if found is None and owners_below and text.startswith(_ITEM) and assigned_owner(text):
            end += 1
            continue
        if found is None or found[0] is Label.CONTENT:
            break
        # "- Thời gian thực hiện:" with nothing after it, then "+ Các bộ … gửi kết quả rà soát
        # về Bộ Công an trước ngày …", "+ Bộ Công an tổng hợp …": owners with dated work below
        owners_below = found[0] in (Label.OWNER, Label.TIME) and not found[1]
        end += 1
    return end


def _block(
    heading: Paragraph | None, task: list[Paragraph], lines: list[Paragraph]
) -> DutyBlock | None:
    values: dict[Label, tuple[str, int]] = {}
    owned: list[Paragraph] = []
    for paragraph in lines:
        found = labelled(paragraph.text)
        if found is None:
            owned.append(paragraph)
        elif found[1]:  # "b) Cơ quan thực hiện:" alone: its owner is on the lines below
            values.setdefault(found[0], (found[1], paragraph.line))
    lead = _lead_item(owned)
    if lead is not None:
        owned.remove(lead)
        values.setdefault(Label.OWNER, (lead.text[2:], lead.line))
    taken = _task_lines(heading, task)
    if Label.OWNER not in values or not taken:
        return None
    owner, owner_line = values[Label.OWNER]
    owner = _SCOPE.sub("", owner)
    owner, partners = _lead(owner) or (owner, "")
    return DutyBlock(
        line=taken[0].line,
        content=" ".join(filter(None, (_content_text(p.text) for p in taken))),
        owner=owner,
        owner_line=owner_line,
        partners=values.get(Label.PARTNER, (partners, 0))[0],
        time=values.get(Label.TIME, ("", 0))[0],
        lines=frozenset(p.line for p in [*taken, *lines]),
        owned=tuple(owned),
        works=_listed_works(taken),
    )


MIN_LISTED_WORKS = 2


def _listed_works(taken: list[Paragraph]) -> tuple[tuple[str, int], ...]:
    """ "- Nội dung:", a bullet with nothing after its colon, then its sub-items: each is a work
    of its own (KH 174/KH-UBND Hồ Chí Minh, III.2.a: "+ Tổng kết …", "+ Tập huấn …"). The
    bullets under a lettered "a) Nhiệm vụ:" stay one work, the block's (KH 308/KH-UBND Hà Nội
    counts them so): a counting choice of the corpus, not a rule of the language."""
    if not taken or (found := labelled(taken[0].text)) is None or found != (Label.CONTENT, ""):
        return ()
    items = taken[1:]
    if not taken[0].is_bullet or len(items) < MIN_LISTED_WORKS:
        return ()
    if not all(p.is_bullet for p in items):
        return ()
    return tuple((p.text[2:].strip(), p.line) for p in items)


def _task_lines(heading: Paragraph | None, task: list[Paragraph]) -> list[Paragraph]:
    """The task's words: from its "Nhiệm vụ:" / "Nội dung:" line when it has one (the heading
    above, "a) Hoạt động 1", only names it), else the heading and every paragraph."""
    for index, paragraph in enumerate(task):
        found = labelled(paragraph.text)
        if found is not None and found[0] is Label.CONTENT:
            return task[index:]
    return [*([heading] if heading else []), *task]


def _lead_item(owned: list[Paragraph]) -> Paragraph | None:
    """Of the "+" owner items, the one that only names the lead ("+ Sở X chủ trì, phối hợp …")."""
    return next((p for p in owned if _lead(p.text[2:]) is not None), None)


def _lead(owner: str) -> tuple[str, str] | None:
    """ "Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành …" → the lead and its partners;
    None for an owner line that is a sentence of work ("Sở X tiến hành rà soát …")."""
    name = assigned_owner(owner)
    if name is None or not owner.startswith(name):
        return None
    leads = _LEADS.match(owner[len(name) :])
    return (name, (leads.group("partners") or "").strip(" .")) if leads else None


def _content_text(text: str) -> str:
    found = labelled(text)
    return found[1] if found else text.removeprefix("- ").removeprefix("+ ")
