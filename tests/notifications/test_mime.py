"""MIME: parts, UTF-8, deterministic Message-ID and bytes, threading headers, the .ics."""

from __future__ import annotations

from email import message_from_bytes, policy
from typing import Any

import pytest

from models.storage.tables import NotificationRow
from notifications.ics import fold
from notifications.ladder import Rule
from notifications.mime import letter, sender_address
from notifications.outbox import compose_legacy, outgoing_of, row_fields
from tests.builders import REPORT, at, ladder_plan
from tests.notifications.ladder_runs import replay

PLAN = ladder_plan([REPORT], title="Gặp mặt cán bộ chủ chốt cơ sở năm 2023")
FROM = "Văn phòng Tỉnh ủy <vptu@hatinh.example>"
DECIDED = [m for _, m in replay(PLAN, [at(d) for d in range(6, 14)]) if m.unit in ("d1", None)]


def row_of(message, plan=PLAN, mail_from=FROM) -> NotificationRow:
    """The outbox row of a decided message, its e-mail composed as enqueue composes it."""
    fields: dict[str, Any] = row_fields(1, letter(message, plan, mail_from))  # the row's columns
    return NotificationRow(**fields)


def parsed(message, mail_from=FROM):
    outgoing = outgoing_of(row_of(message, mail_from=mail_from), mail_from)
    return outgoing, message_from_bytes(outgoing.data, policy=policy.default)


def by_rule(rule: Rule):
    return next(m for m in DECIDED if m.rule is rule)


def test_a_reminder_is_mixed_alternative_text_html_plus_a_calendar():
    _, mail = parsed(by_rule(Rule.REMINDER))
    structure = [part.get_content_type() for part in mail.walk()]
    assert structure == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    assert {part.get_content_charset() for part in mail.walk() if not part.is_multipart()} == {
        "utf-8"
    }
    assert "Kính gửi: Huyện d1" in mail.get_body(("plain",)).get_content()
    assert "Kính gửi:</strong> Huyện d1" in mail.get_body(("html",)).get_content()


def test_a_notice_without_calendar_is_just_the_alternative():
    _, mail = parsed(by_rule(Rule.OVERDUE))
    assert [p.get_content_type() for p in mail.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]


def test_headers_carry_vietnamese_encoded_and_the_envelope_matches_to_and_cc():
    outgoing, mail = parsed(by_rule(Rule.OVERDUE))
    assert mail["Subject"] == "[Quá hạn 1 ngày] Nhiệm vụ report — Huyện d1"
    assert mail["From"] == FROM
    assert (mail["To"], mail["Cc"]) == ("bt.d1@x.example", "d1@x.example, vp@x.example")
    assert mail["Reply-To"] == "vp@x.example"
    assert mail["Date"] == "Thu, 09 Mar 2023 07:30:00 +0700"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert outgoing.sender == "vptu@hatinh.example"
    assert outgoing.recipients == ("bt.d1@x.example", "d1@x.example", "vp@x.example")
    assert all(byte < 128 for byte in outgoing.data)  # 7-bit clean on the wire
    assert b"\r\n" in outgoing.data and b"\n" not in outgoing.data.replace(b"\r\n", b"")


def test_the_message_id_comes_from_the_key_and_a_resend_is_byte_identical():
    message = by_rule(Rule.OVERDUE)
    first, mail = parsed(message)
    again, _ = parsed(message)
    assert first.data == again.data
    assert mail["Message-ID"] == "<p.overdue.report.d1.20230309T0000@hatinh.example>"


def test_the_row_keeps_the_composed_email_its_message_id_and_its_envelope():
    row = row_of(by_rule(Rule.OVERDUE))
    outgoing = outgoing_of(row, FROM)
    assert outgoing.data == row.eml
    assert row.message_id == "<p.overdue.report.d1.20230309T0000@hatinh.example>"
    assert (row.mail_to, row.mail_cc) == (["bt.d1@x.example"], ["d1@x.example", "vp@x.example"])
    assert (row.occurrence, row.thread_key) == ("20230309T0000", by_rule(Rule.REMINDER).key)


def test_a_row_from_before_0002_gets_the_same_email_composed_at_its_first_delivery():
    for message in DECIDED:
        fresh = row_of(message)
        legacy = NotificationRow(**{**fresh.model_dump(), "eml": None, "message_id": None})
        compose_legacy(legacy, PLAN, FROM)
        assert (legacy.eml, legacy.message_id) == (fresh.eml, fresh.message_id)


def test_later_messages_reply_to_the_first_message_about_the_assignment():
    _, reminder = parsed(by_rule(Rule.REMINDER))
    _, overdue = parsed(by_rule(Rule.OVERDUE))
    assert reminder["In-Reply-To"] is None and reminder["References"] is None
    assert overdue["In-Reply-To"] == reminder["Message-ID"]
    assert overdue["References"] == reminder["Message-ID"]


def test_the_calendar_holds_the_last_day_before_a_midnight_deadline():
    _, mail = parsed(by_rule(Rule.REMINDER))
    calendar = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_filename() == "han-nop.ics"
    assert calendar.get_param("method") == "PUBLISH"
    text = calendar.get_content()
    unfolded = text.replace("\r\n ", "")
    for line in [
        "BEGIN:VCALENDAR",
        "METHOD:PUBLISH",
        "UID:p:reminder:report:d1:20230309T0000",
        "DTSTAMP:20230306T003000Z",
        "DTSTART;VALUE=DATE:20230308",
        "DTEND;VALUE=DATE:20230309",
        "SUMMARY:Hạn: Nhiệm vụ report — Huyện d1",
        "END:VCALENDAR",
    ]:
        assert line + "\r\n" in unfolded
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_a_timed_deadline_is_a_half_hour_event_ending_at_it():
    from tests.builders import deliverable

    plan = ladder_plan([deliverable("report", "d1", due={"at": "2023-03-09T17:00:00"})])
    message = next(m for _, m in replay(plan, [at(6)]))
    mail = message_from_bytes(outgoing_of(row_of(message, plan), FROM).data, policy=policy.default)
    text = next(p for p in mail.walk() if p.get_content_type() == "text/calendar").get_content()
    assert "DTSTART:20230309T093000Z\r\nDTEND:20230309T100000Z\r\n" in text


def test_folding_never_splits_a_vietnamese_character():
    folded = fold("SUMMARY:" + "Hạn nộp báo cáo tổng hợp " * 8)
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "Hạn nộp báo cáo tổng hợp " * 8


def test_a_from_without_display_name_takes_the_coordinators_name():
    _, mail = parsed(by_rule(Rule.OVERDUE), mail_from="dondoc@hatinh.example")
    assert mail["From"] == "Văn phòng <dondoc@hatinh.example>"


@pytest.mark.parametrize("bad", ["", "a, b@x.example", "no-at-sign", "x@y.example, z@y.example"])
def test_a_from_setting_must_be_one_address(bad):
    with pytest.raises(ValueError, match="not one e-mail address"):
        sender_address(bad)


def test_crlf_in_plan_text_cannot_inject_headers():
    from tests.notifications.test_render import HOSTILE_PLAN

    message = next(m for _, m in replay(HOSTILE_PLAN, [at(6)]))
    data = outgoing_of(row_of(message, HOSTILE_PLAN), FROM).data
    mail = message_from_bytes(data, policy=policy.default)
    assert mail["Bcc"] is None
    assert mail["Subject"].endswith("Huyện Bcc: evil@x.example {{ 7*7 }}")
    assert mail["To"] == "d1@x.example"
