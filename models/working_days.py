"""Working days in Viet Nam: weekdays that are neither public holidays nor a plan's days off."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import holidays

WEEKEND = frozenset({5, 6})  # Saturday, Sunday
MAX_DAYS_SEARCHED = 366  # a calendar with no working day for a year is a configuration error


@cache
def vietnamese_holidays() -> holidays.HolidayBase:
    """Public holidays of Viet Nam (Tết Nguyên Đán included), names in Vietnamese, any year.

    One shared table: it fills itself year by year as days are looked up."""
    return holidays.country_holidays("VN", language="vi")


@dataclass(frozen=True)
class WorkingDays:
    """The working days of one plan: the office calendar (notifications/calendar.py) and the
    deadlines counted in working days (`working_days: true`) both use it."""

    days_off: frozenset[date] = frozenset()
    public_holidays: holidays.HolidayBase = field(
        default_factory=vietnamese_holidays, compare=False, repr=False
    )

    def is_working_day(self, day: date) -> bool:
        if day.weekday() in WEEKEND or day in self.days_off:
            return False
        return day not in self.public_holidays

    def shift(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (before it when `count` is negative), `day`
        itself not counted: 2 working days after Friday 10/03/2023 is Tuesday 14/03/2023."""
        step = 1 if count >= 0 else -1
        left = abs(count)
        searched = 0
        while left:
            day += timedelta(days=step)
            searched += 1
            if self.is_working_day(day):
                left, searched = left - 1, 0
            elif searched > MAX_DAYS_SEARCHED:
                raise ValueError(f"no working day within {MAX_DAYS_SEARCHED} days of {day}")
        return day
