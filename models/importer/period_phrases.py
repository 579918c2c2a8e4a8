"""Periods given as deadlines ("trong tháng 12/2025", "trong Quý I năm 2026", "Quý II/2023" in
a time column): drafted in the plan's own period forms (`{month: 2025-12}`, `{quarter: 2026-Q1}`,
`{year: 2026}`), due by the period's last day."""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date

from models.deadlines import ROMAN_QUARTERS, Period
from models.importer.deadline_phrases import DeadlinePhrase, DueKind

_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MONTH = r"tháng\s+(?P<month>\d{1,2})(?:\s*(?:/|-|năm)\s*(?P<year>\d{4}))?"
_QUARTER = r"qu[ýí]\s+(?P<quarter>IV|I{1,3}|[1-4])(?:\s*(?:/|-|năm)\s*(?P<qyear>\d{4}))?"
_YEAR = r"năm\s+(?P<only>\d{4})"
_SPAN = rf"(?:{_MONTH}|{_QUARTER}|{_YEAR})"
# In a sentence a period is a deadline only after words that make it one: "(hoàn thành / xong)
# trong tháng 12/2025", "cuối tháng 1/2021", "(từ nay) đến tháng 6/2027", "trong năm 2025".
# "trong 02 tháng cuối năm 2025" is a stretch of time, not a deadline at the year's end. A month
# or quarter without its year ("trong quý II") takes the document's year, a guess.
_IN_TEXT = re.compile(rf"(?<!tháng )(?:trong|cuối|hết|đến)\s+{_SPAN}(?![\d/])", re.IGNORECASE)
# In a time column the column says it: "Tháng 12/2025", "Quí IV-2025", "Năm 2026 và các năm
# tiếp theo", "2023", "2022-2030", "Giai đoạn 2026-2030".
_IN_CELL = re.compile(
    rf"^(?:(?:trong|cuối|hết|đến)\s+)?(?:{_SPAN}|(?:giai đoạn\s+)?(?P<first>\d{{4}})\s*-\s*"
    rf"(?P<last>\d{{4}})|(?P<bare>\d{{4}}))(?![\d/])",
    re.IGNORECASE,
)
# "đến năm 2030" after a plan's own words ("quy hoạch … đến năm 2030", "Chiến lược … đến năm
# 2025 và định hướng đến năm 2030", "tầm nhìn đến năm 2050") says how far the plan reaches,
# not when work is due.
_SCOPE = re.compile(r"\b(?:quy hoạch|chiến lược|tầm nhìn|định hướng|giai đoạn|thời kỳ)\b", re.I)
_CLAUSE_START = re.compile(r"[;.:]\s")
_DONE = re.compile(r"\b(?:hoàn thành|xong)\s*$", re.IGNORECASE)
SCOPE_WORDS = 20  # how far back the plan's own noun may stand
# "Quý IV/2025- Quý II/2026" in a time column: a range, due by the end of its last period.
_RANGE_END = re.compile(rf"^\s*[-–]\s*(?:đến\s+)?{_SPAN}[\s.;,]*$", re.IGNORECASE)
# What may follow a period in a time column without making it a guess.
_CELL_END = re.compile(r"^[\s.;,]*$")
# "Tháng 11 - 12/2025": a range of months that writes its year once, read as "tháng 11/2025 -
# tháng 12/2025" (the first month takes the last one's year unless it has its own).
_MONTHS = re.compile(
    r"^(?P<first>tháng\s+\d{1,2}(?:\s*/\s*\d{4})?)\s*[-–]\s*(?P<month>\d{1,2})\s*/\s*(?P<year>\d{4})",
    re.IGNORECASE,
)
# "năm 2026 - 2027" (QĐ 2623/QĐ-TTg): a span of years written after "năm".
_YEARS = re.compile(r"^năm\s+(?P<first>\d{4})\s*[-–]\s*(?P<last>\d{4})", re.IGNORECASE)
# "Thời gian hoàn thành: Tháng 12/2025." in a sentence, or the time line of an item: what follows
# the label is read as a time column is.
_LABELLED = re.compile(r"\bthời\s+(?:gian|hạn)(?:\s+(?:thực hiện|hoàn thành))?\s*:\s*", re.I)
_SENTENCE_END = re.compile(r"[.;)](?:\s|$)|$")


def periods_in_text(text: str, year: int | None = None) -> list[DeadlinePhrase]:
    """Every period a sentence gives as a deadline; a month or quarter written without its
    year takes `year` (None: it is not read)."""
    found = (_phrase(m, year) for m in _IN_TEXT.finditer(text) if not _scope(text, m))
    return [p for p in found if p is not None]


def labelled_periods(text: str, year: int | None = None) -> list[DeadlinePhrase]:
    """Periods a sentence gives after a time label ("Thời gian hoàn thành: Quý I/2026"), read
    as a time column (a range's last period, with its doubt), each at its place in `text`."""
    found = []
    for label in _LABELLED.finditer(text):
        value = text[label.end() :]
        value = value[: _SENTENCE_END.search(value).start()]  # type: ignore[union-attr]
        phrase = period_in_cell(value, year)
        if phrase is not None:
            found.append(replace(phrase, start=label.end()))
    return found


def _scope(text: str, match: re.Match[str]) -> bool:
    """ "… bổ sung quy hoạch hạ tầng viễn thông trong các Khu công nghệ cao, khu công nghiệp,
    cụm công nghiệp đến năm 2030": a year the plan, strategy or vision named just before
    reaches to, not a deadline ("hoàn thành đến năm 2030" is one)."""
    if not match.group("only") or not match.group(0).lower().startswith("đến"):
        return False
    before = _CLAUSE_START.split(text[: match.start()])[-1]
    if _DONE.search(before):
        return False
    return bool(_SCOPE.search(" ".join(before.split()[-SCOPE_WORDS:])))


def period_in_cell(cell: str, year: int | None = None) -> DeadlinePhrase | None:
    """The period a time column opens with; None if it opens otherwise. Anything after the
    period ("và các năm tiếp theo") or a span of years ("2022-2030": its last year) makes
    the reading a guess (`doubt`)."""
    text = cell.strip()
    found = _IN_CELL.match(_months_written_out(text))
    if found is None:
        return None
    phrase = _phrase(found, year)
    if phrase is None:
        return None
    doubt = ""
    if found.group("first"):
        doubt = f"một giai đoạn; tạm ghi hạn là năm cuối ({found.group('last')})"
    elif until := _RANGE_END.match(found.string[found.end() :]):
        phrase, doubt = _range_end(phrase, until, year)
    elif not _CELL_END.match(found.string[found.end() :]):
        rest = found.string[found.end() :].strip(" .,;")
        doubt = f"còn ghi “{rest}”; tạm ghi hạn là {_named(phrase)}"
    return replace(phrase, phrase=text.rstrip(" .;,"), doubt=doubt)


def _months_written_out(cell: str) -> str:
    """ "Tháng 11 - 12/2025" as "tháng 11/2025 - tháng 12/2025", "năm 2026 - 2027" as
    "2026 - 2027" (a span of years); any other cell as it is."""
    cell = _YEARS.sub(r"\g<first>-\g<last>", cell, count=1)
    found = _MONTHS.match(cell)
    if found is None:
        return cell
    first, year = found.group("first"), found.group("year")
    if "/" not in first:
        first = f"{first}/{year}"
    last = f"tháng {found.group('month')}/{year}"
    return f"{first} - {last}{cell[found.end() :]}"


def _range_end(
    first: DeadlinePhrase, until: re.Match[str], year: int | None
) -> tuple[DeadlinePhrase, str]:
    """ "Quý IV/2025- Quý II/2026": due by the end of the range's last period (a guess)."""
    last = _phrase(until, year)
    if last is None or last.day is None or first.day is None or last.day < first.day:
        return first, f"còn ghi “{until.group(0).strip()}”; tạm ghi hạn là {_named(first)}"
    return last, f"một khoảng từ {_named(first)} đến {_named(last)}; tạm ghi hạn là kỳ cuối"


def _named(phrase: DeadlinePhrase) -> str:
    assert phrase.period is not None and phrase.day is not None
    return period_words(phrase.period, phrase.day)


def period_words(period: Period, last_day: date) -> str:
    """ "tháng 12/2025", "quý IV/2025", "năm 2025": a period as the plan's labels name it."""
    if period is Period.MONTH:
        return f"tháng {last_day:%m/%Y}"
    if period is Period.QUARTER:
        return f"quý {ROMAN_QUARTERS[(last_day.month - 1) // 3]}/{last_day.year}"
    return f"năm {last_day.year}"


def period_value(period: Period, last_day: date) -> str | int:
    """`2025-12`, `2025-Q4`, `2025`: the period as a plan file writes it."""
    if period is Period.MONTH:
        return f"{last_day:%Y-%m}"
    if period is Period.QUARTER:
        return f"{last_day.year}-Q{(last_day.month - 1) // 3 + 1}"
    return last_day.year


def _phrase(match: re.Match[str], year: int | None) -> DeadlinePhrase | None:
    parts = match.groupdict()
    period = _period_of(parts)
    written = parts.get("year") or parts.get("qyear") or parts.get("only")
    written = written or parts.get("last") or parts.get("bare")
    if written is None and year is None:
        return None
    last = _last_day(parts, int(written) if written else year or 0)
    if last is None:
        return None
    return DeadlinePhrase(
        DueKind.BY, last, match.group(0), match.start(), written is not None, period=period
    )


def _period_of(parts: dict[str, str | None]) -> Period:
    if parts.get("month"):
        return Period.MONTH
    return Period.QUARTER if parts.get("quarter") else Period.YEAR


def _last_day(parts: dict[str, str | None], year: int) -> date | None:
    """The last day of the month, quarter, year or span the groups name."""
    month = 12
    if parts.get("month"):
        month = int(parts["month"] or 0)
    elif parts.get("quarter"):
        month = 3 * _QUARTERS[str(parts["quarter"]).lower()]
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    if parts.get("first") and int(parts["first"] or 0) > year:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])
