"""Deadline phrases of Vietnamese plans ("trước ngày 09/3/2023", …) read as before/by/at/on."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum

from models.deadlines import Period
from models.importer.names import fold

_DATE = (
    r"(?:(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?:\s*(?:,\s*)?năm\s+(?P<y2>\d{4}))?)"
)
_START = r"\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?"  # a window's first day (not the deadline)
_CLOCK = r"(?P<h>\d{1,2})\s*(?:giờ|h|g)\s*(?P<min>\d{2})?(?:\s*phút)?"
# "trước Thứ Tư ngày 03/12/2025" (Công văn 174/CV-BCĐ): the weekday before the day says nothing more
_WEEKDAY = r"(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật),?\s+)?"


class DueKind(StrEnum):
    """The four deadline forms of docs/plan-format.md."""

    BEFORE = "before"
    BY = "by"
    AT = "at"
    ON = "on"


# Most specific first: "trước 17 giờ ngày D" must win over "trước ngày D".
_PATTERNS: list[tuple[DueKind, re.Pattern[str]]] = [
    (
        DueKind.AT,
        re.compile(
            rf"(?:trước|chậm nhất(?:\s+(?:là|vào|lúc))*)\s+(?:lúc\s+)?{_CLOCK},?\s+{_WEEKDAY}"
            rf"ngày\s+{_DATE}",
            re.IGNORECASE,
        ),
    ),
    (
        DueKind.BY,
        re.compile(rf"chậm nhất(?:\s+(?:là|vào))*\s+{_WEEKDAY}(?:ngày\s+)?{_DATE}", re.I),
    ),
    (DueKind.BY, re.compile(rf"trong\s+ngày\s+{_DATE}", re.IGNORECASE)),
    # "Từ ngày 15/11/2025 đến ngày 15/12/2025": a window, the work done by its last day (a guess)
    (
        DueKind.BY,
        re.compile(rf"từ\s+(?:ngày\s+)?{_START}\s+đến\s+(?:hết\s+)?(?:ngày\s+)?{_DATE}", re.I),
    ),
    (DueKind.BY, re.compile(rf"hạn cuối(?:\s+là)?\s+(?:ngày\s+)?{_DATE}", re.IGNORECASE)),
    # "trước 10/3/2020": the date alone after "trước" (a bare number, "trước 30 ngày", is no date)
    (DueKind.BEFORE, re.compile(rf"trước\s+{_WEEKDAY}(?:ngày\s+)?{_DATE}", re.IGNORECASE)),
    (
        DueKind.ON,
        re.compile(
            rf"(?:tổ chức|diễn ra|khai mạc)\s+(?:vào\s+)?(?:ngày\s+|hôm\s+)?{_DATE}", re.IGNORECASE
        ),
    ),
]
_WINDOW_DOUBT = "một khoảng thời gian (từ … đến …); tạm ghi hạn là ngày cuối"
# "trước ngày 20 hằng tháng", "chậm nhất ngày 05 hàng tháng": a day that comes back every month.
_MONTHLY = re.compile(
    r"(?P<kind>trước|chậm nhất(?:\s+(?:là|vào))*)\s+(?:ngày\s+)?(?P<day>\d{1,2})\s+h[ằà]ng\s+tháng",
    re.IGNORECASE,
)
# "trước ngày 15 tháng 11 hằng năm", "hằng năm (trước ngày 15 tháng 11)", "01/6 và 15/11 hằng năm"
_RECURRING = re.compile(r"h[ằà]ng\s+năm|định\s+kỳ", re.IGNORECASE)
RECURRING_REACH = 30  # characters either side of the phrase that may say it recurs
# The number of a cited text, right before its date: "số 66-NQ/TW ", "số 35-CT/TW, ".
_CITED = re.compile(r"\bsố:?\s*\d[\w./-]*,?\s*$", re.IGNORECASE)
_ANY_DATE = re.compile(rf"ngày\s+{_DATE}", re.IGNORECASE)
_BARE_DATE = re.compile(rf"(?<![\d/])(?:ngày\s+)?{_DATE}(?![\d/])", re.IGNORECASE)


@dataclass(frozen=True)
class DeadlinePhrase:
    """A deadline found in a sentence; `when` is None when the year is unknown or the date
    impossible (then `problem` says which)."""

    kind: DueKind
    when: date | datetime | None
    phrase: str
    start: int
    year_given: bool = True
    problem: str = ""
    recurring: bool = False  # "… hằng năm": the date comes back every year
    monthly: bool = False  # "… hằng tháng": only its day is written; `when` is its first time
    period: Period | None = None  # "trong tháng 12/2025": a span, due by its last day (`when`)
    doubt: str = ""  # why reading it so is a guess ("2022-2030": its last year)
    rolled: bool = False  # no year written, and that day of the document's year was past

    @property
    def day(self) -> date | None:
        return self.when.date() if isinstance(self.when, datetime) else self.when


@dataclass(frozen=True)
class StrayDate:
    """A date in a sentence that no deadline form explains (reported, never guessed)."""

    phrase: str
    start: int


def find_deadlines(text: str, year: int | None) -> list[DeadlinePhrase]:
    """Every deadline phrase in `text`, in reading order; year-less dates take `year`."""
    found: list[DeadlinePhrase] = []
    taken: list[range] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() in span for span in taken):
                continue
            taken.append(range(match.start(), match.end()))
            phrase = _phrase(kind, match, year)
            doubt = _WINDOW_DOUBT if fold(match.group(0)).startswith("tu ") else phrase.doubt
            found.append(replace(phrase, recurring=_recurs(text, match), doubt=doubt))
    found += _monthly(text, year)
    return sorted(found, key=lambda phrase: phrase.start)


def _monthly(text: str, year: int | None) -> list[DeadlinePhrase]:
    """ "trước ngày 20 hằng tháng": a monthly deadline, read as its day in January of `year`
    (the caller moves it to its first time after the document's date), never dropped."""
    found = []
    for match in _MONTHLY.finditer(text):
        kind = DueKind.BEFORE if fold(match.group("kind")) == "truoc" else DueKind.BY
        day = int(match.group("day"))
        when = date(year, 1, day) if year is not None and 1 <= day <= 31 else None
        problem = "" if when is not None else "không rõ năm"
        phrase = DeadlinePhrase(kind, when, match.group(0), match.start(), False, problem)
        found.append(replace(phrase, recurring=True, monthly=True))
    return found


def next_monthly(day: int, since: date) -> date:
    """The first time a monthly day falls on or after `since` (the month's last day when the
    month is shorter)."""
    year, month = since.year, since.month
    for _ in range(2):
        last = calendar.monthrange(year, month)[1]
        candidate = date(year, month, min(day, last))
        if candidate >= since:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return candidate


def _recurs(text: str, match: re.Match[str]) -> bool:
    """Whether the words around a date say it comes back every year ("hằng năm", "định kỳ")."""
    around = text[max(0, match.start() - RECURRING_REACH) : match.end() + RECURRING_REACH]
    return bool(_RECURRING.search(around))


def next_occurrence(day: date, since: date) -> date:
    """The first time a yearly date (its day and month) falls on or after `since`."""
    for year in (since.year, since.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:  # 29/02 in a common year
            continue
        if candidate >= since:
            return candidate
    return day.replace(year=since.year + 1, day=28) if day.month == 2 else day


def roll_past(phrase: DeadlinePhrase, signed: date) -> DeadlinePhrase:
    """A deadline written without a year ("trước ngày 15/3") that falls before the document's
    own date (20/11/2025) is meant for the next time that day comes (15/03/2026): a plan does
    not set a deadline it was already past. A month or quarter moves to the same one next
    year; a written year, a yearly deadline or an unread date is left as it is."""
    when = phrase.when
    if phrase.year_given or phrase.recurring or when is None or phrase.day is None:
        return phrase
    if phrase.day >= signed:
        return phrase
    year = when.year + 1
    day = when.day
    if phrase.period is not None or (when.month, when.day) == (2, 29):
        day = calendar.monthrange(year, when.month)[1]  # a period ends on its last day
    return replace(phrase, when=when.replace(year=year, day=day), rolled=True)


def stray_dates(text: str, deadlines: list[DeadlinePhrase]) -> list[StrayDate]:
    """Dates written as 'ngày D' that are part of no deadline phrase, nor the date of a text
    cited by its number ("Nghị quyết số 27/NQ-TW ngày 09/11/2022")."""
    covered = [range(p.start, p.start + len(p.phrase)) for p in deadlines]
    return [
        StrayDate(match.group(0), match.start())
        for match in _ANY_DATE.finditer(text)
        if not any(match.start() in span for span in covered)
        and not _CITED.search(text, 0, match.start())
    ]


def bare_dates(text: str, year: int | None, kind: DueKind) -> list[DeadlinePhrase]:
    """Dates written alone ("15/4/2024", "ngày 20/4"), as a table's "Thời hạn" cell holds
    them: the column, not a phrase, says they are deadlines, so the caller gives the kind."""
    return [_phrase(kind, match, year) for match in _BARE_DATE.finditer(text)]


def _phrase(kind: DueKind, match: re.Match[str], year: int | None) -> DeadlinePhrase:
    parts = match.groupdict()
    day, month = int(parts["d"] or parts["d2"]), int(parts["m"] or parts["m2"])
    written_year = parts["y"] or parts["y2"]
    phrase = match.group(0)
    year_of = int(written_year) if written_year else year
    if year_of is None:
        return DeadlinePhrase(kind, None, phrase, match.start(), False, "không rõ năm")
    try:
        day_of = date(year_of, month, day)
    except ValueError:
        return DeadlinePhrase(kind, None, phrase, match.start(), True, "ngày không có thật")
    when: date | datetime = day_of
    if kind is DueKind.AT:
        clock = _clock(parts)
        if clock is None:
            return DeadlinePhrase(kind, None, phrase, match.start(), True, "giờ không có thật")
        when = datetime.combine(day_of, clock)
    return DeadlinePhrase(kind, when, phrase, match.start(), written_year is not None)


def _clock(parts: dict[str, str | None]) -> time | None:
    hour, minute = int(parts["h"] or 0), int(parts["min"] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def document_date(text: str) -> date | None:
    """The date a document is signed, from its dateline ("Hà Tĩnh, ngày 01 tháng 3 năm 2023")."""
    found = _DATELINE.search(text)
    if found is None:
        return None
    try:
        return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
    except ValueError:
        return None


_DATELINE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


def document_year(text: str) -> int | None:
    """The year a document is dated ("Hà Tĩnh, ngày 01 tháng 3 năm 2023"), else the most
    frequent year among its full dates, else None."""
    header = re.search(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+(\d{4})", text, re.IGNORECASE)
    if header:
        return int(header.group(1))
    years = re.findall(r"\b\d{1,2}\s*/\s*\d{1,2}\s*/\s*(\d{4})\b", text)
    if not years:
        return None
    return int(max(sorted(set(years)), key=years.count))
