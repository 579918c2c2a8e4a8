"""Deadlines counted from another deliverable: from its deadline (fixed when the plan is read)
or from its arrival (fixed only once it has arrived)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.deadlines import Deadline, DueKind, resolve
from models.working_days import WorkingDays

MAX_OFFSET_DAYS = 366  # a count of days past a year is a typo


@dataclass(frozen=True)
class Count:
    """N days, or N working days (weekends, Vietnamese public holidays and the plan's
    `ladder.days_off` skipped)."""

    days: int
    working_days: bool = False
    calendar: WorkingDays = field(default_factory=WorkingDays, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.days} ngày làm việc" if self.working_days else f"{self.days} ngày"

    def shift(self, day: date, sign: int) -> date:
        """`day` moved by the count, later (sign 1) or earlier (-1)."""
        if self.working_days:
            return self.calendar.shift(day, sign * self.days)
        return day + timedelta(days=sign * self.days)


def days_before(reference: Deadline, count: Count, title: str, tz: ZoneInfo) -> Deadline:
    """`{days_before: N, of: X}`: N days before X is due (an event: before it starts), at the
    same time of day: "10 ngày trước Khai mạc (trước ngày 12/03/2023)"."""
    start = reference.cutoff.astimezone(tz)
    day = count.shift(start.date(), -1)
    if start.time() == time(0):
        deadline = resolve(DueKind.BEFORE, day, tz)
    else:
        deadline = resolve(DueKind.AT, datetime.combine(day, start.time()), tz)
    return replace(deadline, wording=f"{count} trước {title} ({deadline.label()})")


def days_after(reference: Deadline, count: Count, title: str, tz: ZoneInfo) -> Deadline:
    """`{days_after: N, of: X}`: through the N-th day after X's last day (an event: its day):
    "7 ngày sau Hội thảo (chậm nhất ngày 29/03/2023)"."""
    last_day = last_day_of(reference, tz)
    deadline = resolve(DueKind.BY, count.shift(last_day, 1), tz)
    return replace(deadline, wording=f"{count} sau {title} ({deadline.label()})")


def last_day_of(deadline: Deadline, tz: ZoneInfo) -> date:
    """The last day on which work is still on time (an event: the day it is held)."""
    return (deadline.due_at.astimezone(tz) - timedelta(microseconds=1)).date()


@dataclass(frozen=True)
class ArrivalRule:
    """`{within_days: N, after_arrival_of: X}`: due through the N-th day after the day X
    arrives; undetermined until then. For an X owed by several units, X has arrived once
    every unit not excused has sent it (the latest arrival counts), unless both are owed by
    the same group: then unit U's clock starts when U's own X arrives (as edges link)."""

    upstream: str
    count: Count
    upstream_title: str

    def wording(self) -> str:
        return f"{self.count} sau khi {self.upstream_title} được nộp"

    def undetermined_label(self) -> str:
        """What people read while X has not arrived: "… được nộp (chưa xác định)"."""
        return f"{self.wording()} (chưa xác định)"

    def deadline(self, arrived_at: datetime, tz: ZoneInfo) -> Deadline:
        """The deadline fixed by X's arrival at `arrived_at`."""
        day = self.count.shift(arrived_at.astimezone(tz).date(), 1)
        deadline = resolve(DueKind.BY, day, tz)
        return replace(deadline, wording=f"{self.wording()} ({deadline.label()})")
