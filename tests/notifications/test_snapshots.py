"""The rendered e-mail of every rule, compared with a reviewed copy (tests/notifications/snapshots).

A change to a template shows up here as a diff to read. After reading it, refresh the copies
with `DONDOC_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/notifications/test_snapshots.py`.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from models.submissions import Submission, SubmissionKind
from notifications.ladder import Rule
from notifications.render import render
from tests.builders import at, received
from tests.notifications.test_render import DAYS, PLAN, first

SNAPSHOTS = Path(__file__).with_name("snapshots")


def check(name: str, rendered: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("DONDOC_UPDATE_SNAPSHOTS") == "1":
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no reviewed copy of {name}: render it, read it, then update"
    assert rendered == path.read_text(encoding="utf-8"), f"{name} changed: read the diff"


# Rules a run decides alone; a receipt, a return and an answer to a request have their own test.
OWN_TEST = (Rule.RECEIPT, Rule.RETURNED, Rule.EXTENSION_GRANTED, Rule.EXTENSION_REFUSED)


@pytest.mark.parametrize("rule", [r for r in Rule if r not in OWN_TEST])
def test_each_rule_renders_as_reviewed(rule: Rule) -> None:
    mail = render(first(rule, DAYS), PLAN)
    check(f"{rule.value}.html", mail.html)
    check(f"{rule.value}.txt", f"{mail.subject}\n\n{mail.text}")


def test_the_receipt_renders_as_reviewed() -> None:
    mail = render(first(Rule.RECEIPT, DAYS, [received("report", "d2", at(7, 9))]), PLAN)
    check("receipt.html", mail.html)
    check("receipt.txt", f"{mail.subject}\n\n{mail.text}")


def test_the_return_renders_as_reviewed_with_the_reason_and_the_units_link() -> None:
    history = [received("report", "d2", at(7, 9)), returned("report", "d2", at(8, 10))]
    mail = render(first(Rule.RETURNED, DAYS, history), PLAN, LINK)
    assert "Lý do: thiếu số liệu, yêu cầu bổ sung" in mail.text and LINK in mail.text
    check("returned.html", mail.html)
    check("returned.txt", f"{mail.subject}\n\n{mail.text}")


def returned(deliverable: str, unit: str, when: datetime, receipt: int = 1) -> Submission:
    kind = SubmissionKind.RETURNED
    reason = "thiếu số liệu, yêu cầu bổ sung"
    return Submission(2, deliverable, unit, kind, when, when, "vptu", reason, undoes=receipt)


LINK = "http://vptu.example:8765/n/WyJnYXAtbWF0LTIwMjMiXQ.ZAVnMA.c2lnbmF0dXJl"


@pytest.mark.parametrize("rule", [Rule.REMINDER, Rule.OVERDUE])
def test_a_message_with_the_units_personal_link_renders_as_reviewed(rule: Rule) -> None:
    mail = render(first(rule, DAYS), PLAN, LINK)
    assert mail.text.count(LINK) == 1 and mail.html.count(LINK) == 2  # the button and the text
    check(f"{rule.value}_link.html", mail.html)
    check(f"{rule.value}_link.txt", f"{mail.subject}\n\n{mail.text}")


@pytest.mark.parametrize("granted", [True, False], ids=["granted", "refused"])
def test_the_answer_to_a_request_for_more_time_renders_as_reviewed(granted: bool) -> None:
    from models.evaluate import evaluate
    from notifications.ladder import extension_answer_for
    from notifications.sent_log import SentLog

    asked_at, answered_at = at(7, 9), at(7, 15)
    request = Submission(
        1, "report", "d2", SubmissionKind.EXTENSION_REQUESTED, asked_at, asked_at,
        "d2 (trang cá nhân)", "chờ số liệu của các xã", data={"due": "20/03/2023"},
    )  # fmt: skip
    if granted:
        answer = Submission(
            2, "report", "d2", SubmissionKind.EXTENDED, answered_at, answered_at, "vptu",
            "đồng ý theo đề nghị", data={"due_kind": "by", "due": "2023-03-20"},
        )  # fmt: skip
    else:
        answer = Submission(
            2, "report", "d2", SubmissionKind.EXTENSION_REFUSED, answered_at, answered_at,
            "vptu", "hạn đã được lãnh đạo chốt", undoes=1,
        )  # fmt: skip
    statuses = evaluate(PLAN, [request, answer], answered_at)
    message = extension_answer_for(PLAN, statuses, SentLog(), request, answer, answered_at)
    assert message is not None and message.to == ("d2@x.example",)
    mail = render(message, PLAN, LINK)
    said = "gia hạn đến 20/03/2023" if granted else "Lý do: hạn đã được lãnh đạo chốt"
    assert said in mail.text and LINK in mail.text
    name = message.rule.value
    check(f"{name}.html", mail.html)
    check(f"{name}.txt", f"{mail.subject}\n\n{mail.text}")
