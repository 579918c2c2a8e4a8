"""Office hours and working days: weekends, Vietnamese public holidays (Tết), plan days off."""

from __future__ import annotations

from datetime import date, time

import pytest

from notifications.calendar import OfficeCalendar, office_calendar
from tests.builders import HCM, at

CALENDAR = office_calendar(HCM)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2023, 3, 10), True),  # Friday
        (date(2023, 3, 11), False),  # Saturday
        (date(2023, 3, 12), False),  # Sunday
        (date(2023, 1, 19), True),  # the last working day before Tết 2023
        *((date(2023, 1, d), False) for d in range(20, 27)),  # 29 Tết → mùng 5 Tết
        (date(2023, 1, 27), True),
        (date(2023, 1, 2), False),  # Tết Dương lịch, moved to Monday
        (date(2023, 4, 28), True),
        (date(2023, 5, 1), False),  # Quốc tế Lao động
        (date(2023, 9, 1), False),  # Quốc khánh
        (date(2024, 2, 12), False),  # Tết Giáp Thìn: any year works
    ],
)
def test_working_days_skip_weekends_and_vietnamese_holidays(day, working):
    assert CALENDAR.is_working_day(day) is working


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (at(10, 7, 29), False),
        (at(10, 7, 30), True),
        (at(10, 16, 59), True),
        (at(10, 17, 0), False),
        (at(11, 9, 0), False),
    ],
)
def test_the_office_is_open_from_opening_until_closing_time_on_working_days(moment, is_open):
    assert CALENDAR.is_open(moment) is is_open


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(10, 9), at(10, 9)),  # open: now
        (at(10, 6), at(10)),  # before opening: this morning
        (at(10, 17), at(13)),  # Friday evening: Monday morning
        (at(11, 0, 0), at(13)),  # Saturday midnight
        (at(20, 18, month=1), at(27, month=1)),  # the evening before Tết: after Tết
    ],
)
def test_next_open_is_now_or_the_next_working_morning(moment, expected):
    assert CALENDAR.next_open(moment) == expected


def test_a_day_off_of_the_plan_is_not_a_working_day_and_moves_earlier_or_later():
    calendar = office_calendar(HCM, days_off=[date(2023, 3, 10)])
    assert not calendar.is_working_day(date(2023, 3, 10))
    assert calendar.working_day_from(date(2023, 3, 12), step=-1) == date(2023, 3, 9)
    assert calendar.working_day_from(date(2023, 3, 10), step=1) == date(2023, 3, 13)


def test_office_hours_must_open_before_they_close():
    with pytest.raises(ValueError, match="open before they close"):
        OfficeCalendar(HCM, time(17), time(7, 30))


def test_a_calendar_without_working_days_says_so_instead_of_looping():
    every_day = [date(2023, 1, 1).fromordinal(date(2023, 1, 1).toordinal() + i) for i in range(800)]
    calendar = office_calendar(HCM, days_off=every_day)
    with pytest.raises(ValueError, match="no working day"):
        calendar.working_day_from(date(2023, 6, 1), step=1)
