"""Every deadline form at its boundaries: one second before is on time, the instant is late."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.deadlines import DueKind, days_late, resolve

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
