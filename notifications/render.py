"""Messages as e-mails: Vietnamese subjects and bodies (Jinja2) and the MIME around them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.header import Header
from email.headerregistry import Address
from email.message import Message as MimeMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, getaddresses
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from models.deadlines import Deadline
from models.plan import Plan
from notifications.ics import DeadlineEvent, calendar_text
from notifications.messages import LateLine, Message, message_id
from notifications.rules import Rule

TEMPLATES = Path(__file__).with_name("templates")
TITLE_IN_SUBJECT = 40  # characters of a deliverable's title kept in a subject
NO_COORDINATOR = "Bộ phận theo dõi kế hoạch"
WHITESPACE = re.compile(r"\s+")  # \r, \n, \t, \v, \f, \x1c-\x1f, \x85, \u2028, \u2029 …
TEMPLATE_OF: dict[Rule, str] = {
    Rule.REMINDER: "reminder",
    Rule.FINAL_REMINDER: "reminder",
    Rule.OVERDUE: "overdue",
    Rule.OVERDUE_REPEAT: "overdue",
    Rule.ESCALATION: "escalation",
    Rule.AT_RISK: "at_risk",
    Rule.RECEIPT: "receipt",
}
CALENDAR_RULES = frozenset({Rule.REMINDER, Rule.FINAL_REMINDER})


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def one_line(text: str) -> str:
    """Any run of whitespace (line breaks included) as one space: safe in a header."""
    return WHITESPACE.sub(" ", text).strip()


def shorten(text: str, limit: int = TITLE_IN_SUBJECT) -> str:
    """At most `limit` characters, cut at a word and ended with … when cut."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.-–—") + "…"


def deadline_text(deadline: Deadline | None) -> str:
    """The plan's own wording (`trước ngày 09/03/2023`), saying so when it was inferred."""
    if deadline is None:
        return "không có hạn"
    if not deadline.inferred:
        return deadline.label()
    written = replace(deadline, inferred=False).label()
    return f"{written} (kế hoạch không ghi hạn; xác định theo nhiệm vụ tiếp nối)"


def moment_text(moment: datetime, plan: Plan) -> str:
    """`07:30 ngày 13/03/2023`, plan-local."""
    local = moment.astimezone(plan.tz)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def days_left(deadline: Deadline, as_of: datetime, plan: Plan) -> int:
    """Calendar days left to act, today included: 3 on 06/3 for "trước ngày 09/03/2023"."""
    last = (deadline.due_at - timedelta(microseconds=1)).astimezone(plan.tz).date()
    return max(0, (last - as_of.astimezone(plan.tz).date()).days + 1)


def subject(message: Message, plan: Plan) -> str:
    """Short and scannable: `[Quá hạn 2 ngày] Báo cáo khó khăn, vướng mắc… — Huyện ủy Hương Khê`."""
    if message.rule is Rule.ESCALATION:
        count = len(message.lines)
        return one_line(f"[Báo cáo lãnh đạo] {count} nhiệm vụ quá hạn — {plan.title}")
    tag = {
        Rule.REMINDER: "Nhắc việc",
        Rule.FINAL_REMINDER: "Nhắc lần cuối",
        Rule.OVERDUE: f"Quá hạn {message.days_late} ngày",
        Rule.OVERDUE_REPEAT: f"Quá hạn {message.days_late} ngày – nhắc lại",
        Rule.AT_RISK: "Cảnh báo nguy cơ",
        Rule.RECEIPT: "Xác nhận đã nhận",
    }[message.rule]
    title = plan.deliverables[message.deliverable or ""].title
    return one_line(f"[{tag}] {shorten(title)} — {plan.unit_name(message.unit or '')}")


@cache
def environment() -> Environment:
    """HTML templates autoescaped, text ones not; any missing variable is an error."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(message: Message, plan: Plan) -> Rendered:
    """Subject, plain text and HTML of a message, in formal Vietnamese."""
    context = _context(message, plan)
    name = TEMPLATE_OF[message.rule]
    text = environment().get_template(f"{name}.txt.j2").render(context)
    html = environment().get_template(f"{name}.html.j2").render(context)
    return Rendered(subject(message, plan), text, html)


def _context(message: Message, plan: Plan) -> dict[str, Any]:
    coordinator = plan.units.get(plan.coordinator or "")
    context: dict[str, Any] = {
        "rule": message.rule.value,
        "plan_title": one_line(plan.title),
        "sender": one_line(coordinator.name) if coordinator else NO_COORDINATOR,
        "contact_email": (coordinator.email or coordinator.head_email or "") if coordinator else "",
        "addressee": _addressee(message, plan),
        "now": moment_text(message.decided_at, plan),
        "key": message.key,
        "repeat": message.repeat,
        "days_late": message.days_late or 0,
    }
    if message.rule is Rule.ESCALATION:
        context["groups"] = _groups(message.lines, plan)
        context["count"] = len(message.lines)
        return context
    context.update(_assignment_facts(message, plan))
    context["blockers"] = [_line(line, plan) for line in message.lines]
    return context


def _addressee(message: Message, plan: Plan) -> str:
    if message.rule is Rule.ESCALATION:
        names = [one_line(plan.unit_name(code)) for code in plan.leaders]
        return ", ".join(names) or "Lãnh đạo"
    unit = one_line(plan.unit_name(message.unit or ""))
    return f"Lãnh đạo {unit}" if message.rule in (Rule.OVERDUE, Rule.OVERDUE_REPEAT) else unit


def _assignment_facts(message: Message, plan: Plan) -> dict[str, Any]:
    deliverable = plan.deliverables[message.deliverable or ""]
    deadline = message.deadline
    received = message.submitted_at
    return {
        "unit": one_line(plan.unit_name(message.unit or "")),
        "title": one_line(deliverable.title),
        "quote": one_line(deliverable.quote),
        "to": one_line(plan.unit_name(deliverable.to)) if deliverable.to else "",
        "deadline": deadline_text(deadline),
        "days_left": days_left(deadline, message.decided_at, plan) if deadline else 0,
        "received": moment_text(received, plan) if received else "",
    }


def _line(line: LateLine, plan: Plan) -> dict[str, Any]:
    deliverable = plan.deliverables[line.deliverable]
    deadline = deliverable.deadline
    return {
        "title": one_line(deliverable.title),
        "unit": one_line(plan.unit_name(line.unit)),
        "deadline": deadline_text(deadline),
        "days_late": line.days_late,
        "new": line.new,
    }


def _groups(lines: tuple[LateLine, ...], plan: Plan) -> list[dict[str, Any]]:
    """Lines grouped by deliverable, in the order given (the plan's)."""
    groups: dict[str, dict[str, Any]] = {}
    for line in lines:
        facts = _line(line, plan)
        group = groups.setdefault(
            line.deliverable,
            {"title": facts["title"], "deadline": facts["deadline"], "units": []},
        )
        group["units"].append(facts)
    return list(groups.values())


@dataclass(frozen=True)
class Mail:
    """Everything an e-mail is made of; `compose` turns it into the same bytes every time."""

    key: str
    sender: str  # a From header value: "Name <address>" or "address"
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    text: str
    html: str
    date: datetime
    domain: str  # of the Message-IDs
    thread: str | None = None  # key of the first message of the thread
    reply_to: tuple[str, ...] = ()
    calendar: DeadlineEvent | None = None

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.to, *self.cc)))


@cache
def sender_address(sender: str) -> Address:
    """The From address of a settings value like `Văn phòng <vp@x.example>` (CR/LF refused)."""
    found = getaddresses([one_line(sender)])
    if len(found) != 1 or "@" not in found[0][1]:
        raise ValueError(f"not one e-mail address: {sender!r}")
    name, address = found[0]
    user, _, domain = address.rpartition("@")
    return Address(display_name=name, username=user, domain=domain)


def _text_part(body: str, subtype: str) -> MIMEText:
    """UTF-8, base64, CRLF line ends (the canonical form of text parts)."""
    part = MIMEText(body.replace("\r\n", "\n").replace("\n", "\r\n"), subtype, "utf-8")
    del part["MIME-Version"]  # only the top level carries it
    return part


def compose(mail: Mail) -> MimeMessage:
    """multipart/alternative (text, HTML), inside multipart/mixed with the .ics when there
    is one; UTF-8; deterministic Message-ID, Date and boundaries; threaded by key.

    Built with the compat32 classes: a tenth of the cost of EmailMessage's header parsing,
    which matters at hundreds of messages a second."""
    seed = hashlib.sha256(mail.key.encode()).hexdigest()[:24]  # boundaries: a resend is identical
    top = alternative = MIMEMultipart("alternative", boundary=f"=_dondoc_{seed}_1")
    alternative.attach(_text_part(mail.text, "plain"))
    alternative.attach(_text_part(mail.html, "html"))
    if mail.calendar is not None:
        top = MIMEMultipart("mixed", boundary=f"=_dondoc_{seed}_0")
        del alternative["MIME-Version"]
        top.attach(alternative)
        calendar = _text_part(calendar_text(mail.calendar), "calendar")
        calendar.set_param("method", "PUBLISH")
        calendar.add_header("Content-Disposition", "attachment", filename="han-nop.ics")
        top.attach(calendar)
    for name, value in _headers(mail):
        top[name] = value
    return top


def _headers(mail: Mail) -> list[tuple[str, str | Header]]:
    sender = sender_address(mail.sender)
    headers: list[tuple[str, str | Header]] = [
        ("Message-ID", message_id(mail.key, mail.domain)),
        ("Date", format_datetime(mail.date)),
        ("From", formataddr((sender.display_name, sender.addr_spec), "utf-8")),
        ("To", ", ".join(mail.to)),
    ]
    if mail.cc:
        headers.append(("Cc", ", ".join(mail.cc)))
    if mail.reply_to:
        headers.append(("Reply-To", ", ".join(mail.reply_to)))
    headers.append(("Subject", Header(one_line(mail.subject), "utf-8")))
    if mail.thread and mail.thread != mail.key:
        headers.append(("In-Reply-To", message_id(mail.thread, mail.domain)))
        headers.append(("References", message_id(mail.thread, mail.domain)))
    headers.append(("Auto-Submitted", "auto-generated"))  # RFC 3834: no vacation replies back
    headers.append(("X-Dondoc-Key", mail.key))
    return headers


WIRE = compat32.clone(linesep="\r\n")


def as_bytes(message: MimeMessage) -> bytes:
    """The wire form: CRLF line ends, headers RFC 2047-encoded, ready for SMTP or a .eml."""
    return message.as_bytes(policy=WIRE)


def calendar_event(
    message_key: str, rule: Rule, plan: Plan, deliverable: str, unit: str, decided_at: datetime
) -> DeadlineEvent | None:
    """The .ics of a reminder: the deliverable's deadline, for the unit's calendar."""
    found = plan.deliverables.get(deliverable)
    if rule not in CALENDAR_RULES or found is None or found.deadline is None:
        return None
    summary = f"Hạn: {one_line(found.title)} — {one_line(plan.unit_name(unit))}"
    description = f"Hạn: {deadline_text(found.deadline)}. {one_line(found.quote)}".strip()
    return DeadlineEvent(message_key, summary, description, found.deadline, decided_at)
