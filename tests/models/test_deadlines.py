"""Every deadline form at its boundaries: one second before is on time, the instant is late."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.deadlines import DueKind, Period, days_late, period_deadline, period_last_day, resolve

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SECOND = timedelta(seconds=1)


def local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=HCM)


@pytest.mark.parametrize(
    ("kind", "written", "late_from"),
    [
        (DueKind.BEFORE, date(2023, 3, 9), local(2023, 3, 9)),
        (DueKind.BY, date(2023, 3, 9), local(2023, 3, 10)),
        (DueKind.AT, datetime(2023, 3, 9, 17, 0), local(2023, 3, 9, 17)),
        (DueKind.ON, date(2023, 3, 22), local(2023, 3, 23)),
    ],
)
def test_deadline_is_late_from_its_instant_and_not_a_second_earlier(kind, written, late_from):
    deadline = resolve(kind, written, HCM)
    assert deadline.due_at == late_from
    assert late_from - SECOND < deadline.due_at <= late_from


def test_report_received_the_day_before_is_on_time_for_truoc_ngay():
    deadline = resolve("before", date(2023, 3, 9), HCM)
    assert local(2023, 3, 8, 23, 59, 59) < deadline.due_at
    assert not local(2023, 3, 9, 0, 0, 0) < deadline.due_at


def test_event_prerequisites_are_due_when_the_event_day_starts():
    deadline = resolve("on", date(2023, 3, 22), HCM)
    assert deadline.cutoff == local(2023, 3, 22)
    assert deadline.as_inherited().due_at == local(2023, 3, 22)
    assert deadline.as_inherited().inferred


def test_at_with_an_offset_keeps_the_instant():
    deadline = resolve("at", datetime.fromisoformat("2023-03-09T10:00:00+00:00"), HCM)
    assert deadline.due_at == local(2023, 3, 9, 17)


def test_deadline_instants_use_the_plan_timezone():
    paris = ZoneInfo("Europe/Paris")
    assert resolve("before", date(2023, 3, 9), paris).due_at == datetime(2023, 3, 9, tzinfo=paris)


@pytest.mark.parametrize(
    ("kind", "written", "label"),
    [
        ("before", date(2023, 3, 9), "trước ngày 09/03/2023"),
        ("by", date(2023, 3, 9), "chậm nhất ngày 09/03/2023"),
        ("at", datetime(2023, 3, 9, 17, 0), "trước 17:00 ngày 09/03/2023"),
        ("on", date(2023, 3, 22), "ngày 22/03/2023"),
    ],
)
def test_labels_are_vietnamese_with_dd_mm_yyyy(kind, written, label):
    assert resolve(kind, written, HCM).label() == label


@pytest.mark.parametrize(
    ("late_by", "days"),
    [
        (timedelta(0), 1),
        (SECOND, 1),
        (timedelta(hours=24), 1),
        (timedelta(hours=24, seconds=1), 2),
        (timedelta(hours=33), 2),
        (timedelta(days=7), 7),
    ],
)
def test_days_late_rounds_up_whole_days(late_by, days):
    due = local(2023, 3, 9)
    assert days_late(due, due + late_by) == days


def test_days_late_is_zero_before_the_deadline():
    due = local(2023, 3, 9)
    assert days_late(due, due - SECOND) == 0


@pytest.mark.parametrize(
    ("period", "written", "last_on_time", "late_from"),
    [
        (Period.MONTH, "2021-01", local(2021, 1, 31, 23, 59, 59), local(2021, 2, 1)),
        (Period.MONTH, "2024-02", local(2024, 2, 29, 23, 59, 59), local(2024, 3, 1)),  # leap
        (Period.MONTH, "2023-02", local(2023, 2, 28, 23, 59, 59), local(2023, 3, 1)),
        (Period.MONTH, "2023-12", local(2023, 12, 31, 23, 59, 59), local(2024, 1, 1)),
        (Period.QUARTER, "2023-Q1", local(2023, 3, 31, 23, 59, 59), local(2023, 4, 1)),
        (Period.QUARTER, "2023-Q2", local(2023, 6, 30, 23, 59, 59), local(2023, 7, 1)),
        (Period.QUARTER, "2023-Q3", local(2023, 9, 30, 23, 59, 59), local(2023, 10, 1)),
        (Period.QUARTER, "2023-Q4", local(2023, 12, 31, 23, 59, 59), local(2024, 1, 1)),
        (Period.YEAR, 2022, local(2022, 12, 31, 23, 59, 59), local(2023, 1, 1)),
    ],
)
def test_period_deadline_is_on_time_through_its_last_day_and_late_from_the_next(
    period, written, last_on_time, late_from
):
    deadline = period_deadline(period, written, HCM)
    assert last_on_time < deadline.due_at == late_from == deadline.cutoff


@pytest.mark.parametrize(
    ("period", "written", "label"),
    [
        (Period.MONTH, "2021-01", "trong tháng 01/2021"),
        (Period.MONTH, "2023-11", "trong tháng 11/2023"),
        (Period.QUARTER, "2023-Q1", "trong quý I/2023"),
        (Period.QUARTER, "2023-Q2", "trong quý II/2023"),
        (Period.QUARTER, "2023-Q3", "trong quý III/2023"),
        (Period.QUARTER, "2023-Q4", "trong quý IV/2023"),
        (Period.YEAR, 2022, "trong năm 2022"),
    ],
)
def test_period_deadline_is_shown_in_its_own_words(period, written, label):
    assert period_deadline(period, written, HCM).label() == label


def test_a_prerequisite_of_a_period_deadline_inherits_the_next_day_start():
    inherited = period_deadline(Period.MONTH, "2021-01", HCM).as_inherited()
    assert inherited.label() == "trước ngày 01/02/2021 (suy ra)"


def test_an_extended_period_deadline_names_the_plan_wording_as_the_original():
    from models.extensions import Extension

    original = period_deadline(Period.QUARTER, "2023-Q2", HCM)
    extended = Extension(DueKind.BY, date(2023, 7, 15)).deadline(original, HCM)
    assert extended.label() == "gia hạn đến 15/07/2023 (hạn gốc: trong quý II/2023)"


def test_a_period_written_in_another_shape_is_refused():
    with pytest.raises(ValueError):
        period_last_day(Period.QUARTER, "2023-Q5")


@settings(max_examples=300, deadline=None)
@given(
    period=st.sampled_from(list(Period)),
    year=st.integers(1990, 2100),
    number=st.integers(1, 12),
)
def test_a_period_deadline_is_the_end_of_the_last_day_of_the_period(period, year, number):
    written = {
        Period.MONTH: f"{year}-{number:02d}",
        Period.QUARTER: f"{year}-Q{(number - 1) // 3 + 1}",
        Period.YEAR: year,
    }[period]
    last = period_last_day(period, written)
    next_day = last + timedelta(days=1)
    # The last day belongs to the period and the next one starts a new one.
    assert last.year == year and next_day.day == 1
    if period is Period.MONTH:
        assert last.month == number
    elif period is Period.QUARTER:
        assert last.month == 3 * ((number - 1) // 3 + 1)
    else:
        assert (last.month, last.day) == (12, 31)
    deadline = period_deadline(period, written, HCM)
    assert deadline.due_at == datetime.combine(next_day, datetime.min.time(), tzinfo=HCM)
    assert deadline.written == last and deadline.kind is DueKind.BY
