"""The shape of a plan document: its title, and the section that assigns work to units."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from models.importer.assigned import (
    NUMBERING,
    assigned_owner,
    general_duty,
    gives_no_work,
    is_body,
    lead_in_owner,
    owner_heading,
    role_heading,
    split_owners,
    unnumbered,
    without_aside,
    without_general_duties,
)
from models.importer.assignment_tables import TableRow, read_tables
from models.importer.duty_blocks import DutyBlock, Label, labelled, read_blocks
from models.importer.names import fold
from models.importer.paragraph_tasks import Task, has_deadline, issuer_request, sentence_tasks
from models.importer.period_phrases import periods_in_text
from models.importer.problems import DocumentError
from models.importer.text import Paragraph

_ASSIGNMENT = re.compile(r"^(?:[ivxlc]+|\d+)\s*[.)/]\s*to chuc thuc hien\b")
_PART = re.compile(r"^[IVXLC]+\s*[.)]\s+\S")
# Parts after "TỔ CHỨC THỰC HIỆN" that still give work: "VI. KINH PHÍ THỰC HIỆN", "VII. CHẾ ĐỘ
# BÁO CÁO" ("Các sở … gửi báo cáo … về Sở Nội vụ trước ngày 16 tháng 12 năm 2025").
_WORK_PART = re.compile(
    r"^[ivxlc]+\s*[.)]\s+(?:kinh phi|che do (?:thong tin,? )?bao cao|bao cao|thong tin bao cao"
    # "VI. TỔ CHỨC THEO DÕI, KIỂM TRA VÀ CHẾ ĐỘ BÁO CÁO" (KH 552/KH-UBND Đồng Tháp)
    r"|[^.]*\bva che do (?:thong tin,? )?bao cao)\b"
)
_UNIT_HEADING = re.compile(
    r"^(?:\d{1,2}|[a-zđ])\s*[.)]\s+(?P<name>[^:]{3,160}?)\s*:\s*(?P<rest>.*)$"
)
_CLOSING = re.compile(
    r"^(?:noi nhan|tren day la (?:ke hoach|chi thi|cong van|thong bao|quyet dinh)"
    r"|trong qua trinh (?:to chuc )?(?:thuc hien|trien khai)"
    r"|de nghi cac (?:co quan|don vi|dia phuong).*(?:nghiem tuc|thuc hien|trien khai))"
)
# A sentence that opens with one of these starts a new task within a bullet.
_TASK_VERBS = (
    "tong hop", "chuan bi", "cung cap", "xay dung", "chu dong", "chi dao", "phoi hop",
    "chu tri", "to chuc", "gui ", "lap ", "hoan thanh", "tham muu", "bo tri",
)  # fmt: skip
BLOCK_BULLETS = 1_000_000  # bullet numbers of block tasks: apart from the section's own
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\W\d_])")


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
    blocks = read_blocks(paragraphs)
    block_tasks, block_rows = _block_work(blocks)
    rows = (*read_tables(paragraphs), *block_rows)
    claimed = {line for block in blocks for line in block.lines}
    paragraphs = [p for p in paragraphs if p.is_row or p.line not in claimed]
    start = next((i for i, p in enumerate(paragraphs) if _is_assignment_heading(p.text)), None)
    if start is None:
        return _letter_layout(paragraphs, rows, source, block_tasks)
    end = next(
        (
            i
            for i in range(start + 1, len(paragraphs))
            if _ends_section(paragraphs[i]) and not _WORK_PART.match(fold(paragraphs[i].text))
        ),
        len(paragraphs),
    )
    tasks, loose = _tasks(paragraphs[start + 1 : end])
    parts = _responsibility_parts(paragraphs, start, end)
    before = [p for i, p in enumerate(paragraphs[:start]) if not any(i in part for part in parts)]
    earlier = [t for part in parts if part.start < start for t in _tasks(_at(paragraphs, part))[0]]
    later = [t for part in parts if part.start > start for t in _tasks(_at(paragraphs, part))[0]]
    tasks = [*block_tasks, *_listed_before(before), *earlier, *tasks, *later]
    if not tasks and not rows:
        # "VI. TỔ CHỨC THỰC HIỆN" may only say how to proceed while the work sits under owner
        # sub-headings elsewhere ("IV. NHIỆM VỤ CỤ THỂ" … "1.2. Sở Tài chính"): read the
        # document as a letter is read; it is refused only when that finds nothing either.
        return _letter_layout(paragraphs, rows, source, block_tasks)
    outside = [p for p in (*paragraphs[:start], *paragraphs[end:]) if not p.is_row]
    return Layout(title(paragraphs, source), tuple(tasks), tuple(outside), tuple(loose), rows)


_ASSIGNED = re.compile(r"^Giao\s+\S")
_LETTERED = re.compile(r"^\s*[a-zđ]\)\s")
_TOPIC_LEAD = re.compile(r"^Đối với\s[^.;]*:$")
# "12. Các tổ chức, cá nhân và hộ gia đình khai thác … có trách nhiệm" (CT 09/CT-UBND Cần Thơ):
# the duties of private persons, not work of a unit.
_PRIVATE_HEADING = re.compile(
    r"^\d{1,2}\s*[.)]\s+[^.;]*\b(?:cá nhân|hộ gia đình|người dân)\b[^.;]*"
    r"(?:có|chịu) trách nhiệm\s*:?$"
)
# What a numbered "X: …" names when it is a field of the plan, not an owner (QĐ 2954/QĐ-UBND,
# IV. KINH PHÍ: "1. Nguồn ngân sách: …", "2. Nguồn xã hội hóa …").
_FIELD_LABEL = re.compile(
    r"^(?:Nguồn|Kinh phí|Ngân sách|Thời gian|Nội dung|Mục đích|Yêu cầu|Phạm vi|Đối tượng|Hình thức"
    r"|Địa điểm|Thành phần|Chế độ|Tiến độ|Sản phẩm|Phương thức|Cách thức)\b",
    re.IGNORECASE,
)
# What a lettered line under an owner opens with when it leads in work, not a new owner.
_WORK_LEAD = re.compile(
    r"^(?:tham mưu|chủ trì|phối hợp|thực hiện|triển khai|xây dựng|tổ chức|hướng dẫn|chỉ đạo"
    r"|báo cáo|đề xuất|nghiên cứu|rà soát)\b",
    re.IGNORECASE,
)
# A part that hands out the work besides "TỔ CHỨC THỰC HIỆN": "III. NHIỆM VỤ, GIẢI PHÁP, PHÂN
# CÔNG TRÁCH NHIỆM" … "2. Phân công trách nhiệm" … "2.1. Sở Tài chính" (KH 182/KH-UBND Đồng Nai).
_RESPONSIBILITIES = re.compile(r"\bphan cong (?:trach nhiem|nhiem vu|thuc hien)\b")
MAX_PART_HEADING_WORDS = 20


def _responsibility_parts(paragraphs: list[Paragraph], start: int, end: int) -> list[range]:
    """The paragraphs of each part outside the assignment section [start, end) whose heading
    says it assigns the work, from its innermost such heading to the next part ("IV. …") or
    the section; none overlaps another."""
    parts: list[range] = []
    for index, paragraph in enumerate(paragraphs):
        if start <= index < end or not _responsibility_heading(paragraph):
            continue
        stop = next(
            (
                i
                for i in range(index + 1, len(paragraphs))
                if i == start or _ends_section(paragraphs[i])
            ),
            len(paragraphs),
        )
        if parts and index in parts[-1]:
            # "2. Phân công trách nhiệm" inside "III. NHIỆM VỤ, GIẢI PHÁP, PHÂN CÔNG TRÁCH
            # NHIỆM": the part starts at the inner heading ("1. Nhiệm vụ, giải pháp tổng thể"
            # before it names no owner)
            parts.pop()
        parts.append(range(index + 1, stop))
    return parts


def _responsibility_heading(paragraph: Paragraph) -> bool:
    """ "2. Phân công trách nhiệm"; also a part that still gives work ("III. KINH PHÍ THỰC HIỆN":
    "3. Bộ Tài chính chủ trì tổng hợp, trình cấp có thẩm quyền bố trí kinh phí …", QĐ
    2623/QĐ-TTg), read as the assignment section's own such parts are."""
    text = paragraph.text
    if paragraph.is_row or paragraph.is_bullet or len(text.split()) > MAX_PART_HEADING_WORDS:
        return False
    if _WORK_PART.match(fold(text)):
        return True
    return bool(_PART.match(text) or _is_item(text)) and bool(_RESPONSIBILITIES.search(fold(text)))


def _at(paragraphs: list[Paragraph], part: range) -> list[Paragraph]:
    return paragraphs[part.start : part.stop]


def _is_assignment_heading(text: str) -> bool:
    """ "VI. TỔ CHỨC THỰC HIỆN" is the section; a content item that lists work after the same
    words ("4. Tổ chức thực hiện kiểm kê, đôn đốc, kiểm tra, …") is no heading: a heading names
    no list."""
    folded = fold(text)
    found = _ASSIGNMENT.match(folded)
    return found is not None and "," not in folded[found.end() :]


def _block_work(blocks: list[DutyBlock]) -> tuple[list[Task], tuple[TableRow, ...]]:
    """A block is read as a table row is (owner, partners, time by label); when its owner
    line is itself a sentence ("Cơ quan thực hiện: Sở X tiến hành rà soát …; các sở … rà soát
    …"), each of its clauses that names an owner is a task of its own, and so is each "+" item
    below it that names an owner with work of its own."""
    tasks: list[Task] = []
    rows: list[TableRow] = []
    for block in blocks:
        for owned in block.owned:  # "+ Sở Xây dựng đăng tải …": an owner with its own work
            tasks += sentence_tasks(owned, BLOCK_BULLETS + owned.line, None)
        if assigned_owner(block.owner) and block.owned:
            continue  # the owner line says the same work as the "+" items below, undated
        if assigned_owner(block.owner):
            said = Paragraph(block.owner, block.owner_line)
            tasks += sentence_tasks(said, BLOCK_BULLETS + block.owner_line, None)
            continue
        place = "Khối “Đơn vị chủ trì”"  # the note's own line says where
        for content, line in block.works or ((block.content, block.line),):
            rows.append(
                TableRow(
                    table=0,
                    number=str(line),
                    line=line,
                    content=content,
                    owner=block.owner,
                    partners=block.partners,
                    time=block.time,
                    place=place,
                )
            )
    return tasks, tuple(rows)


LISTED_BULLETS = 2 * BLOCK_BULLETS  # bullet numbers of activities listed before the section
_TOP_ITEM = re.compile(r"^\d{1,2}\s*[.)]\s")


def _listed_before(paragraphs: list[Paragraph]) -> list[Task]:
    """Activities a lead-in gives before the assignment section ("Căn cứ tình hình thực tế,
    các cơ quan, đơn vị, địa phương phối hợp thực hiện các hoạt động sau:"): each bullet below
    it is a task of the body it names, due within its part's time line ("b) Thời gian: Từ ngày
    15/11/2025 đến ngày 15/12/2025") when it gives no deadline of its own."""
    tasks: list[Task] = []
    owners: tuple[str, ...] = ()
    time = ""  # the time line of the part being read
    for paragraph in (p for p in paragraphs if not p.is_row):
        text = paragraph.text
        if _PART.match(text) or _TOP_ITEM.match(text):
            time = ""
        found = labelled(text)
        if found is not None and found[0] is Label.TIME:
            time = found[1]
        if owners and paragraph.is_bullet:
            body = text[2:]
            bullet = LISTED_BULLETS + paragraph.line
            task = Task(owners[0], body, paragraph.line, bullet, 0, body, owners[1:])
            tasks.append(_within(task, time.rstrip(" .")))
            continue
        led = None if paragraph.is_bullet else lead_in_owner(text)
        owners = split_owners(led) if led else ()
    return tasks


def _letter_layout(
    paragraphs: list[Paragraph],
    rows: tuple[TableRow, ...],
    source: str,
    block_tasks: list[Task],
) -> Layout:
    """A letter, công điện, thông báo or kết luận has no "TỔ CHỨC THỰC HIỆN": its body's
    items and sentences that give work to a body are the tasks."""
    tasks, loose = read_letter(paragraphs)
    tasks = [*block_tasks, *tasks]
    if not tasks and not rows:
        raise DocumentError(
            source,
            "không tìm thấy phần giao nhiệm vụ (mục “TỔ CHỨC THỰC HIỆN”, hay câu “Giao …”, "
            "“Đề nghị …”, “<đơn vị> chủ trì …”) trong văn bản",
        )
    return Layout(title(paragraphs, source), tuple(tasks), (), tuple(loose), rows)


def _ends_section(paragraph: Paragraph) -> bool:
    """A table row ends the section only as the signature block ("Nơi nhận: … | T/M …");
    its numbering ("II. | …") is the table's, not the document's."""
    if paragraph.is_row:
        return bool(_CLOSING.match(fold(paragraph.cells[0])))
    if _PART.match(paragraph.text):
        return True
    if paragraph.text.isupper() and fold(paragraph.text).startswith("phu luc"):
        return True  # "PHỤ LỤC": the appendix, read as tables
    return not paragraph.is_bullet and bool(_CLOSING.match(fold(paragraph.text)))


def _tasks(section: list[Paragraph]) -> tuple[list[Task], list[Paragraph]]:
    tasks: list[Task] = []
    loose: list[Paragraph] = []
    heading: tuple[str, ...] | None = None  # the owner, then any other owners it names
    for bullet, paragraph in enumerate(section):
        if paragraph.is_row:  # an assignment table is read by read_tables, others ignored
            continue
        text = paragraph.text
        if _PART.match(text):  # "VII. CHẾ ĐỘ BÁO CÁO": a part that still gives work
            heading = None
            continue
        if not paragraph.is_bullet and role_heading(text):
            continue  # "a) Chủ trì, phối hợp với …": the owner's bullets follow
        if _TOPIC_LEAD.match(unnumbered(text)):
            continue  # "Đối với Ban Thường vụ (hoặc Ban Chủ nhiệm) các hội …:", a case, no work
        if not paragraph.is_bullet and issuer_request(text):
            heading = None  # "Ủy ban nhân dân Thành phố yêu cầu các Sở …": the closing
        if own := _paragraph_of_its_own(paragraph, bullet, heading):
            tasks += own
            continue
        unit = _UNIT_HEADING.match(text)
        if unit and _FIELD_LABEL.match(unit.group("name")):
            unit = None  # "1. Nguồn ngân sách: Hàng năm, … các sở ngành … xây dựng dự toán …"
        if unit and heading is not None and _WORK_LEAD.match(unit.group("name")):
            # "a) Tham mưu Ủy ban nhân dân tỉnh trình Hội đồng nhân dân cấp tỉnh quyết định:"
            # under "2.1. Sở Tài chính" leads in the owner's items, it names no owner
            if not unit.group("rest").strip():
                continue
            unit = None
        if _numbered_item(paragraph, unit):
            heading, owned, consumed = _read_item(paragraph, bullet, heading)
            tasks += owned
            if consumed:
                continue
        inline = ""
        if unit and not paragraph.is_bullet:
            heading, text = (without_aside(unit.group("name")),), unit.group("rest")
            inline = f"{heading[0]}: "
            led = lead_in_owner(f"{heading[0]}:")  # "3. Giao Ban cán sự đảng … chỉ đạo:"
            heading = split_owners(led) if led else heading
        elif not paragraph.is_bullet and (led := lead_in_owner(text)):
            heading = split_owners(led)  # "UBND tỉnh giao Ban cán sự đảng … chỉ đạo:"
            continue
        if not text.strip():
            continue
        if heading is None:
            loose.append(paragraph)
            continue
        # "Trong phạm vi, lĩnh vực quản lý của mình, chủ động …" is no work; a dated sentence
        # after such a sentence still is
        body = without_general_duties(text.removeprefix("- "))
        if not body:
            continue
        for part, part_text in enumerate(split_tasks(body)):
            quote = f"{inline}{part_text}" if part == 0 else part_text
            tasks.append(
                Task(heading[0], part_text, paragraph.line, bullet, part, quote, heading[1:])
            )
    return tasks, loose


def _paragraph_of_its_own(
    paragraph: Paragraph, bullet: int, heading: tuple[str, ...] | None
) -> list[Task]:
    """A plain paragraph under no heading that names its owner ("Các sở … gửi báo cáo … về Sở
    Nội vụ trước ngày 16 tháng 12 năm 2025", under "VII. CHẾ ĐỘ BÁO CÁO") is that owner's task."""
    if heading is not None or (_is_item(paragraph.text) and not paragraph.is_bullet):
        return []
    # a bullet under no owner that names its own ("- Sở Khoa học và Công nghệ tổng hợp, báo cáo
    # … trước ngày 30/11 hằng năm", under "2. Chế độ báo cáo") is that owner's too
    return sentence_tasks(paragraph, bullet, None)


def _numbered_item(paragraph: Paragraph, unit: re.Match[str] | None) -> bool:
    """A numbered item the colon-heading rule does not read: "2. Giao Sở Tư pháp", "6. Bộ X
    chủ trì …", or "6. Đề nghị: Hiệp hội …" (a colon after the prefix only)."""
    if paragraph.is_bullet or not _is_item(paragraph.text):
        return False
    return unit is None or fold(unit.group("name")) in ("de nghi", "giao", "doi voi")


def _read_item(
    paragraph: Paragraph, bullet: int, heading: tuple[str, ...] | None
) -> tuple[tuple[str, ...] | None, list[Task], bool]:
    """An owner heading becomes the heading; an item whose sentence names its owner is that
    owner's task and ends the heading before it; an item that gives no work ends it too.
    Any other item ("a) Định kỳ tổng hợp báo cáo …") is not consumed: the heading's task."""
    named = owner_heading(paragraph.text)
    if named:
        return split_owners(named), [], True
    if gives_no_work(paragraph.text):
        # a lettered item under the owner ("a) Là cơ quan đầu mối …") ends nothing: "b) …" is
        # still the owner's
        return (heading if _LETTERED.match(paragraph.text) else None), [], True
    owned = sentence_tasks(paragraph, bullet, None)
    return (None, owned, True) if owned else (heading, [], False)


def split_tasks(bullet: str) -> list[str]:
    """A bullet's sentences grouped into tasks: a sentence opening with an action verb
    ("Tổng hợp…", "Cung cấp…") starts a new one; others ("Báo cáo gửi về…") continue."""
    parts: list[list[str]] = []
    for sentence in _SENTENCE_END.split(bullet.strip()):
        folded = fold(sentence)
        # "Hoàn thành, báo cáo kết quả … trong tháng 11/2025." closes the work before it
        if not parts or (folded.startswith(_TASK_VERBS) and not folded.startswith("hoan thanh,")):
            parts.append([sentence])
        else:
            parts[-1].append(sentence)
    return [" ".join(sentences) for sentences in parts]


_SUBJECT = re.compile(r"(?:^|\s)V/v\.?\s+(?P<subject>\S.*)$")
MAX_HEADER = 12  # the "V/v" and "CHỈ THỊ" lines sit in the header block


def title(paragraphs: list[Paragraph], source: str) -> str:
    """The line after "KẾ HOẠCH" (or the rest of that line), else a letter's subject ("V/v
    đề xuất biên chế …") or a directive's (the line after "CHỈ THỊ"), else the file's name."""
    for i, paragraph in enumerate(paragraphs):
        folded = fold(paragraph.text)
        if not folded.startswith("ke hoach"):
            continue
        rest = paragraph.text[len("kế hoạch") :].strip(" :")
        if rest:
            return rest
        if i + 1 < len(paragraphs):
            return paragraphs[i + 1].text
    subject = next((s for p in paragraphs[:MAX_HEADER] if (s := _subject(p.text))), None)
    return subject or _directive_title(paragraphs) or source.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _directive_title(paragraphs: list[Paragraph]) -> str | None:
    """A directive names its subject on the line after "CHỈ THỊ" ("VỀ VIỆC TĂNG CƯỜNG …")."""
    for here, after in pairwise(paragraphs[: MAX_HEADER + 1]):
        if fold(here.text).strip(" *") == "chi thi":
            return after.text.strip(" *")
    return None


def _subject(text: str) -> str | None:
    """ "Số: 10989/BNV-TCBC V/v đề xuất biên chế …" → "đề xuất biên chế …"."""
    found = _SUBJECT.search(text)
    return found.group("subject").strip(" *_") if found else None


_DUTY_HEADING = re.compile(r"^Điều\s+\d+\s*\.\s+Trách nhiệm(?:\s+của)?\s+(?P<name>[^.;:]{3,120})$")
_ASSESSMENT = re.compile(r"^(?:ve )?(?:danh gia|tinh hinh|ket qua dat duoc)")
_DUTY = re.compile(r"^Chịu trách nhiệm\b")  # a standing duty restated, no work to deliver
# A one-sentence item that only restates duties under the law: "Thực hiện đầy đủ quyền, nghĩa vụ
# và trách nhiệm chủ rừng theo quy định của Luật Lâm nghiệp và các quy định liên quan."
_RESTATED = re.compile(
    r"^Thực hiện (?:đầy đủ|đúng|nghiêm)\s[^.;]*\b(?:quyền|nghĩa vụ|trách nhiệm)\b[^.;]*"
    r"\btheo quy định\b[^.;]*\.?$"
)
# "Nơi nhận:" and the bodies a text is sent to for information ("- Các cơ quan, ban đảng Trung
# ương, - Các tỉnh uỷ, …", "- Lưu: VT"): no work.
_RECEIVERS = re.compile(r"^noi nhan\b")
# The signature block: "Nơi nhận:", "Kính gửi:", "KT. CHỦ TỊCH …", "TM. ỦY BAN NHÂN DÂN …".
_SIGNATURE = re.compile(r"^(?:noi nhan|kinh gui)\b|^(?:kt|tm|t/m|tl|tuq)\.\s")


def read_letter(paragraphs: list[Paragraph]) -> tuple[list[Task], list[Paragraph]]:
    """The tasks of a document with no assignment section, in reading order: under an owner
    heading ("1.1. Giao Sở X", "Điều 6. Trách nhiệm Văn phòng UBND tỉnh") every item is the
    owner's; elsewhere only a sentence that names its owner ("Giao X …", "X chủ trì …") is a
    task. Dated items no owner can be found for are `loose` (reported as unplaced)."""
    tasks: list[Task] = []
    loose: list[Paragraph] = []
    heading: str | None = None
    assessing = False  # in a part that reviews the past ("1. Về đánh giá tình hình …")
    horizon = ""  # the period a topic gives its items ("2. Về nhiệm vụ … đến tháng 6/2027")
    addressees = _addressee_lines(paragraphs)
    untimed = 0  # the first task the next time line ("Thời gian hoàn thành: …") is for
    led_by_item = False  # the heading is a numbered item's lead-in ("1. Các đồng chí … sau:")
    distribution = False  # in the list after "Nơi nhận:", up to the next title ("KẾ HOẠCH")
    letter_lead: str | None = None  # the owner the letter's opening asks for its points
    sub_lead: tuple[str | None] | None = None  # the heading a lettered lead-in stands in for
    for index, paragraph in enumerate(paragraphs):
        if paragraph.is_row or index in addressees:
            continue
        text = paragraph.text
        if _RECEIVERS.match(fold(text)):
            distribution = True
        elif text.isupper():
            distribution = False  # a plan attached after a decision's signature
        if distribution:
            continue
        if not paragraph.is_bullet and role_heading(text):
            continue  # "a) Chủ trì, phối hợp với …": the owner's bullets follow
        if (time := _time_line(paragraph)) is not None:
            timed = f"Thời gian: {time}"  # read as a time column ("Tháng 11 - 12/2025")
            tasks[untimed:] = [_within(task, timed) for task in tasks[untimed:]]
            untimed = len(tasks)
            continue
        if led_by_item and _TOP_ITEM.match(text):
            heading, led_by_item = None, False  # "2. …": the next item ends a led-in item's bullets
        if sub_lead is not None and not paragraph.is_bullet:
            heading, sub_lead = sub_lead[0], None  # "e) …" after "d) Giao X …:" and its bullets
        if _PRIVATE_HEADING.match(text):
            heading = None  # citizens' duties: no unit a coordinator can chase
            continue
        named = None if _ends_heading(text) else _letter_heading(text)
        if named:
            heading, untimed = named, len(tasks)
            continue
        if own := _owner_item(paragraph, index):
            tasks.append(own)
            continue
        ended = _ends_heading(text) and not _dated_closing(text)
        if ended or _is_topic(text):
            # a letter's own lead-in ("… yêu cầu các đồng chí Bộ trưởng … thực hiện các nội dung
            # sau:") owns the items of every topic below it, up to the closing
            letter_lead = None if ended else letter_lead
            heading = letter_lead
            # a part that reviews the past is numbered ("1. Về đánh giá tình hình …", "I. KẾT
            # QUẢ ĐẠT ĐƯỢC"); a title line is not ("VỀ TÌNH HÌNH, KẾT QUẢ HOẠT ĐỘNG …" under
            # "KẾT LUẬN" of KL 221-KL/TW names what the text is about, the body gives work)
            assessing = text != unnumbered(text) and bool(_ASSESSMENT.match(fold(unnumbered(text))))
            horizon = " ".join(p.phrase for p in periods_in_text(text)[:1])
            continue
        if assessing or _DUTY.match(unnumbered(text)) or _RESTATED.match(unnumbered(text)):
            continue
        if paragraph.is_bullet and heading is not None and general_duty(text):
            continue  # "- Thực hiện nghiêm túc việc lấy ý kiến …" under an owner: no work
        if _is_item(text) and not paragraph.is_bullet and general_duty(text):
            heading = None  # "6. Các sở … phối hợp … triển khai thực hiện có hiệu quả Chỉ thị này."
            continue
        # a numbered item may lead in too: "1. Các đồng chí Bộ trưởng, … thực hiện tốt một số
        # nội dung trọng tâm sau:" gives its bullets to its subject, it is no task itself
        lettered = _is_item(text) and not _TOP_ITEM.match(text) and not paragraph.is_bullet
        if heading is not None and lettered and text.endswith(":") and (led := lead_in_owner(text)):
            # "d) Giao Ban Quản lý các khu chế xuất … chỉ đạo các đơn vị … có trách nhiệm:" under
            # "8. Giám đốc Sở, …": the bullets below are that body's, then the heading's again
            sub_lead, heading, untimed = (heading,), led, len(tasks)
            continue
        led = None if _is_item(text) and not _TOP_ITEM.match(text) else lead_in_owner(text)
        if led:
            heading, untimed, led_by_item = led, len(tasks), bool(_TOP_ITEM.match(text))
            if not _is_item(text) and not paragraph.is_bullet:
                letter_lead = led
            continue
        if not paragraph.is_bullet and not _is_item(text) and issuer_request(text):
            heading = None  # "Bộ … yêu cầu Thủ trưởng các cơ quan …": the closing, its own
        if heading is not None and (heading is letter_lead or _ASSIGNED.match(unnumbered(text))):
            # "b) Giao Thanh tra thành phố tổ chức thanh tra …" under "8. Giám đốc Sở, …" is
            # the body it names, whatever the heading
            # the opening asks for the points, an item that names its own subject ("2.1. Các Bộ,
            # cơ quan ngang Bộ tiếp tục …") is that subject's
            found = sentence_tasks(paragraph, index, None) or sentence_tasks(
                paragraph, index, heading
            )
        else:
            found = sentence_tasks(paragraph, index, heading)
        tasks += [_within(task, horizon) for task in found]
        if not found and _is_item(text):
            loose.append(paragraph)
    return tasks, loose


# "+ Sở Xây dựng: hướng dẫn …", "+ Sở Tài chính phối hợp Ban Quản lý …: hướng dẫn …": a sub-item
# that names its own owner before a colon ("+" is read as "-").
_OWNER_ITEM = re.compile(r"^[-+]\s+(?P<head>[^:]{3,200}?)\s*:\s*(?P<work>\S.*)$", re.DOTALL)
_PARTNERS = re.compile(r"\s+phối hợp(?:\s+với)?\s+")
MIN_ITEM_WORDS = 4


def _owner_item(paragraph: Paragraph, index: int) -> Task | None:
    """A "+" (or "-") item that names a body before its colon is that body's task, not one of the
    heading's (the heading only groups them); a partner after "phối hợp" is noted."""
    found = _OWNER_ITEM.match(paragraph.text)
    if found is None:
        return None
    owner, *partners = _PARTNERS.split(found.group("head"), maxsplit=1)
    work, quote = found.group("work"), paragraph.text[2:]
    # The work is a clause ("hướng dẫn các cơ quan …"), not a list of names after "Nơi nhận:"
    # ("- Các Bộ: TC, XD, NV, …") or a label ("- Lưu: Văn thư").
    if not is_body(owner) or not work[0].islower() or len(work.split()) < MIN_ITEM_WORDS:
        return None
    return Task(owner, work, paragraph.line, index, 0, quote, tuple(partners))


def _time_line(paragraph: Paragraph) -> str | None:
    """ "Thời gian hoàn thành: Trước ngày 15/11/2025." on a line of its own is the time of the
    task(s) above it (the "+" lines of one bullet share one), not a task: its value, else None."""
    found = None if paragraph.is_bullet else labelled(paragraph.text)
    if found is None or found[0] is not Label.TIME:
        return None
    return found[1].rstrip(" .")


def _addressee_lines(paragraphs: list[Paragraph]) -> set[int]:
    """The bullets after "Kính gửi:" ("- Các cơ quan tham mưu quản lý nhà nước thuộc Bộ;") name
    whom the letter is sent to, not work: up to the first paragraph that is no bullet."""
    lines: set[int] = set()
    after = False
    for index, paragraph in enumerate(paragraphs):
        if fold(paragraph.text).startswith("kinh gui"):
            after = True
        elif after and paragraph.is_bullet:
            lines.add(index)
        else:
            after = False
    return lines


def _within(task: Task, horizon: str) -> Task:
    """A task with no deadline of its own is due by the end of its topic's period, if any."""
    if not horizon or has_deadline(task.text):
        return task
    return replace(task, text=f"{task.text} ({horizon})")


def _dated_closing(text: str) -> bool:
    """ "Trên đây là …, Ban Chỉ đạo … đề nghị các đồng chí Bộ trưởng … báo cáo kết quả thực hiện
    về Ban Chỉ đạo … trước Thứ Tư ngày 03/12/2025 …" (CV 174/CV-BCĐ): a closing that asks for
    dated work is read for it (it still ends the owner's items)."""
    return bool(_CLOSING.match(fold(text))) and has_deadline(text)


def _ends_heading(text: str) -> bool:
    """A part, a chapter, the signature block or the closing request ends the owner's items."""
    folded = fold(text)
    return bool(
        _PART.match(text)
        or _SIGNATURE.match(folded)
        or _CLOSING.match(folded)
        or (folded.startswith(("chuong ", "dieu ")) and not _DUTY_HEADING.match(text))
        or text.isupper()
    )


# "1.5. Trách nhiệm của đối tượng thực hiện kiểm kê:", "1.6. Trách nhiệm của các cơ quan quản lý
# cấp trên (bao gồm cả …):": a numbered heading that names whose duties follow.
_RESPONSIBLE = re.compile(r"^Trách nhiệm của\s+(?P<name>[^.;:]{3,200}?)\s*:?$")


def _letter_heading(text: str) -> str | None:
    duty = _DUTY_HEADING.match(text)
    if duty:
        return duty.group("name").strip()
    responsible = _RESPONSIBLE.match(unnumbered(text)) if _is_item(text) else None
    if responsible and not text.startswith(("- ", "+ ")):
        return without_aside(responsible.group("name").strip())
    return owner_heading(text) if _is_item(text) else None


def _is_item(text: str) -> bool:
    return bool(NUMBERING.match(text))


def _is_topic(text: str) -> bool:
    """A numbered heading that names a subject, not work: "1. Về việc rà soát …",
    "3. Nâng cao nhận thức …" (no closing stop, no owner)."""
    if not _is_item(text) or text.startswith("- "):
        return False
    body = unnumbered(text)
    if assigned_owner(body):
        return False
    return body.startswith("Về ") or not body.rstrip().endswith((".", ";", ":"))
