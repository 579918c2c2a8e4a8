"""Deadlines counted from another piece of work ("Chậm nhất 07 ngày sau khi hội thảo kết thúc",
"Trước khai mạc ít nhất 10 ngày", "trong 02 ngày làm việc kể từ khi nhận được tờ trình"): the
count, which way it goes, and the words that name what it is counted from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from models.importer.names import fold
from models.relative_deadlines import MAX_OFFSET_DAYS
from models.spec import DueForm

_COUNT = r"(?P<n>\d{1,3})(?:\s*\([^)]*\))?\s+(?P<unit>ngày|tuần|tháng)(?P<working>\s+làm việc)?"
_PATTERNS = [
    # "Chậm nhất là 30 ngày, trước ngày khai mạc …", "Trong 03 ngày làm việc kể từ ngày nhận …"
    re.compile(
        rf"(?:chậm nhất|trong|tối đa)(?:\s+(?:là|thời hạn|vòng|thời gian))*\s+{_COUNT},?\s+"
        r"(?P<way>kể từ|sau khi|sau|trước ngày|trước khi|trước)\s+(?P<ref>[^,.;]{0,60})",
        re.IGNORECASE,
    ),
    # "Trước khai mạc ít nhất 10 ngày"
    re.compile(
        r"(?P<way>trước)\s+(?:khi\s+|ngày\s+)?(?P<ref>[^,.;\d]{2,60}?)\s+"
        rf"(?:ít nhất|tối thiểu|chậm nhất)(?:\s+là)?\s+{_COUNT}",
        re.IGNORECASE,
    ),
    # "Sau khi Nghị định … được ban hành": counted from an outside act, with no number of days
    re.compile(r"sau khi\s[^,.;]{0,80}?(?:ban hành|phê duyệt|có hiệu lực)", re.IGNORECASE),
]
# Folded words before the name of what is counted from: "ngày", "khi", "kết thúc" …; an arrival
# ("nhận được tờ trình") starts the count when the work arrives.
_BEFORE_NAME = re.compile(r"^(?:(?:ngay|khi|luc|thoi diem|ket thuc|be mac|to chuc)\s+)+")
_ARRIVAL = re.compile(r"(?:co\s+)?(?:nhan duoc|nhan|tiep nhan)\s+")
# What ends the name: "hội thảo kết thúc", "kiến nghị phải chuyển …", "tờ trình của Sở …".
_AFTER_NAME = re.compile(
    r"(?<=\s)(?:ket thuc|be mac|dien ra|duoc|hoan thanh|ban hanh|phe duyet|co hieu luc|phai|thi|de"
    r"|cua|theo|tai|tu|cho|va|hoac|gui|den|nay)\b"
)
# Counted from the document itself ("kể từ ngày ký", "sau khi Kế hoạch này được ban hành").
_THIS_DOCUMENT = re.compile(r"^(?:ngay\s+|khi\s+)*(?:ky|ban hanh|co hieu luc)\b|\bnay\b")
MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class RelativePhrase:
    """A deadline counted from something else; `form` is None when the plan format cannot
    hold it (counted in months, from no number of days, from the document itself), and then
    `problem` says why."""

    phrase: str
    start: int
    form: DueForm | None
    days: int = 0
    working_days: bool = False
    reference: str = ""  # what it is counted from, as written: "hội thảo", "tờ trình"
    problem: str = ""


def relative_phrases(text: str) -> list[RelativePhrase]:
    """Every deadline `text` counts from an event or another piece of work, in reading order."""
    found: list[RelativePhrase] = []
    taken: list[range] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() in span for span in taken):
                continue
            taken.append(range(match.start(), match.end()))
            found.append(_read(match))
    return sorted(found, key=lambda phrase: phrase.start)


def relative_deadlines(text: str) -> list[str]:
    """The words of every counted deadline in `text`."""
    return [phrase.phrase for phrase in relative_phrases(text)]


def _read(match: re.Match[str]) -> RelativePhrase:
    phrase, start = match.group(0).strip(), match.start()
    parts = match.groupdict()
    if not parts.get("n"):
        return RelativePhrase(phrase, start, None, problem="không ghi số ngày")
    days, unit = int(parts["n"]), str(parts["unit"]).lower()
    if unit == "tháng":
        return RelativePhrase(phrase, start, None, problem="tính theo tháng, không theo ngày")
    days *= 7 if unit == "tuần" else 1
    if not 1 <= days <= MAX_OFFSET_DAYS:
        return RelativePhrase(phrase, start, None, problem=f"{days} ngày: ngoài 1–366")
    written = unicodedata.normalize("NFC", str(parts["ref"])).strip()
    folded = fold(written)  # letter for letter, so a span of one is a span of the other
    if _THIS_DOCUMENT.search(folded):
        return RelativePhrase(phrase, start, None, problem="tính từ ngày của chính văn bản")
    begin = _BEFORE_NAME.match(folded)
    position = begin.end() if begin else 0
    arrival = _ARRIVAL.match(folded, position)
    position = arrival.end() if arrival else position
    end = _name_end(folded, position)
    backwards = str(parts["way"]).lower().startswith("trước")
    form = DueForm.DAYS_BEFORE if backwards else DueForm.DAYS_AFTER
    if arrival and not backwards:
        form = DueForm.WITHIN_DAYS
    working = bool(parts.get("working"))
    name = written[position:end].strip(' ,“”"')
    return RelativePhrase(phrase, start, form, days, working, name)


def _name_end(folded: str, start: int) -> int:
    """Where the name of what a deadline counts from ends: at the verb after it, or after
    MAX_NAME_WORDS words."""
    stop = _AFTER_NAME.search(folded, start)
    end = stop.start() if stop else len(folded)
    words = list(re.finditer(r"\S+", folded[start:end]))[:MAX_NAME_WORDS]
    return start + words[-1].end() if words else start


def name_words(name: str) -> list[str]:
    """A name as words to compare: folded, without punctuation."""
    return re.findall(r"[a-z0-9]+", fold(name))
