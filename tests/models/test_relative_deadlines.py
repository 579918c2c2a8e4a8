"""Deadlines counted from another deliverable: at their boundaries, in their own words."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.deadlines import DueKind, resolve
from models.relative_deadlines import ArrivalRule, Count, days_after, days_before
from models.working_days import WorkingDays
from tests.builders import HCM, build, deadline_of, deliverable, local

SECOND = timedelta(seconds=1)
CALENDAR = WorkingDays()
EVENT = resolve(DueKind.ON, date(2023, 3, 22), HCM)  # a Wednesday


def calendar_days(n: int) -> Count:
    return Count(n)


def working_days(n: int) -> Count:
    return Count(n, working_days=True, calendar=CALENDAR)


@pytest.mark.parametrize(
    ("reference", "count", "last_on_time", "late_from"),
    [
        # 10 days before an event on 22/03: before 12/03.
        (EVENT, calendar_days(10), local(2023, 3, 11, 23, 59, 59), local(2023, 3, 12)),
        # "by 20/03" ends 21/03 00:00; 10 days before: late from 11/03 (by 10/03).
        (resolve(DueKind.BY, date(2023, 3, 20), HCM), calendar_days(10), None, local(2023, 3, 11)),
        # A time of day is kept: 2 days before 09/03 17:00 is 07/03 17:00.
        (
            resolve(DueKind.AT, datetime(2023, 3, 9, 17), HCM),
            calendar_days(2),
            local(2023, 3, 7, 16, 59, 59),
            local(2023, 3, 7, 17),
        ),
        # 2 working days before Wednesday 22/03: before Monday 20/03.
        (EVENT, working_days(2), local(2023, 3, 19, 23, 59, 59), local(2023, 3, 20)),
        # 3 working days before Wednesday 22/03 skip the weekend: before Friday 17/03.
        (EVENT, working_days(3), None, local(2023, 3, 17)),
        # Over Tết 2023 (20–26/01): 1 working day before 27/01 is 19/01.
        (
            resolve(DueKind.BEFORE, date(2023, 1, 27), HCM),
            working_days(1),
            None,
            local(2023, 1, 19),
        ),
    ],
)
def test_days_before_is_late_from_its_instant_and_not_a_second_earlier(
    reference, count, last_on_time, late_from
):
    deadline = days_before(reference, count, "Khai mạc", HCM)
    assert deadline.due_at == late_from
    assert deadline.due_at - SECOND < late_from
    if last_on_time is not None:
        assert last_on_time < deadline.due_at


@pytest.mark.parametrize(
    ("reference", "count", "last_on_time", "late_from"),
    [
        # 7 days after an event on 22/03: through 29/03.
        (EVENT, calendar_days(7), local(2023, 3, 29, 23, 59, 59), local(2023, 3, 30)),
        # "before 09/03" ends with 08/03: 7 days after, through 15/03.
        (
            resolve(DueKind.BEFORE, date(2023, 3, 9), HCM),
            calendar_days(7),
            None,
            local(2023, 3, 16),
        ),
        # A time deadline counts from its day: through 16/03.
        (
            resolve(DueKind.AT, datetime(2023, 3, 9, 17), HCM),
            calendar_days(7),
            None,
            local(2023, 3, 17),
        ),
        # 2 working days after Friday 10/03: through Tuesday 14/03.
        (
            resolve(DueKind.BY, date(2023, 3, 10), HCM),
            working_days(2),
            local(2023, 3, 14, 23, 59, 59),
            local(2023, 3, 15),
        ),
        # Over Tết 2023: 1 working day after 19/01 is 27/01.
        (resolve(DueKind.BY, date(2023, 1, 19), HCM), working_days(1), None, local(2023, 1, 28)),
    ],
)
def test_days_after_runs_through_the_last_counted_day(reference, count, last_on_time, late_from):
    deadline = days_after(reference, count, "Hội thảo", HCM)
    assert deadline.due_at == late_from
    if last_on_time is not None:
        assert last_on_time < deadline.due_at


@pytest.mark.parametrize(
    ("shift", "count", "label"),
    [
        (days_before, calendar_days(10), "10 ngày trước Khai mạc (trước ngày 12/03/2023)"),
        (days_before, working_days(2), "2 ngày làm việc trước Khai mạc (trước ngày 20/03/2023)"),
        (days_after, calendar_days(7), "7 ngày sau Khai mạc (chậm nhất ngày 29/03/2023)"),
        (days_after, working_days(2), "2 ngày làm việc sau Khai mạc (chậm nhất ngày 24/03/2023)"),
    ],
)
def test_a_counted_deadline_says_its_wording_and_its_date(shift, count, label):
    assert shift(EVENT, count, "Khai mạc", HCM).label() == label


RULE = ArrivalRule("to-trinh", working_days(2), "Tờ trình")


def test_an_arrival_rule_says_it_is_not_determined_yet():
    assert RULE.undetermined_label() == "2 ngày làm việc sau khi Tờ trình được nộp (chưa xác định)"


@pytest.mark.parametrize(
    ("arrived", "last_on_time", "late_from"),
    [
        (local(2023, 3, 10, 15, 20), local(2023, 3, 14, 23, 59, 59), local(2023, 3, 15)),  # Fri
        (local(2023, 3, 10, 23, 59, 59), None, local(2023, 3, 15)),
        (local(2023, 3, 11, 0, 0), None, local(2023, 3, 15)),  # a Saturday counts from Monday
        (local(2023, 3, 13, 0, 0), None, local(2023, 3, 16)),
    ],
)
def test_an_arrival_fixes_the_deadline_through_the_nth_day_after_it(
    arrived, last_on_time, late_from
):
    deadline = RULE.deadline(arrived, HCM)
    assert deadline.due_at == late_from
    if last_on_time is not None:
        assert last_on_time < deadline.due_at


def test_a_fixed_arrival_deadline_says_its_wording_and_its_date():
    deadline = RULE.deadline(local(2023, 3, 10, 15, 20), HCM)
    assert deadline.label() == (
        "2 ngày làm việc sau khi Tờ trình được nộp (chậm nhất ngày 14/03/2023)"
    )


def test_the_arrival_counts_in_the_plan_timezone():
    utc_evening = datetime.fromisoformat("2023-03-09T18:00:00+00:00")  # 10/03 01:00 in Hà Nội
    assert RULE.deadline(utc_evening, HCM).due_at == local(2023, 3, 15)


# Through the loader: the plan's own forms, the reference's title, the plan's days off.
KHAI_MAC = {
    "code": "khai-mac",
    "title": "Khai mạc hội nghị",
    "owner": "vp",
    "due": {"on": "2023-03-22"},
}


def test_a_plan_resolves_days_before_with_the_reference_title():
    plan = build([KHAI_MAC, deliverable("giay-moi", due={"days_before": 10, "of": "khai-mac"})])
    deadline = deadline_of(plan, "giay-moi")
    assert deadline.label() == "10 ngày trước Khai mạc hội nghị (trước ngày 12/03/2023)"
    assert deadline.due_at == local(2023, 3, 12) and not deadline.inferred


def test_a_plan_counts_working_days_without_its_own_days_off():
    due = {"days_before": 2, "of": "khai-mac", "working_days": True}
    plain = build([KHAI_MAC, deliverable("giay-moi", due=due)])
    with_day_off = build(
        [KHAI_MAC, deliverable("giay-moi", due=due)], ladder={"days_off": ["2023-03-20"]}
    )
    assert deadline_of(plain, "giay-moi").due_at == local(2023, 3, 20)
    assert deadline_of(with_day_off, "giay-moi").due_at == local(2023, 3, 17)


def test_a_chain_of_counted_deadlines_resolves_in_order_of_reference():
    plan = build(
        [
            deliverable("c", due={"days_after": 1, "of": "b"}),
            deliverable("b", due={"days_after": 1, "of": "a"}),
            deliverable("a", due={"by": "2023-03-09"}),
        ]
    )
    assert deadline_of(plan, "c").due_at == local(2023, 3, 12)


def test_a_prerequisite_inherits_from_a_counted_deadline():
    plan = build(
        [
            KHAI_MAC,
            deliverable("danh-sach"),
            deliverable("giay-moi", due={"days_before": 10, "of": "khai-mac"}, after=["danh-sach"]),
        ]
    )
    inherited = deadline_of(plan, "danh-sach")
    assert inherited.inferred and inherited.due_at == local(2023, 3, 12)


def test_a_period_deadline_in_a_plan():
    plan = build([deliverable("bc-quy", due={"quarter": "2023-Q2"})])
    assert deadline_of(plan, "bc-quy").label() == "trong quý II/2023"
    assert deadline_of(plan, "bc-quy").due_at == local(2023, 7, 1)


# Invariants, on generated references (hypothesis).
references = st.builds(
    lambda kind, day, hour: (
        resolve(kind, datetime.combine(day, datetime.min.time()).replace(hour=hour), HCM)
        if kind is DueKind.AT
        else resolve(kind, day, HCM)
    ),
    st.sampled_from(list(DueKind)),
    st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    st.integers(0, 23),
)
counts = st.builds(
    lambda n, working: Count(n, working, CALENDAR), st.integers(1, 60), st.booleans()
)


def working_days_between(first: date, end: date) -> int:
    """Working days in [first, end)."""
    return sum(
        CALENDAR.is_working_day(first + timedelta(days=i)) for i in range((end - first).days)
    )


@settings(max_examples=300, deadline=None)
@given(reference=references, count=counts)
def test_days_after_always_falls_after_its_reference(reference, count):
    deadline = days_after(reference, count, "X", HCM)
    assert deadline.due_at > reference.due_at
    last = deadline.written
    assert isinstance(last, date)
    if count.working_days:
        assert CALENDAR.is_working_day(last)
        start = reference.due_at - timedelta(microseconds=1)
        assert (
            working_days_between(start.date() + timedelta(days=1), last + timedelta(days=1))
            == count.days
        )
    else:
        assert deadline.due_at - timedelta(days=count.days) >= reference.due_at


@settings(max_examples=300, deadline=None)
@given(reference=references, count=counts)
def test_days_before_is_before_its_reference_by_exactly_n_days(reference, count):
    deadline = days_before(reference, count, "X", HCM)
    start = reference.cutoff
    if not count.working_days:
        assert deadline.due_at == start - timedelta(days=count.days)
        return
    # N working days: the deadline's day is a working day, and from it up to the day the
    # reference starts to count there are exactly N of them.
    day = deadline.due_at.date()
    assert CALENDAR.is_working_day(day)
    assert working_days_between(day, start.date()) == count.days
    assert deadline.due_at <= start - timedelta(days=count.days)


@settings(max_examples=300, deadline=None)
@given(
    arrived=st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31), timezones=st.just(HCM)),
    count=counts,
)
def test_a_deadline_fixed_by_an_arrival_never_precedes_it(arrived, count):
    deadline = ArrivalRule("x", count, "X").deadline(arrived, HCM)
    assert deadline.due_at > arrived
    assert deadline.due_at.date() - arrived.date() > timedelta(days=count.days)
