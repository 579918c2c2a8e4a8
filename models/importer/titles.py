"""Short titles and codes for drafted deliverables, taken from their own sentences."""

from __future__ import annotations

import re

from models.importer.names import fold, slug

MAX_TITLE_WORDS = 14
_CUT = re.compile(
    r"\s+(?:gửi|trước ngày|trước \d|chậm nhất|trong ngày|để trình|cho Đài)\b|[;(]", re.IGNORECASE
)
_FILLER = {"cac", "nhung", "cua", "va", "ve", "cho", "de", "voi", "tai", "mot", "so", "theo"}
# "a) ", "b) " of a lettered item kept in its quote is no part of its title ("A) Ban hành …")
_LEADING = re.compile(
    r"^(?:[a-zđ]\)\s+)?(?:khi [^,]+,\s*|theo chức năng,? nhiệm vụ,?\s*|giao\s+)?", re.IGNORECASE
)

# A sentence that opens with its deadline ("định kỳ trước ngày 30 tháng 11 hàng năm báo cáo kết
# quả …") is titled by the work after it, not by "Định kỳ".
_OPENING_DEADLINE = re.compile(
    r"^(?:định kỳ\s+)?(?:trước|chậm nhất(?: là)?)\s+ngày\s+\d{1,2}(?:/\d{1,2}|\s+tháng\s+\d{1,2})?"
    r"\s+(?:hàng|hằng)\s+(?:năm|tháng)[\s,]+",
    re.IGNORECASE,
)

# "đề nghị bộ, ngành, địa phương khẩn trương …": a request naming its addressee before the work.
_REQUEST = r"^(?:đề nghị|yêu cầu)\s+{owner}\s+(?:khẩn trương|chủ động|sớm|tiếp tục)?\s*"


def title_of(text: str, owner: str = "") -> str:
    """The first clause of a task, without its deadline and recipient, at most ~14 words; a
    request to `owner` ("Đề nghị bộ, ngành, địa phương khẩn trương tổng hợp …") is titled by
    its work ("Tổng hợp …"), the owner having a column of its own."""
    text = _OPENING_DEADLINE.sub("", text.strip(), count=1) or text
    cut = _CUT.search(text)
    clause = text[: cut.start()] if cut else text
    clause = _LEADING.sub("", clause.strip()).strip(" ,.:")
    if owner:
        request = re.compile(_REQUEST.format(owner=re.escape(owner)), re.IGNORECASE)
        clause = request.sub("", clause, count=1) or clause
    words = clause.split()
    if len(words) > MAX_TITLE_WORDS:
        clause = " ".join(words[:MAX_TITLE_WORDS])
        comma = clause.rfind(",")
        if comma > len(clause) // 2:
            clause = clause[:comma]
    clause = clause.strip(" ,.:;") or text[:60]
    return clause[0].upper() + clause[1:]


def code_of(title: str, taken: set[str], words: int = 5) -> str:
    """`Tổng hợp báo cáo những khó khăn` → `tong-hop-bc-kho-khan`; unique among `taken`."""
    tokens = [t for t in re.findall(r"[a-z0-9]+", fold(title)) if t not in _FILLER]
    base = slug(" ".join(tokens)).replace("bao-cao", "bc").replace("thong-tin", "tt")
    base = "-".join(base.split("-")[:words]) or "nhiem-vu"
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    return code


def event_title(plan_title: str) -> str:
    """ "Tổ chức gặp mặt cán bộ …" → "Gặp mặt cán bộ …": the event the plan prepares."""
    text = re.sub(r"^(?:kế hoạch\s+)?(?:tổ chức\s+)?", "", plan_title.strip(), flags=re.IGNORECASE)
    text = text or plan_title
    return text[0].upper() + text[1:]


def plan_code(plan_title: str, year: int | None) -> str:
    """`gap-mat-2023`: the event's first two words and the year."""
    base = slug(event_title(plan_title), words=2) or "ke-hoach"
    return f"{base}-{year}" if year else base
