"""When messages may go out: office hours on working days (Vietnamese holidays, plan days off)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from models.working_days import MAX_DAYS_SEARCHED, WorkingDays, vietnamese_holidays

__all__ = ["CLOSES", "OPENS", "OfficeCalendar", "office_calendar", "vietnamese_holidays"]

OPENS = time(7, 30)
CLOSES = time(17, 0)


@dataclass(frozen=True)
class OfficeCalendar:
    """Office hours [opens, closes) on working days, in the plan's timezone.

    A working day is a weekday that is neither a public holiday nor one of the plan's own
    days off. Holidays are looked up lazily, per year, and remembered per day.
    """

    tz: ZoneInfo
    opens: time = OPENS
    closes: time = CLOSES
    days_off: frozenset[date] = frozenset()
    public_holidays: holidays.HolidayBase = field(
        default_factory=vietnamese_holidays, compare=False, repr=False
    )
    _working: dict[date, bool] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.opens >= self.closes:
            hours = f"{self.opens}–{self.closes}"
            raise ValueError(f"office hours must open before they close ({hours})")

    def is_working_day(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            known = WorkingDays(self.days_off, self.public_holidays).is_working_day(day)
            self._working[day] = known
        return known

    def is_open(self, moment: datetime) -> bool:
        """Office hours on a working day."""
        local = moment.astimezone(self.tz)
        return self.is_working_day(local.date()) and self.opens <= local.time() < self.closes

    def opening(self, day: date) -> datetime:
        """When the office opens on `day` (whether or not it is a working day)."""
        return datetime.combine(day, self.opens, tzinfo=self.tz)

    def next_open(self, moment: datetime) -> datetime:
        """`moment` itself if the office is open then, else the next working morning."""
        if self.is_open(moment):
            return moment
        local = moment.astimezone(self.tz)
        day = local.date() if local.time() < self.opens else local.date() + timedelta(days=1)
        return self.opening(self.working_day_from(day, step=1))

    def working_day_from(self, day: date, step: int) -> date:
        """`day` if it is a working day, else the nearest one later (step 1) or earlier (-1)."""
        for _ in range(MAX_DAYS_SEARCHED):
            if self.is_working_day(day):
                return day
            day += timedelta(days=step)
        raise ValueError(f"no working day within {MAX_DAYS_SEARCHED} days of {day}")


def office_calendar(
    tz: ZoneInfo, *, opens: time = OPENS, closes: time = CLOSES, days_off: Iterable[date] = ()
) -> OfficeCalendar:
    """The Vietnamese office calendar of a plan, with its own extra days off."""
    return OfficeCalendar(tz, opens, closes, frozenset(days_off))
