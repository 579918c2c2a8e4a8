"""Counting working days: weekends, Vietnamese public holidays (Tết) and a plan's days off."""

from datetime import date

import pytest

from models.working_days import WorkingDays

CALENDAR = WorkingDays()


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2023, 3, 10), 2, date(2023, 3, 14)),  # Friday + 2 → Tuesday
        (date(2023, 3, 11), 1, date(2023, 3, 13)),  # from a Saturday: Monday is the first
        (date(2023, 1, 19), 1, date(2023, 1, 27)),  # Tết 2023 (20–26/01) skipped
        (date(2023, 1, 19), 2, date(2023, 1, 30)),
        (date(2023, 1, 27), -1, date(2023, 1, 19)),  # backwards over Tết
        (date(2023, 3, 13), -1, date(2023, 3, 10)),  # Monday − 1 → Friday
        (date(2023, 3, 22), -2, date(2023, 3, 20)),
        (date(2023, 3, 22), 0, date(2023, 3, 22)),
    ],
)
def test_shift_counts_only_working_days_and_not_the_start(start, count, expected):
    assert CALENDAR.shift(start, count) == expected


def test_a_plan_day_off_is_not_a_working_day():
    days_off = WorkingDays(frozenset({date(2023, 3, 13)}))
    assert not days_off.is_working_day(date(2023, 3, 13))
    assert days_off.shift(date(2023, 3, 10), 1) == date(2023, 3, 14)


def test_a_calendar_without_working_days_is_refused_not_looped():
    no_weekdays = WorkingDays(frozenset(date.fromordinal(n) for n in range(738_000, 739_500)))
    with pytest.raises(ValueError, match="no working day"):
        no_weekdays.shift(date.fromordinal(738_100), 1)
