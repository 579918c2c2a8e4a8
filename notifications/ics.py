"""The deadline of an assignment as an iCalendar (.ics) event, attached to reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from models.deadlines import Deadline

LINE_OCTETS = 75  # RFC 5545 §3.1: fold longer content lines
TIMED_EVENT = timedelta(minutes=30)


@dataclass(frozen=True)
class DeadlineEvent:
    uid: str
    summary: str
    description: str
    deadline: Deadline
    stamp: datetime  # when the message was decided: keeps the file identical on a resend


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11); line breaks become \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into ≤ 75-octet pieces, never inside a UTF-8 character."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > LINE_OCTETS:
            pieces.append(current)
            current, size = " ", 1
        current, size = current + char, size + width
    pieces.append(current)
    return "\r\n".join(pieces)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(deadline: Deadline) -> list[str]:
    """A deadline at midnight is the whole last day before it; any other is a half hour
    ending at the deadline."""
    due = deadline.due_at
    if due.timetz().replace(tzinfo=None) == time(0):
        last_day = (due - timedelta(days=1)).date()
        return [
            f"DTSTART;VALUE=DATE:{last_day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{due.date():%Y%m%d}",
        ]
    return [f"DTSTART:{_utc(due - TIMED_EVENT)}", f"DTEND:{_utc(due)}"]


def calendar_text(event: DeadlineEvent) -> str:
    """A VCALENDAR with one VEVENT, CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//dondoc//notifications//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{escape(event.uid)}",
        f"DTSTAMP:{_utc(event.stamp)}",
        *_when(event.deadline),
        f"SUMMARY:{escape(event.summary)}",
        f"DESCRIPTION:{escape(event.description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
