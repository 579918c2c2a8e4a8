"""Periods given as deadlines ("trong tháng 12/2025", "trong Quý I năm 2026", "Quý II/2023" in
a time column): the plan format has days, so a period is drafted `by` its last day."""

from __future__ import annotations

import calendar
import re
from datetime import date

from models.importer.deadline_phrases import DeadlinePhrase, DueKind

_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MONTH = r"tháng\s+(?P<month>\d{1,2})\s*(?:/|-|năm)\s*(?P<year>\d{4})"
_QUARTER = r"qu[ýí]\s+(?P<quarter>IV|I{1,3}|[1-4])\s*(?:/|-|năm)\s*(?P<qyear>\d{4})"
_YEAR = r"năm\s+(?P<only>\d{4})"
_SPAN = rf"(?:{_MONTH}|{_QUARTER}|{_YEAR})"
# In a sentence a period is a deadline only after words that make it one: "(hoàn thành / xong)
# trong tháng 12/2025", "cuối tháng 1/2021", "(từ nay) đến tháng 6/2027", "trong năm 2025".
# "trong 02 tháng cuối năm 2025" is a stretch of time, not a deadline at the year's end.
_IN_TEXT = re.compile(rf"(?<!tháng )(?:trong|cuối|hết|đến)\s+{_SPAN}(?![\d/])", re.IGNORECASE)
# In a time column the column says it: "Tháng 12/2025", "Quí IV-2025", "Năm 2026 và các năm
# tiếp theo", "2023", "2022-2030", "Giai đoạn 2026-2030".
_IN_CELL = re.compile(
    rf"^(?:(?:trong|cuối|hết|đến)\s+)?(?:{_SPAN}|(?:giai đoạn\s+)?(?P<first>\d{{4}})\s*-\s*"
    rf"(?P<last>\d{{4}})|(?P<bare>\d{{4}}))(?![\d/])",
    re.IGNORECASE,
)


def periods_in_text(text: str) -> list[DeadlinePhrase]:
    """Every period a sentence gives as a deadline, `by` its last day."""
    return [p for p in (_phrase(m) for m in _IN_TEXT.finditer(text)) if p is not None]


def period_in_cell(cell: str) -> DeadlinePhrase | None:
    """The period a time column opens with, `by` its last day; None if it opens otherwise."""
    found = _IN_CELL.match(cell.strip())
    return _phrase(found) if found else None


def _phrase(match: re.Match[str]) -> DeadlinePhrase | None:
    last = _last_day(match.groupdict())
    if last is None:
        return None
    return DeadlinePhrase(DueKind.BY, last, match.group(0), match.start(), period=True)


def _last_day(parts: dict[str, str | None]) -> date | None:
    """The last day of the month, quarter, year or span the groups name."""
    year, month = 0, 12
    if parts.get("month"):
        year, month = int(parts["year"] or 0), int(parts["month"] or 0)
    elif parts.get("quarter"):
        year, month = int(parts["qyear"] or 0), 3 * _QUARTERS[str(parts["quarter"]).lower()]
    else:
        written = parts.get("only") or parts.get("last") or parts.get("bare")
        year = int(written or 0)
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    if parts.get("first") and int(parts["first"] or 0) > year:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])
