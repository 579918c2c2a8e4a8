"""Who a sentence gives work to: "Giao X …", "Đề nghị X …", "X chủ trì …", owner headings."""

from __future__ import annotations

import re

# Numbering a letter or a plan puts before an item: "1.", "1.1.", "(1)", "a)", "- ".
NUMBERING = re.compile(
    r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\s*[.)]|\(\d{1,2}\)|[a-zđ]\)|Điều\s+\d+\s*\.|[-–+•])\s+"
)
_PREFIX = re.compile(r"^(?:giao|đề nghị|yêu cầu)\s+(?=\S)", re.IGNORECASE)
_HEADING_PREFIX = re.compile(r"^(?:giao|đối với|đề nghị)\s*:?\s+(?=\S)", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\s*[.)]\s")
# The verb that ends the owner's name: lowercase, so "Sở Xây dựng" is a name, "xây dựng" a verb.
_VERB = re.compile(
    r"\s(?:chủ trì|có trách nhiệm|chịu trách nhiệm|khẩn trương|phối hợp|chủ động|tiếp tục"
    r"|tổ chức|thực hiện|triển khai|tham mưu|rà soát|xây dựng|nghiên cứu|hướng dẫn|theo dõi"
    r"|tập trung|tăng cường|kiện toàn|hoàn thành|báo cáo|có ý kiến|làm việc|quan tâm"
    r"|xem xét|cập nhật|bố trí|đôn đốc|chỉ đạo|lãnh đạo|sớm|cần|có báo cáo"
    r"|có văn bản|có Báo cáo|chịu trách nhiệm)\b"
)
# A subject names a body: it opens with one of these words.
_UNIT_WORD = re.compile(
    r"^(?:Sở|Bộ|Ban|Văn phòng|Ủy ban|Uỷ ban|UBND|HĐND|Hội đồng|Các|các|Công an|Thanh tra|Cơ quan"
    r"|Trung tâm|Tập đoàn|Tổng công ty|Chủ tịch|Bộ trưởng|Giám đốc|Thủ trưởng|Chánh|Đài|Báo"
    r"|Người đứng đầu|người đứng đầu|Thường trực|Mặt trận|Đoàn|Liên đoàn|Kho bạc|Cục"
    r"|Chi cục|Bảo hiểm|Ngân hàng|Viện|Trường|Hội Nông dân|Hiệp hội|Liên minh)\s"
)
# Words that make a "subject" a clause instead of a name ("Tỉnh Thanh Hóa đã quán triệt …").
_NOT_A_NAME = re.compile(
    r"\b(?:đã|sẽ|đang|được|là|nếu|khi|để|này|nay|tại|theo|trong|những|việc|nhằm|chưa|đề nghị"
    r"|yêu cầu|giao)\b|[.“”\"]"
)
# What a sentence can open with before its owner: "Trên cơ sở kết quả khảo sát, Sở X …".
_LEAD = re.compile(
    r"^(?:Trên cơ sở|Căn cứ|Trong|trong|Chậm nhất|Sau|Định kỳ|Đồng thời|Đối với|Hằng năm|Hàng năm)"
)
_PAST = re.compile(r"\b(?:đã|tại|số|nay)\b|[“”\"]")
# Not work to deliver: a standing duty ("chịu trách nhiệm …"), a step taken only "if", a
# lead-in ("có ý kiến chỉ đạo như sau:"), a request to every addressee to carry out the text.
_NOT_WORK = re.compile(
    r"^chịu trách nhiệm về|chịu trách nhiệm (?:toàn diện|trước|thi hành)|\bnếu\b|như sau"
    r"|nghiêm túc|các nhiệm vụ nêu trên"
    r"|(?:đề nghị|yêu cầu) (?:các|quý) (?:cơ quan|đơn vị|địa phương|đồng chí)",
    re.IGNORECASE,
)
# "chịu trách nhiệm về …" restates a duty; "chịu trách nhiệm tham mưu …" gives work.
_DUTY = re.compile(r"(?<=chịu trách nhiệm)\s+(?:về|toàn diện|trước|thi hành)\b")
# Words between the owner and its verb that are not part of its name.
_ROLE = re.compile(r"\s(?:theo chức năng|căn cứ chức năng|căn cứ)\b")
_NEXT_OWNER = re.compile(
    r"(?:;|,)\s+(?=(?:Sở|Bộ(?! trưởng)|Ủy ban|Uỷ ban|UBND|Hội|Hiệp hội|Liên minh|Chủ tịch|Văn phòng"
    r"|Công an|Tập đoàn|Ban)\s)"
)
MAX_OWNER_WORDS = 30
MAX_HEADING_WORDS = 16
MAX_LEAD_COMMAS = 3


def unnumbered(text: str) -> str:
    """The item without its numbering ("1.1. Giao Sở X" → "Giao Sở X")."""
    return NUMBERING.sub("", text, count=1).strip()


def owner_heading(text: str) -> str | None:
    """A heading that only names an owner, with no colon and no verb: "2. Giao Sở Tư pháp",
    "1. Đối với các bộ, ngành, cơ quan thuộc Chính phủ", "6. Đề nghị: Hiệp hội …", or a numbered
    unit name alone ("1. Sở Khoa học và Công nghệ") → the owner, prefix dropped."""
    body = unnumbered(text).rstrip(" .;")
    if _VERB.search(f" {body}"):
        return None
    prefix = _HEADING_PREFIX.match(body)
    if prefix is None:
        named = _NUMBERED.match(text) and _UNIT_WORD.match(f"{body} ")
        short = len(body.split()) <= MAX_HEADING_WORDS
        return body if named and short and _is_name(body) else None
    name = body[prefix.end() :].split(";")[0].strip(" ,")
    return name if _is_name(name) else None


def split_owners(owners: str) -> tuple[str, ...]:
    """Several bodies named together ("Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường";
    "Hiệp hội Doanh nghiệp tỉnh, Hội Nông dân tỉnh"): the first is the owner, the rest are
    named in a note. A list inside one name ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ") stays."""
    return tuple(part.strip(" ,;") for part in _NEXT_OWNER.split(owners) if part.strip(" ,;"))


def gives_no_work(sentence: str) -> bool:
    """A standing duty, a step taken only "if", a lead-in or a request to every addressee."""
    return bool(_NOT_WORK.search(unnumbered(sentence)))


def assigned_owner(sentence: str) -> str | None:
    """The body a sentence gives work to, as written: after "Giao/Đề nghị/Yêu cầu", or the
    subject before its verb ("Bộ Xây dựng khẩn trương …"), also after an opening clause
    ("Trên cơ sở kết quả khảo sát, Sở Xây dựng chủ trì …"); None when it assigns nothing."""
    text = after_topic(unnumbered(sentence))
    if _NOT_WORK.search(text):
        return None
    prefix = _PREFIX.match(text)
    if prefix:
        return _name_before_verb(text[prefix.end() :], subject=False)
    found = _name_before_verb(text, subject=True)
    if found:
        return found
    if not _LEAD.match(text):
        return None
    for lead, _ in zip(re.finditer(r",\s+", text), range(MAX_LEAD_COMMAS), strict=False):
        if _PAST.search(text[: lead.start()]):
            return None
        found = _name_before_verb(text[lead.end() :], subject=True)
        if found:
            return found
    return None


def after_topic(text: str) -> str:
    """ "Về dự án …: Bộ Xây dựng khẩn trương …" is read from after the topic's colon."""
    if text.startswith("Về ") and ": " in text:
        return text.split(": ", 1)[1]
    return text


def _name_before_verb(text: str, *, subject: bool) -> str | None:
    if subject and not _UNIT_WORD.match(text):
        return None
    verb = _VERB.search(text)
    if verb is None or _DUTY.match(text, verb.end()):
        return None
    name = _ROLE.split(text[: verb.start()], maxsplit=1)[0].strip(" ,")
    return name if _is_name(name) else None


def _is_name(name: str) -> bool:
    words = name.split()
    return 0 < len(words) <= MAX_OWNER_WORDS and not _NOT_A_NAME.search(name)
