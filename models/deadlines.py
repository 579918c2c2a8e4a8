"""Deadline rules: what each form of `due` means as an instant, and inherited deadlines."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from models.moments import aware_in


class DueKind(StrEnum):
    BEFORE = "before"  # trước ngày D: late from D 00:00
    BY = "by"  # chậm nhất ngày D: late from D+1 00:00
    AT = "at"  # trước HH:MM ngày D: late from that instant
    ON = "on"  # an event held on D: prerequisites due at D 00:00, the event itself by its end


class Period(StrEnum):
    """A deadline written as a period: due by its last day (late from the next day 00:00)."""

    MONTH = "month"  # trong tháng 01/2021, written 2021-01
    QUARTER = "quarter"  # trong quý II/2023, written 2023-Q2
    YEAR = "year"  # trong năm 2022, written 2022


MONTH_PATTERN = r"^(\d{4})-(0[1-9]|1[0-2])$"
QUARTER_PATTERN = r"^(\d{4})-Q([1-4])$"
ROMAN_QUARTERS = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Deadline:
    """When an assignment becomes late (`due_at`) and what its prerequisites inherit (`cutoff`).

    `kind` and `written` keep the plan's own form so people see "trước ngày 09/03/2023",
    not an instant; `inferred` marks a deadline inherited from the deliverables that wait on it.
    `original` is set on one assignment's extended deadline (gia hạn): the plan's deadline it
    replaces, kept so people see both and statistics can count extended work apart.
    `wording` is the plan's own words when its form is not a day ("trong quý II/2023",
    "10 ngày trước Khai mạc (trước ngày 12/03/2023)"): the whole label then.
    """

    due_at: datetime
    cutoff: datetime
    kind: DueKind
    written: date | datetime
    inferred: bool = False
    original: Deadline | None = None
    wording: str = ""

    def label(self) -> str:
        """Vietnamese, dd/mm/yyyy, as a person would say it; an extension names both dates:
        "gia hạn đến 12/03/2023 (hạn gốc: trước ngày 09/03/2023)"."""
        if self.original is not None:
            return f"{self.extension_label()} (hạn gốc: {self.original.label()})"
        day = self.written.strftime("%d/%m/%Y")
        text = (
            self.wording
            or {
                DueKind.BEFORE: f"trước ngày {day}",
                DueKind.BY: f"chậm nhất ngày {day}",
                DueKind.AT: f"trước {self.written.strftime('%H:%M')} ngày {day}",
                DueKind.ON: f"ngày {day}",
            }[self.kind]
        )
        return f"{text} (suy ra)" if self.inferred else text

    def extension_label(self) -> str:
        """The extended date alone, "gia hạn đến 12/03/2023" (through that day, for `by`)."""
        day = self.written.strftime("%d/%m/%Y")
        return {
            DueKind.BEFORE: f"gia hạn đến trước ngày {day}",
            DueKind.BY: f"gia hạn đến {day}",
            DueKind.AT: f"gia hạn đến {self.written.strftime('%H:%M')} ngày {day}",
            DueKind.ON: f"gia hạn đến {day}",
        }[self.kind]

    def as_inherited(self) -> Deadline:
        """The deadline a prerequisite inherits from this one: due at this one's cutoff."""
        local = self.cutoff
        if local.time() == time(0):
            return Deadline(local, local, DueKind.BEFORE, local.date(), inferred=True)
        return Deadline(local, local, DueKind.AT, local.replace(tzinfo=None), inferred=True)


def resolve(kind: DueKind | str, written: date | datetime, tz: ZoneInfo) -> Deadline:
    """Turn a written deadline into instants in the plan's timezone."""
    kind = DueKind(kind)
    if kind is DueKind.AT:
        assert isinstance(written, datetime)
        instant = aware_in(written, tz).astimezone(tz)
        return Deadline(instant, instant, kind, instant.replace(tzinfo=None))
    day = written.date() if isinstance(written, datetime) else written
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    if kind is DueKind.BEFORE:
        return Deadline(start, start, kind, day)
    if kind is DueKind.BY:
        return Deadline(end, end, kind, day)
    return Deadline(end, start, kind, day)


def period_last_day(period: Period | str, written: str | int) -> date:
    """The last day of a period as the plan writes it: 2021-01, 2023-Q2, 2022. Raises
    ValueError on another shape (the spec has checked it)."""
    period, text = Period(period), str(written)
    if period is Period.YEAR:
        return date(int(text), 12, 31)
    found = re.match(MONTH_PATTERN if period is Period.MONTH else QUARTER_PATTERN, text)
    if found is None:
        raise ValueError(f"not a {period.value}: {text!r}")
    year, number = int(found.group(1)), int(found.group(2))
    month = number if period is Period.MONTH else 3 * number
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def period_deadline(period: Period | str, written: str | int, tz: ZoneInfo) -> Deadline:
    """ "trong tháng 01/2021": due by the period's last day, in the plan's own words."""
    period, text = Period(period), str(written)
    last = period_last_day(period, text)
    if period is Period.MONTH:
        wording = f"trong tháng {last:%m/%Y}"
    elif period is Period.QUARTER:
        wording = f"trong quý {ROMAN_QUARTERS[(last.month - 1) // 3]}/{last.year}"
    else:
        wording = f"trong năm {last.year}"
    return replace(resolve(DueKind.BY, last, tz), wording=wording)


def days_late(deadline: datetime, moment: datetime) -> int:
    """Whole days late, rounded up (a report one hour late is one day late); 0 if not late."""
    seconds = (moment - deadline).total_seconds()
    if seconds < 0:
        return 0
    return max(1, -(-int(seconds) // 86400))
