"""The ladder after an extension (gia hạn): reminders follow the new date, each once, and no
overdue notice goes out for a deadline that no longer stands."""

from __future__ import annotations

from models.submissions import Submission, SubmissionKind
from notifications.ladder import Rule, superseded
from notifications.messages import parse_key
from tests.builders import HCM, at, deliverable, ladder_plan
from tests.notifications.ladder_runs import replay, statuses_at

# "trước ngày 09/03/2023" (Thu): reminder Mon 06/3, final Wed 08/3, overdue Thu 09/3.
PLAN = ladder_plan([deliverable("report", "vp", to="vp", due={"before": "2023-03-09"})])
UNTIL_15 = {"due_kind": "by", "due": "2023-03-15"}  # late from Thu 16/3 00:00
DAYS = [at(d) for d in range(1, 21)]


def extension(granted) -> Submission:
    return Submission(
        1, "report", "vp", SubmissionKind.EXTENDED, granted, granted, "vptu", "ốm", data=UNTIL_15
    )


def steps(decided):
    return [(a.day, m.rule, parse_key(m.key).occurrence) for a, m in decided if m.unit]


def test_reminders_follow_the_new_date_and_the_old_overdue_notice_never_goes():
    decided = steps(replay(PLAN, DAYS, [extension(at(8, 10))]))
    assert decided[:5] == [
        (6, Rule.REMINDER, "20230309T0000"),
        (8, Rule.FINAL_REMINDER, "20230309T0000"),  # sent at 07:30, before the 10:00 grant
        (13, Rule.REMINDER, "20230316T0000"),  # a new deadline: reminded once more
        (15, Rule.FINAL_REMINDER, "20230316T0000"),
        (16, Rule.OVERDUE, "20230316T0000"),
    ]
    assert all(o.startswith("20230316T0000") for day, _, o in decided if day > 8)


def test_an_extension_granted_while_overdue_stops_the_repeats_until_the_new_date():
    decided = steps(replay(PLAN, DAYS, [extension(at(10, 9))]))
    assert decided[:5] == [
        (6, Rule.REMINDER, "20230309T0000"),
        (8, Rule.FINAL_REMINDER, "20230309T0000"),
        (9, Rule.OVERDUE, "20230309T0000"),
        (13, Rule.REMINDER, "20230316T0000"),  # no repeat of the old notice on 13/3
        (15, Rule.FINAL_REMINDER, "20230316T0000"),
    ]


def test_a_message_still_pending_for_the_old_date_is_superseded_once_extended():
    statuses = {s.ref: s for s in statuses_at(PLAN, at(9, 9), [extension(at(8, 10))])}
    key = "p:overdue:report:vp:20230309T0000"
    assert superseded(key, statuses, HCM) == "hạn nộp đã thay đổi"
    assert superseded("p:reminder:report:vp:20230316T0000", statuses, HCM) == ""
