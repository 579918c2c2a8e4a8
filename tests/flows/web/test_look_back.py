"""Which moment a look-back shows: rounded down to a step of its day, within the plan's span."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flows.web.look_back import check_in_span, rounded_down
from models.errors import InvalidInputError
from tests.builders import HCM, build, deliverable, local

FIVE = timedelta(minutes=5)


@pytest.mark.parametrize(
    ("moment", "step", "shown"),
    [
        (local(2023, 3, 10, 9, 0), FIVE, local(2023, 3, 10, 9, 0)),
        (local(2023, 3, 10, 9, 4, 59), FIVE, local(2023, 3, 10, 9, 0)),
        (local(2023, 3, 10, 9, 5), FIVE, local(2023, 3, 10, 9, 5)),
        (local(2023, 3, 10, 23, 59, 59), timedelta(minutes=15), local(2023, 3, 10, 23, 45)),
        (local(2023, 3, 10, 9, 7, 30), timedelta(minutes=1), local(2023, 3, 10, 9, 7)),
        (local(2023, 3, 10, 9, 7), timedelta(minutes=7), local(2023, 3, 10, 9, 6)),  # 78 × 7
        (local(2023, 3, 10, 17, 20), timedelta(days=1), local(2023, 3, 10)),
        # 02:03 UTC is 09:03 in the plan's timezone: rounded there, not in UTC
        (datetime(2023, 3, 10, 2, 3, tzinfo=UTC), timedelta(hours=2), local(2023, 3, 10, 8)),
    ],
)
def test_a_moment_is_rounded_down_in_plan_time(
    moment: datetime, step: timedelta, shown: datetime
) -> None:
    rounded = rounded_down(moment, HCM, step)
    assert rounded == shown and rounded.tzinfo == HCM


PLAN = build(
    [
        deliverable("a", due={"before": "2023-03-09"}),
        deliverable("b", due={"by": "2023-03-20"}, after=["a"]),
    ]
)
NOW = local(2023, 3, 10, 9)


@pytest.mark.parametrize(
    "moment",
    [
        local(2022, 3, 9),  # a year before the first deadline
        local(2023, 3, 10, 9),
        local(2023, 4, 21),  # 31 days after the last (the end of 20/03)
        local(2023, 3, 1) - timedelta(days=300),
    ],
)
def test_moments_a_board_can_answer_are_accepted(moment: datetime) -> None:
    check_in_span(PLAN, moment, NOW)


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        (
            local(2022, 3, 8, 23, 59),
            "sớm hơn quá một năm so với hạn đầu tiên của kế hoạch: trước ngày 09/03/2023",
        ),
        (
            local(2023, 4, 22, 0, 1),
            "muộn hơn quá 31 ngày so với hạn cuối của kế hoạch: chậm nhất ngày 20/03/2023",
        ),
        (local(2033, 3, 10), "chưa tới và muộn hơn quá 31 ngày"),
    ],
)
def test_moments_far_outside_the_plan_are_refused_naming_the_span(
    moment: datetime, said: str
) -> None:
    with pytest.raises(
        InvalidInputError, match="Bảng xem lại được từ 09/03/2022 00:00 đến"
    ) as raised:
        check_in_span(PLAN, moment, NOW)
    assert said in str(raised.value)


def test_the_past_after_the_plan_stays_open_to_look_back() -> None:
    """A year after the plan ended, its last day is history, not a typo."""
    check_in_span(PLAN, local(2024, 1, 1), local(2025, 1, 1))


def test_a_plan_without_deadlines_accepts_any_moment() -> None:
    check_in_span(build([deliverable("a")]), local(2099, 1, 1), NOW)
