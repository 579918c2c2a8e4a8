"""A decided message: who gets it about what, and its deterministic dedup key and Message-ID."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from models.deadlines import Deadline
from models.uploads.stored import AttachedFile
from notifications.rules import Rule

SEPARATOR = ":"  # never in a code ([a-z0-9-]) nor in an occurrence
DIGEST = "digest"
NO_DEADLINE = "open"
MAX_READABLE_ID = 200  # longer keys are hashed in the Message-ID


@dataclass(frozen=True)
class LateLine:
    """One assignment in a list (the leaders' digest, the blockers of an at-risk notice)."""

    deliverable: str
    unit: str
    days_late: int
    new: bool = False  # escalated since the previous digest


@dataclass(frozen=True)
class Message:
    """What the ladder decided to send at `decided_at`; rendering and sending come later.

    `thread` is the key of the first message about the same assignment (or the first digest),
    None when this message starts the thread.
    """

    key: str
    rule: Rule
    to: tuple[str, ...]
    cc: tuple[str, ...]
    decided_at: datetime
    deliverable: str | None = None
    unit: str | None = None
    deadline: Deadline | None = None
    days_late: int | None = None
    submitted_at: datetime | None = None
    repeat: int = 0
    lines: tuple[LateLine, ...] = ()
    thread: str | None = None
    reason: str = ""  # why a review returned the arrival (Rule.RETURNED)
    returned_at: datetime | None = None
    files: tuple[AttachedFile, ...] = ()  # what a receipt lists: the files the unit sent
    # The request an answer is about (Rule.EXTENSION_GRANTED, EXTENSION_REFUSED): when the
    # unit asked, and the day it proposed; `reason` is then the coordinator's words.
    asked_at: datetime | None = None
    asked_until: date | None = None
    # A receipt of an arrival that counts only once accepted (`review: on_acceptance`).
    in_review: bool = False

    @property
    def recipients(self) -> tuple[str, ...]:
        """Every envelope recipient, To then Cc, each once."""
        return tuple(dict.fromkeys((*self.to, *self.cc)))


def deadline_occurrence(deadline: Deadline | None, tz: ZoneInfo) -> str:
    """The deadline as it appears in keys: local 20230309T0000 (a moved deadline is a new one)."""
    if deadline is None:
        return NO_DEADLINE
    return deadline.due_at.astimezone(tz).strftime("%Y%m%dT%H%M")


def moment_occurrence(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y%m%dT%H%M%S")


def assignment_key(plan: str, rule: Rule, deliverable: str, unit: str, occurrence: str) -> str:
    """`gap-mat-2023:overdue:bc-huyen:huong-khe:20230309T0000`."""
    return SEPARATOR.join((plan, rule.value, deliverable, unit, occurrence))


def digest_key(plan: str, day: date) -> str:
    """`gap-mat-2023:escalation:digest:20230313`: at most one leaders' digest a day."""
    return SEPARATOR.join((plan, Rule.ESCALATION.value, DIGEST, day.strftime("%Y%m%d")))


@dataclass(frozen=True)
class KeyParts:
    plan: str
    rule: Rule
    deliverable: str | None
    unit: str | None
    occurrence: str


def parse_key(key: str) -> KeyParts:
    """The parts of a key made by assignment_key or digest_key."""
    parts = key.split(SEPARATOR)
    if len(parts) == 5:
        return KeyParts(parts[0], Rule(parts[1]), parts[2], parts[3], parts[4])
    if len(parts) == 4 and parts[2] == DIGEST:
        return KeyParts(parts[0], Rule(parts[1]), None, None, parts[3])
    raise ValueError(f"not a notification key: {key!r}")


def message_id(key: str, domain: str) -> str:
    """`<gap-mat-2023.overdue.bc-huyen.huong-khe.20230309T0000@hatinh.example>`: from the key
    alone, so a resend carries the same Message-ID and a reader can tell it is the same mail."""
    local = key.replace(SEPARATOR, ".")
    if len(local) > MAX_READABLE_ID:
        local = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<{local}@{domain}>"


def file_name(key: str) -> str:
    """A file name for the key, safe on every file system: `gap-mat-2023_overdue_….eml`."""
    return key.replace(SEPARATOR, "_") + ".eml"
