"""The answer to a unit's request for more time: one e-mail a request, whatever happens next."""

from __future__ import annotations

from models.evaluate import evaluate
from models.plan import AssignmentRef
from models.submissions import Submission, SubmissionKind
from notifications.ladder import extension_answer_for, superseded
from notifications.rules import Rule
from notifications.sent_log import SentLog
from tests.builders import at
from tests.notifications.test_render import PLAN

ASKED, ANSWERED = at(7, 9), at(7, 15)
REQUEST = Submission(
    1, "report", "d2", SubmissionKind.EXTENSION_REQUESTED, ASKED, ASKED, "d2 (trang cá nhân)",
    "chờ số liệu", data={"due": "20/03/2023"},
)  # fmt: skip
REFUSAL = Submission(
    2, "report", "d2", SubmissionKind.EXTENSION_REFUSED, ANSWERED, ANSWERED, "vptu", "không",
    undoes=1,
)  # fmt: skip


def answer_at(sent: SentLog | None = None):
    sent = sent or SentLog()
    statuses = evaluate(PLAN, [REQUEST, REFUSAL], ANSWERED)
    return extension_answer_for(PLAN, statuses, sent, REQUEST, REFUSAL, ANSWERED)


def test_the_answer_is_keyed_by_the_request_so_a_second_one_is_not_decided():
    message = answer_at()
    assert message is not None and message.rule is Rule.EXTENSION_REFUSED
    assert message.key == "p:extension_refused:report:d2:20230307T093000"
    assert (message.reason, message.asked_at) == ("không", ASKED)
    assert answer_at(SentLog({message.key: ANSWERED})) is None


def test_a_pending_answer_still_goes_once_the_work_is_delivered_or_the_deadline_moves():
    key = "p:extension_granted:report:d2:20230307T093000"
    delivered = Submission(3, "report", "d2", SubmissionKind.RECEIVED, at(8, 9), at(8, 9))
    statuses = {s.ref: s for s in evaluate(PLAN, [REQUEST, delivered], at(8, 10))}
    assert statuses[AssignmentRef("report", "d2")].status.is_done
    assert superseded(key, statuses, PLAN.tz) == ""
