"""The ladder decides: every rule at its boundaries, highest step only, working days, digest."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from models.errors import PlanError
from models.loader import read_plan_text
from models.plan import AssignmentRef
from models.spec import LadderSpec
from models.submissions import Submission, SubmissionKind
from notifications.ladder import DEFAULT_LADDER, Ladder, Rule, collapse, superseded
from notifications.messages import parse_key
from notifications.sent_log import SentLog
from tests.builders import REPORT, at, deliverable, ladder_plan, plan_text, received
from tests.notifications.ladder_runs import decide_at, replay, statuses_at

PLAN = ladder_plan([deliverable("report", "vp", to="vp", due={"before": "2023-03-09"})])


def rules(messages):
    return [m.rule for m in messages]


# "trước ngày 09/03/2023" (Thu 00:00): reminder Mon 06/3, final Wed 08/3, overdue Thu 09/3,
# escalation from Sat 11/3 00:00, moved to the next working morning, Mon 13/3 07:30.
@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (at(3, 10), []),  # Fri, before the reminder day
        (at(6, 7, 29), []),  # the office is not open yet
        (at(6), [Rule.REMINDER]),
        (at(7, 16, 59), [Rule.REMINDER]),
        (at(7, 17), []),  # closed
        (at(8), [Rule.FINAL_REMINDER]),
        (at(8, 23, 59), []),
        (at(9), [Rule.OVERDUE]),
        (at(10, 9), [Rule.OVERDUE]),
        (at(11, 9), []),  # Saturday
        (at(12, 9), []),  # Sunday
        (at(13), [Rule.OVERDUE, Rule.ESCALATION]),
    ],
)
def test_a_fresh_run_sends_the_highest_step_due_at_each_moment(as_of, expected):
    assert rules(decide_at(PLAN, as_of)) == expected


def test_a_run_after_a_week_of_downtime_sends_the_overdue_notice_not_the_reminders():
    decided = replay(PLAN, [at(2), at(13)])
    assert [(m.rule, m.days_late) for _, m in decided] == [
        (Rule.OVERDUE, 5),
        (Rule.ESCALATION, None),
    ]


def test_a_lower_step_is_never_sent_once_a_higher_one_was():
    decided = replay(PLAN, [at(8), at(8, 9), at(8, 15)])
    assert rules(m for _, m in decided) == [Rule.FINAL_REMINDER]


def test_daily_runs_climb_the_ladder_one_step_each_and_repeat_every_two_days():
    days = [at(d) for d in range(1, 21)]
    decided = [(as_of.day, m.rule, m.repeat) for as_of, m in replay(PLAN, days)]
    assert decided == [
        (6, Rule.REMINDER, 0),
        (8, Rule.FINAL_REMINDER, 0),
        (9, Rule.OVERDUE, 0),
        (13, Rule.OVERDUE_REPEAT, 1),  # 11/3 is a Saturday: the next working morning
        (13, Rule.ESCALATION, 0),
        (15, Rule.OVERDUE_REPEAT, 2),
        (17, Rule.OVERDUE_REPEAT, 3),
        (20, Rule.OVERDUE_REPEAT, 4),  # 19/3 is a Sunday
    ]


def test_repeats_count_from_the_notice_actually_sent_not_from_the_deadline():
    decided = replay(PLAN, [at(14), at(15), at(16)])
    assert [(a.day, m.rule) for a, m in decided] == [
        (14, Rule.OVERDUE),
        (14, Rule.ESCALATION),
        (16, Rule.OVERDUE_REPEAT),
    ]


def test_repeats_can_be_turned_off():
    ladder = ladder_from({"overdue_repeat": False})
    decided = replay(PLAN, [at(d) for d in range(9, 21)], ladder=ladder)
    assert Rule.OVERDUE_REPEAT not in rules(m for _, m in decided)


def test_nothing_is_sent_about_a_submitted_assignment_but_its_receipt():
    submissions = [received("report", "vp", at(7, 10))]
    decided = replay(PLAN, [at(d) for d in range(1, 21)], submissions)
    assert [(a.day, m.rule) for a, m in decided] == [(6, Rule.REMINDER), (8, Rule.RECEIPT)]


def test_nothing_is_sent_about_a_waived_assignment():
    waived = Submission(1, "report", "vp", SubmissionKind.WAIVED, at(1), at(1))
    assert replay(PLAN, [at(d) for d in range(1, 21)], [waived]) == []


def test_no_reminder_goes_to_the_units_of_a_group_that_already_submitted():
    plan = ladder_plan([REPORT])
    messages = decide_at(plan, at(8), [received("report", "d2", at(7, 9))])
    assert [(m.rule, m.unit) for m in messages] == [
        (Rule.FINAL_REMINDER, "d1"),
        (Rule.RECEIPT, "d2"),
        (Rule.FINAL_REMINDER, "d3"),
    ]


@pytest.mark.parametrize(
    ("due", "moments", "expected"),
    [
        # due Mon 13/3: reminder Fri 10/3; the final reminder falls on Sunday → also Friday,
        # so Friday sends only the final one
        (
            {"before": "2023-03-13"},
            [at(9), at(10), at(13)],
            [(10, "final_reminder"), (13, "overdue")],
        ),
        # due Tue 14/3: reminder Sat 11/3 → Fri 10/3; final reminder Mon 13/3
        (
            {"before": "2023-03-14"},
            [at(d) for d in range(9, 15)],
            [(10, "reminder"), (13, "final_reminder"), (14, "overdue")],
        ),
        # "chậm nhất ngày 10/03" = late from Sat 11/3 00:00 → overdue notice Monday morning
        (
            {"by": "2023-03-10"},
            [at(d) for d in range(10, 14)],
            [(10, "final_reminder"), (13, "overdue")],
        ),
        # a deadline at closing time: the overdue notice waits for the next morning
        (
            {"at": "2023-03-09T17:00:00"},
            [at(9), at(9, 17, 30), at(10)],
            [(9, "final_reminder"), (10, "overdue")],
        ),
        # a deadline in office hours: the overdue notice goes the same day
        (
            {"at": "2023-03-09T10:00:00"},
            [at(9), at(9, 10)],
            [(9, "final_reminder"), (9, "overdue")],
        ),
    ],
)
def test_reminders_move_earlier_and_notices_later_around_days_off(due, moments, expected):
    plan = ladder_plan([deliverable("report", "vp", due=due)])
    decided = replay(plan, moments, ladder=ladder_from({"escalation": False}))
    assert [(a.day, m.rule.value) for a, m in decided] == expected


def test_tet_2023_moves_reminders_before_the_holiday_and_notices_after_it():
    # Tết Quý Mão: Fri 20/1 to Thu 26/1/2023 off. Due "trước ngày 25/01/2023" (in Tết).
    plan = ladder_plan([deliverable("report", "vp", due={"before": "2023-01-25"})])
    moments = [at(d, month=1) for d in range(16, 31)]
    decided = [(a.day, m.rule.value) for a, m in replay(plan, moments)]
    assert decided == [
        (19, "final_reminder"),  # both reminders fall in Tết: both move to Thu 19/1
        (27, "overdue"),  # the first working morning after Tết
        (27, "escalation"),  # 27/1 00:00 is D+2, already a working day
        (30, "overdue_repeat"),  # 29/1 is a Sunday
    ]


def test_plan_days_off_count_as_holidays():
    ladder = ladder_from({"days_off": ["2023-03-06"], "final_reminder": False})
    decided = replay(PLAN, [at(d) for d in range(1, 9)], ladder=ladder)
    assert [(a.day, m.rule.value) for a, m in decided] == [(3, "reminder")]


def test_office_hours_are_a_plan_setting():
    ladder = ladder_from({"office_hours": "08:00-11:30"})
    assert decide_at(PLAN, at(6), ladder=ladder) == []
    assert rules(decide_at(PLAN, at(6, 8), ladder=ladder)) == [Rule.REMINDER]
    assert decide_at(PLAN, at(6, 11, 30), ladder=ladder) == []


@pytest.mark.parametrize(
    ("rule", "to", "cc"),
    [
        (Rule.REMINDER, ["d1@x.example"], []),
        (Rule.FINAL_REMINDER, ["d1@x.example"], ["bt.d1@x.example"]),
        (Rule.OVERDUE, ["bt.d1@x.example"], ["d1@x.example", "vp@x.example"]),
        (Rule.OVERDUE_REPEAT, ["bt.d1@x.example"], ["vp@x.example"]),
        (Rule.RECEIPT, ["d1@x.example"], []),
    ],
)
def test_each_rule_writes_to_the_people_of_the_issue_table(rule, to, cc):
    plan = ladder_plan([REPORT])
    submissions = [received("report", "d1", at(15, 8))] if rule is Rule.RECEIPT else []
    moments = [at(d) for d in range(1, 17)]
    found = [m for _, m in replay(plan, moments, submissions) if m.rule is rule and m.unit == "d1"]
    assert (list(found[0].to), list(found[0].cc)) == (to, cc)


def test_a_unit_without_head_email_gets_head_messages_at_its_own_address():
    plan = ladder_plan([deliverable("report", "lead", due={"before": "2023-03-09"})])
    (message,) = decide_at(plan, at(9))
    assert (message.to, message.cc) == (("tt@x.example",), ("vp@x.example",))


def test_a_unit_without_any_address_yields_a_message_with_nobody_to_send_to():
    units = [{"code": "vp", "name": "Văn phòng"}, {"code": "d1", "name": "Huyện 1"}]
    plan = ladder_plan(
        [deliverable("report", "d1", due={"before": "2023-03-09"})],
        units=units,
        groups={},
        leaders=[],
    )
    (message,) = decide_at(plan, at(6))
    assert message.to == ()


CHAIN = [
    deliverable("invite", "vp"),  # no date: inherits "trước ngày 09/03/2023" (inferred)
    deliverable("report", "group:huyen", to="vp", due={"before": "2023-03-09"}, after=["invite"]),
    deliverable("summary", "vp", to="lead", due={"before": "2023-03-15"}, after=["report"]),
    deliverable("follow-up", "group:huyen", after=["summary"]),  # open: no deadline
]


def test_inferred_deadlines_get_reminders_and_notices_but_never_reach_the_leaders():
    plan = ladder_plan(CHAIN)
    done = [received("report", u, at(7), i) for i, u in enumerate(["d1", "d2", "d3"], 1)]
    decided = replay(plan, [at(d) for d in range(6, 16)], done)
    about_invite = [(a.day, m.rule.value) for a, m in decided if m.deliverable == "invite"]
    assert about_invite == [
        (6, "reminder"),
        (8, "final_reminder"),
        (9, "overdue"),
        (13, "overdue_repeat"),
        (15, "overdue_repeat"),
    ]
    assert not [m for _, m in decided if m.rule is Rule.ESCALATION]


def test_the_leaders_digest_lists_every_escalated_assignment_by_deliverable_then_unit():
    plan = ladder_plan(
        [
            REPORT,
            deliverable("budget", "group:huyen", due={"before": "2023-03-08"}),
            deliverable("video", "vp", due={"before": "2023-03-10"}),
        ]
    )
    submissions = [received("report", "d2", at(8)), received("budget", "d1", at(7), 2)]
    (digest,) = [m for m in decide_at(plan, at(13), submissions) if m.rule is Rule.ESCALATION]
    lines = [(line.deliverable, line.unit, line.days_late) for line in digest.lines]
    assert lines == [
        ("report", "d1", 5),
        ("report", "d3", 5),
        ("budget", "d2", 6),
        ("budget", "d3", 6),
        ("video", "vp", 4),
    ]
    assert (digest.to, digest.cc, digest.deliverable) == (
        ("tt@x.example",),
        ("vp@x.example",),
        None,
    )
    assert digest.key == "p:escalation:digest:20230313"


def test_a_new_digest_goes_only_when_an_assignment_newly_reaches_escalation():
    plan = ladder_plan([REPORT, deliverable("video", "vp", due={"before": "2023-03-14"})])
    decided = replay(plan, [at(d) for d in range(13, 21)])
    digests = [
        (a.day, [(x.unit, x.new) for x in m.lines]) for a, m in decided if m.rule is Rule.ESCALATION
    ]
    assert digests == [
        (13, [("d1", True), ("d2", True), ("d3", True)]),
        (16, [("d1", False), ("d2", False), ("d3", False), ("vp", True)]),
    ]


def test_at_most_one_digest_a_day_even_when_runs_are_hourly():
    plan = ladder_plan([REPORT, deliverable("late", "vp", due={"at": "2023-03-11T10:00:00"})])
    decided = replay(plan, [at(13, h) for h in range(8, 17)] + [at(14)])
    digests = [(a.day, a.hour, len(m.lines)) for a, m in decided if m.rule is Rule.ESCALATION]
    assert digests == [(13, 8, 3), (14, 7, 4)]


def test_an_at_risk_notice_goes_once_to_the_waiting_owner_naming_what_is_overdue():
    plan = ladder_plan(CHAIN)
    done = [received("invite", "vp", at(2)), received("report", "d2", at(8), 2)]
    decided = replay(plan, [at(d) for d in range(9, 12)], done)
    risks = [m for _, m in decided if m.rule is Rule.AT_RISK]
    assert [(m.deliverable, m.unit, m.to, m.cc) for m in risks] == [
        ("summary", "vp", ("vp@x.example",), ())  # the coordinator is the owner: copied once
    ]  # follow-up has no deadline: not warned
    assert [(x.deliverable, x.unit, x.days_late) for x in risks[0].lines] == [
        ("report", "d1", 1),
        ("report", "d3", 1),
    ]


def test_at_risk_can_be_turned_off():
    ladder = ladder_from({"at_risk": False})
    assert Rule.AT_RISK not in rules(decide_at(ladder_plan(CHAIN), at(9), ladder=ladder))


def test_receipts_confirm_recent_submissions_once_but_not_a_plans_whole_history():
    submissions = [
        received("report", "d1", at(7, 10, 0)),
        received("report", "d2", at(1, 9) - timedelta(days=20), 2),
    ]
    decided = replay(ladder_plan([REPORT]), [at(8), at(9)], submissions)
    receipts = [(a.day, m.unit, m.key) for a, m in decided if m.rule is Rule.RECEIPT]
    assert receipts == [(8, "d1", "p:receipt:report:d1:20230307T100000")]


def test_messages_about_one_assignment_thread_to_the_first_one():
    decided = [m for _, m in replay(PLAN, [at(d) for d in range(6, 16)])]
    first = decided[0]
    assert first.thread is None
    about_it = [m for m in decided if m.deliverable == "report"]
    assert {m.thread for m in about_it[1:]} == {first.key}
    digests = [m for m in decided if m.rule is Rule.ESCALATION]
    assert digests[0].thread is None


def test_keys_are_deterministic_and_say_plan_rule_assignment_occurrence():
    keys = [m.key for _, m in replay(PLAN, [at(d) for d in range(6, 16)])]
    assert keys == [
        "p:reminder:report:vp:20230309T0000",
        "p:final_reminder:report:vp:20230309T0000",
        "p:overdue:report:vp:20230309T0000",
        "p:overdue_repeat:report:vp:20230309T0000-1",
        "p:escalation:digest:20230313",
        "p:overdue_repeat:report:vp:20230309T0000-2",
    ]
    assert keys == [m.key for _, m in replay(PLAN, [at(d) for d in range(6, 16)])]


def test_decide_refuses_a_naive_moment():
    with pytest.raises(ValueError, match="timezone-aware"):
        decide_at(PLAN, at(6).replace(tzinfo=None))


def test_the_default_ladder_follows_the_plans_warning_days():
    plan = ladder_plan([deliverable("report", "vp", due={"before": "2023-03-09"})], warning_days=5)
    assert rules(decide_at(plan, at(3))) == [Rule.REMINDER]  # 4/3 is a Saturday
    assert decide_at(plan, at(2)) == []


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        ({}, DEFAULT_LADDER),
        ({"reminder": 5}, Ladder(reminder_days=5)),
        ({"final_reminder": False}, Ladder(off=frozenset({Rule.FINAL_REMINDER}))),
        ({"overdue_repeat": 3}, Ladder(repeat_days=3)),
        (
            {"escalation": 4, "receipt": False},
            Ladder(escalation_days=4, off=frozenset({Rule.RECEIPT})),
        ),
        (
            {"days_off": [date(2023, 3, 10), "2023-03-11"]},
            Ladder(days_off=frozenset({date(2023, 3, 10), date(2023, 3, 11)})),
        ),
    ],
)
def test_a_plan_ladder_overrides_the_defaults(mapping, expected):
    assert ladder_from(mapping) == expected


def ladder_from(mapping: dict) -> Ladder:
    """The ladder of a plan whose `ladder:` is `mapping` (validated as the loader does)."""
    return Ladder.from_spec(LadderSpec.model_validate(mapping))


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"reminders": 3}, "ladder.reminders: không có mục 'reminders'"),
        ({"reminder": -1}, "ladder.reminder: ghi số ngày từ 0 đến 60"),
        ({"reminder": "3"}, "ladder.reminder: ghi số ngày"),
        ({"at_risk": 1}, "ladder.at_risk: phải là true hoặc false"),
        ({"office_hours": "7h30"}, "ladder.office_hours: ghi theo dạng HH:MM-HH:MM"),
        ({"office_hours": "17:00-07:30"}, "giờ bắt đầu làm việc phải trước giờ kết thúc"),
        ({"days_off": "2023-03-10"}, "ladder.days_off: phải là một danh sách"),
        ({"days_off": ["10/03/2023"]}, "ladder.days_off[0]"),
    ],
)
def test_a_wrong_ladder_setting_is_refused_with_its_name(mapping, message):
    text = plan_text([deliverable("report", due={"before": "2023-03-09"})], ladder=mapping)
    with pytest.raises(PlanError) as caught:
        read_plan_text(text, "bad.yaml")
    assert any(message in p.render() for p in caught.value.problems), caught.value.problems


def by_ref(plan, as_of, submissions=()):
    return {s.ref: s for s in statuses_at(plan, as_of, submissions)}


@pytest.mark.parametrize(
    ("key", "as_of", "submitted", "expected"),
    [
        ("p:reminder:report:vp:20230309T0000", at(8), False, ""),
        ("p:reminder:report:vp:20230309T0000", at(9), False, "đã quá hạn nộp"),
        (
            "p:final_reminder:report:vp:20230309T0000",
            at(8),
            True,
            "phân công đã có kết quả: Hoàn thành đúng hạn",
        ),
        ("p:overdue:report:vp:20230309T0000", at(10), False, ""),
        (
            "p:overdue:report:vp:20230309T0000",
            at(10),
            True,
            "phân công đã có kết quả: Hoàn thành đúng hạn",
        ),
        ("p:reminder:report:vp:20230310T0000", at(8), False, "hạn nộp đã thay đổi"),
        (
            "p:reminder:gone:vp:20230309T0000",
            at(8),
            False,
            "phân công không còn trong kế hoạch",
        ),
        ("p:receipt:report:vp:20230307T100000", at(8), True, ""),
        ("p:escalation:digest:20230313", at(13), True, ""),
    ],
)
def test_a_pending_message_is_superseded_when_its_assignment_no_longer_calls_for_it(
    key, as_of, submitted, expected
):
    submissions = [received("report", "vp", at(7, 10))] if submitted else []
    assert superseded(key, by_ref(PLAN, as_of, submissions), PLAN.tz) == expected


def test_a_pending_at_risk_notice_is_superseded_once_the_risk_is_gone():
    plan = ladder_plan(CHAIN)
    key = "p:at_risk:summary:vp:20230315T0000"
    assert superseded(key, by_ref(plan, at(9)), plan.tz) == ""
    done = [received("invite", "vp", at(2))] + [
        received("report", u, at(9, 10), i) for i, u in enumerate(["d1", "d2", "d3"], 2)
    ]
    assert superseded(key, by_ref(plan, at(10), done), plan.tz) == "không còn nguy cơ chậm"


def test_pending_lower_steps_collapse_into_the_highest_pending_step():
    keys = [
        "p:reminder:report:d1:20230309T0000",
        "p:final_reminder:report:d1:20230309T0000",
        "p:reminder:report:d2:20230309T0000",
        "p:overdue_repeat:report:d3:20230309T0000-9",
        "p:overdue_repeat:report:d3:20230309T0000-10",
        "p:receipt:report:d1:20230307T100000",
    ]
    assert collapse(keys) == {
        "p:reminder:report:d1:20230309T0000": "đã có thư thay thế: Nhắc lần cuối",
        "p:overdue_repeat:report:d3:20230309T0000-9": "đã có thư thay thế: Nhắc lại quá hạn",
    }


def test_the_sent_log_knows_thread_roots_and_the_last_digest():
    log = SentLog.from_entries(
        [
            ("p:reminder:report:d1:20230309T0000", at(6)),
            ("p:escalation:digest:20230313", at(13)),
            ("p:overdue:report:d1:20230309T0000", at(9)),
            ("p:escalation:digest:20230316", at(16)),
        ]
    )
    assert log.thread_root("report", "d1") == "p:reminder:report:d1:20230309T0000"
    assert (log.last_digest, log.first_digest) == (at(16), "p:escalation:digest:20230313")
    assert "p:overdue:report:d1:20230309T0000" in log and len(log) == 4
    assert parse_key("p:escalation:digest:20230313").deliverable is None
    assert AssignmentRef("report", "d1") == ("report", "d1")
