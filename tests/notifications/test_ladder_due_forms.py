"""Periods and counted deadlines on the ladder: a period or a count from another deadline is
reminded like any date; one fixed by an arrival gets nothing while it is not known, and the
ladder follows its date once it is. The board and the e-mails say each in its words."""

from __future__ import annotations

from notifications.board import board_view
from notifications.ladder import Rule, superseded
from notifications.render import render
from tests.builders import at, deliverable, ladder_plan, received
from tests.notifications.ladder_runs import decide_at, replay, statuses_at

TO_TRINH = {"code": "to-trinh", "title": "Tờ trình", "owner": "d1", "to": "vp"}
DUYET = deliverable(
    "duyet", "vp", due={"within_days": 2, "after_arrival_of": "to-trinh", "working_days": True}
)
PLAN = ladder_plan([TO_TRINH, DUYET])
# Friday 10/03/2023 15:00: through Tuesday 14/03, late from Wednesday 15/03 00:00.
ARRIVAL = received("to-trinh", "d1", at(10, 15))
FIXED = "2 ngày làm việc sau khi Tờ trình được nộp (chậm nhất ngày 14/03/2023)"
PENDING = "2 ngày làm việc sau khi Tờ trình được nộp (chưa xác định)"


def about_duyet(messages):
    return [m.rule for m in messages if m.deliverable == "duyet"]


def test_nothing_is_sent_while_the_deadline_is_not_known():
    days = [at(d) for d in range(1, 32)]
    assert about_duyet(m for _, m in replay(PLAN, days)) == []


def test_the_ladder_follows_the_date_the_arrival_fixed():
    moments = [at(9), at(10, 14), at(10, 16), at(13), at(14), at(15), at(17)]
    decided = [
        (a.day, m.rule) for a, m in replay(PLAN, moments, [ARRIVAL]) if m.deliverable == "duyet"
    ]
    assert decided == [
        (10, Rule.REMINDER),  # due in under 3 days as soon as it is known
        (14, Rule.FINAL_REMINDER),
        (15, Rule.OVERDUE),
        (17, Rule.OVERDUE_REPEAT),
    ]


def test_the_overdue_notice_says_the_fixed_deadline_in_words():
    (message,) = [m for m in decide_at(PLAN, at(15), [ARRIVAL]) if m.deliverable == "duyet"]
    assert message.rule is Rule.OVERDUE and message.days_late == 1
    assert FIXED in render(message, PLAN).text


def test_a_pending_reminder_is_superseded_when_the_arrival_is_undone():
    (reminder,) = [m for m in decide_at(PLAN, at(13), [ARRIVAL]) if m.deliverable == "duyet"]
    undetermined = {s.ref: s for s in statuses_at(PLAN, at(13))}
    assert superseded(reminder.key, undetermined, PLAN.tz) == "hạn nộp đã thay đổi"


def test_the_board_shows_the_deadline_in_words_known_or_not():
    before = board_view(PLAN, statuses_at(PLAN, at(9)), at(9))
    after = board_view(PLAN, statuses_at(PLAN, at(13), [ARRIVAL]), at(13))
    (pending,) = [x for x in before.lines if x.deliverable == "duyet"]
    (fixed,) = [x for x in after.lines if x.deliverable == "duyet"]
    assert (pending.deadline, pending.status.label) == (PENDING, "Chưa đến hạn")
    assert fixed.deadline == FIXED


def test_a_period_and_a_count_are_reminded_on_their_dates_and_named_in_their_words():
    plan = ladder_plan(
        [
            {"code": "khai-mac", "title": "Khai mạc", "owner": "vp", "due": {"on": "2023-03-22"}},
            deliverable("bc-thang", "d1", due={"month": "2023-03"}),
            deliverable("giay-moi", "d2", due={"days_before": 10, "of": "khai-mac"}),
        ]
    )
    # "trong tháng 03/2023": late from 01/04 (Saturday), final reminder Fri 31/03.
    (final,) = [m for m in decide_at(plan, at(31)) if m.deliverable == "bc-thang"]
    assert final.rule is Rule.FINAL_REMINDER
    assert "trong tháng 03/2023" in render(final, plan).text
    # "10 ngày trước Khai mạc (trước ngày 12/03/2023)": Sunday; overdue from Mon 13/03.
    (overdue,) = [m for m in decide_at(plan, at(13)) if m.deliverable == "giay-moi"]
    assert overdue.rule is Rule.OVERDUE
    assert "10 ngày trước Khai mạc (trước ngày 12/03/2023)" in render(overdue, plan).text
