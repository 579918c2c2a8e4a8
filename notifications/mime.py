"""Messages as e-mails: the MIME around a rendered message, the same bytes for the same key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.headerregistry import Address
from email.message import Message as MimeMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTPUTF8, compat32
from email.utils import format_datetime, formataddr, getaddresses
from functools import cache
from typing import cast

from models.addresses import needs_smtputf8
from models.plan import Plan
from notifications.ics import DeadlineEvent, calendar_text
from notifications.links import PersonalLinks
from notifications.messages import Message, message_id
from notifications.render import Rendered, deadline_text, one_line, render
from notifications.rules import Rule

CALENDAR_RULES = frozenset({Rule.REMINDER, Rule.FINAL_REMINDER})


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
    # compat32 messages take Header values too; typeshed types MIMEMultipart's as str only.
    fields = cast("MimeMessage[str, str | Header]", top)
    for name, value in _headers(mail):
        fields[name] = value
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
    # An SMTPUTF8 message carries its headers as UTF-8 (RFC 6532); any other, RFC 2047-encoded.
    subject = one_line(mail.subject)
    headers.append(("Subject", subject if needs_utf8(mail) else Header(subject, "utf-8")))
    if mail.thread and mail.thread != mail.key:
        headers.append(("In-Reply-To", message_id(mail.thread, mail.domain)))
        headers.append(("References", message_id(mail.thread, mail.domain)))
    headers.append(("Auto-Submitted", "auto-generated"))  # RFC 3834: no vacation replies back
    headers.append(("X-Dondoc-Key", mail.key))
    return headers


WIRE = compat32.clone(linesep="\r\n")
# For a message to an address with a non-ASCII local part: UTF-8 headers, sent with SMTPUTF8.
WIRE_UTF8 = SMTPUTF8.clone(linesep="\r\n")


def needs_utf8(mail: Mail) -> bool:
    """Whether an address of the message can only be written in UTF-8 (văn.thư@…)."""
    return any(needs_smtputf8(address) for address in (*mail.to, *mail.cc, *mail.reply_to))


def as_bytes(message: MimeMessage) -> bytes:
    """The wire form: CRLF line ends, headers RFC 2047-encoded (UTF-8 when an address needs
    it: an encoded word is no address), ready for SMTP or a .eml."""
    addresses = (str(message.get(name, "")) for name in ("To", "Cc", "Reply-To"))
    utf8 = not all(value.isascii() for value in addresses)
    return message.as_bytes(policy=WIRE_UTF8 if utf8 else WIRE)


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


def mail_of(message: Message, rendered: Rendered, plan: Plan, mail_from: str) -> Mail:
    """The e-mail of a decided message: From the setting (named after the plan's coordinator
    when the setting gives no name), Reply-To the coordinator, dated when it was decided."""
    sender = sender_address(mail_from)
    coordinator = plan.units.get(plan.coordinator or "")
    reply_to = (coordinator.email or coordinator.head_email) if coordinator else None
    if not sender.display_name and coordinator:
        sender = Address(one_line(coordinator.name), sender.username, sender.domain)
    calendar = None
    if message.deliverable and message.unit:
        calendar = calendar_event(
            message.key, message.rule, plan, message.deliverable, message.unit, message.decided_at
        )
    return Mail(
        key=message.key,
        sender=str(sender),
        to=message.to,
        cc=message.cc,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        date=message.decided_at.astimezone(plan.tz),
        domain=sender.domain,
        thread=message.thread,
        reply_to=(reply_to,) if reply_to else (),
        calendar=calendar,
    )


@dataclass(frozen=True)
class Letter:
    """A decided message as the outbox stores it: its words, and its e-mail composed once."""

    message: Message
    rendered: Rendered
    message_id: str
    eml: bytes


def letter(
    message: Message, plan: Plan, mail_from: str, links: PersonalLinks | None = None
) -> Letter:
    """The message composed as an e-mail, with the unit's personal link when `links` makes
    them (every message about one assignment; the leaders' digest has none)."""
    link = ""
    if links is not None and message.deliverable and message.unit:
        link = links.url(plan.code, message.deliverable, message.unit)
    rendered = render(message, plan, link)
    mail = mail_of(message, rendered, plan, mail_from)
    return Letter(message, rendered, message_id(mail.key, mail.domain), as_bytes(compose(mail)))
