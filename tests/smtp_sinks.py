"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)


@dataclass
class SinkHandler:
    """Records what arrives; `faults` are replies for the next DATA commands, or "drop" (the
    line breaks before an answer, the message lost) or "keep-drop" (kept, then the line breaks
    before the answer: the message arrived, the sender cannot know)."""

    received: list[Received] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    sessions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            fault = self.faults.pop(0) if self.faults else None
        if fault == "drop":  # the line breaks after the DATA, before any answer; lost
            server.transport.close()
            return "421 closing"
        if fault and fault != "keep-drop":
            return fault
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
            )
        if fault == "keep-drop":  # delivered, then the line breaks before the "250"
            server.transport.close()
            return "421 closing"
        return "250 OK"

    def reset(self) -> None:
        self.received.clear()
        self.faults.clear()
        self.sessions = 0


@dataclass
class SmtpSink:
    host: str
    port: int
    handler: SinkHandler

    @property
    def received(self) -> list[Received]:
        return self.handler.received
