"""The ladder after a review: the unit hears the reason of a return once, a returned assignment
is chased like an unsubmitted one, and an arrival waiting for review is not chased at all."""

from __future__ import annotations

from models.submissions import Submission, SubmissionKind
from notifications.ladder import Rule, superseded
from notifications.messages import parse_key
from notifications.render import render
from tests.builders import HCM, at, deliverable, ladder_plan
from tests.notifications.ladder_runs import replay, statuses_at

# "trước ngày 09/03/2023" (Thu): reminder Mon 06/3, final Wed 08/3, overdue Thu 09/3.
REPORT = deliverable("report", "vp", to="vp", due={"before": "2023-03-09"})
PLAN = ladder_plan([REPORT])
ON_ACCEPTANCE = ladder_plan([REPORT], review="on_acceptance")
DAYS = [at(d) for d in range(1, 21)]
REASON = "thiếu số liệu đại biểu, yêu cầu bổ sung"


def row(kind, when, id, undoes=None, note=""):
    return Submission(id, "report", "vp", kind, when, when, "vptu", note, undoes=undoes)


ARRIVED = row(SubmissionKind.RECEIVED, at(7, 9), 1)
RETURNED = row(SubmissionKind.RETURNED, at(10, 10), 2, undoes=1, note=REASON)


def steps(decided):
    return [(a.day, m.rule) for a, m in decided if m.unit]


def test_a_return_tells_the_unit_once_then_the_overdue_notices_follow():
    decided = replay(PLAN, DAYS, [ARRIVED, RETURNED])
    assert steps(decided) == [
        (6, Rule.REMINDER),
        (8, Rule.RECEIPT),  # arrived Tue 07/3 09:00: the final reminder was not needed
        (13, Rule.RETURNED),  # returned Fri 10/3 10:30, told at the next run (Mon, 07:30)
        (13, Rule.OVERDUE),  # open again, and the deadline has passed
        (15, Rule.OVERDUE_REPEAT),
        (17, Rule.OVERDUE_REPEAT),
        (20, Rule.OVERDUE_REPEAT),
    ]
    returns = [m for _, m in decided if m.rule is Rule.RETURNED]
    assert len(returns) == 1
    assert parse_key(returns[0].key).occurrence == "20230310T103000"
    assert returns[0].to == ("vp@x.example",)  # the unit's working address
    mail = render(returns[0], PLAN)
    assert "[Trả lại, yêu cầu bổ sung]" in mail.subject
    assert f"Lý do: {REASON}" in mail.text and "10:30 ngày 10/03/2023" in mail.text
    assert "đã quá hạn 5 ngày" in mail.text


def test_an_arrival_waiting_for_review_is_not_chased_but_gets_its_receipt():
    decided = steps(replay(ON_ACCEPTANCE, DAYS, [ARRIVED]))
    # no final reminder, no overdue notice; the receipt says the report waits for review
    assert decided == [(6, Rule.REMINDER), (8, Rule.RECEIPT)]


def test_an_accepted_arrival_is_not_confirmed_a_second_time():
    accepted = row(SubmissionKind.ACCEPTED, at(9, 15), 2, undoes=1)
    decided = steps(replay(ON_ACCEPTANCE, DAYS, [ARRIVED, accepted]))
    assert decided == [(6, Rule.REMINDER), (8, Rule.RECEIPT)]


def test_the_receipt_of_an_arrival_in_review_says_it_is_not_done_yet():
    on_time = [m for _, m in replay(ON_ACCEPTANCE, DAYS, [ARRIVED]) if m.rule is Rule.RECEIPT]
    mail = render(on_time[0], ON_ACCEPTANCE)
    assert "[Đã nhận, chờ xem xét]" in mail.subject
    for body in (mail.text, " ".join(mail.html.split())):
        assert "chờ xem xét (nộp đúng hạn)" in body
        assert "được tính là hoàn thành khi kết quả được chấp nhận" in body
    late = row(SubmissionKind.RECEIVED, at(10, 9), 1)
    after = [m for _, m in replay(ON_ACCEPTANCE, DAYS, [late]) if m.rule is Rule.RECEIPT]
    assert "chờ xem xét (nộp sau hạn 2 ngày)" in render(after[0], ON_ACCEPTANCE).text
    done = [m for _, m in replay(PLAN, DAYS, [ARRIVED]) if m.rule is Rule.RECEIPT]
    plain = render(done[0], PLAN)
    assert "[Xác nhận đã nhận]" in plain.subject and "Tình trạng: đúng hạn" in plain.text
    assert "chờ xem xét" not in plain.text


def test_a_pending_return_mail_is_superseded_once_the_return_is_undone():
    undone = row(SubmissionKind.UNDO, at(10, 11), 3, undoes=2)
    key = "p:returned:report:vp:20230310T103000"
    still = {s.ref: s for s in statuses_at(PLAN, at(10, 10, 30), [ARRIVED, RETURNED])}
    gone = {s.ref: s for s in statuses_at(PLAN, at(10, 12), [ARRIVED, RETURNED, undone])}
    assert superseded(key, still, HCM) == ""
    assert "không còn bị trả lại" in superseded(key, gone, HCM)
    reminder = "p:final_reminder:report:vp:20230309T0000"
    in_review = {s.ref: s for s in statuses_at(ON_ACCEPTANCE, at(8, 9), [ARRIVED])}
    assert superseded(reminder, in_review, HCM) == "phân công đã có kết quả: Chờ duyệt"
