"""The draft plan as data: what `draft.py` writes and `report.py` summarises."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from models.importer.deadline_phrases import DueKind
from models.importer.problems import Note


@dataclass(frozen=True)
class DraftDue:
    """A deadline with the phrase it was read from."""

    kind: DueKind
    when: date | datetime
    phrase: str

    def label(self) -> str:
        """`trước 09/03/2023`, `17:00 15/04/2024`: how a person checks it against the text."""
        words = {"before": "trước", "by": "chậm nhất", "at": "lúc", "on": "vào"}
        shown = (
            self.when.strftime("%H:%M %d/%m/%Y")
            if isinstance(self.when, datetime)
            else self.when.strftime("%d/%m/%Y")
        )
        return f"{words[self.kind]} {shown}"


@dataclass(frozen=True)
class DraftDeliverable:
    """One deliverable of the draft; `line` and `bullet` say where in the document it is."""

    code: str
    title: str
    owner: str
    quote: str
    line: int
    bullet: int | None = None
    to: str | None = None
    due: DraftDue | None = None
    after: tuple[str, ...] = ()
    event: bool = False  # the plan's event itself (the meeting)
    follows_event: bool = False  # the text says it happens after the event ("Sau gặp mặt")


@dataclass(frozen=True)
class DraftUnit:
    code: str
    name: str
    email: str | None = None
    head_email: str | None = None


@dataclass(frozen=True)
class DraftPlan:
    """Everything the importer drafted, and every note on how sure it is."""

    code: str
    title: str
    source: str
    coordinator: str | None
    leaders: tuple[str, ...]
    units: tuple[DraftUnit, ...]
    groups: dict[str, tuple[str, ...]]
    deliverables: tuple[DraftDeliverable, ...]
    notes: tuple[Note, ...] = field(default_factory=tuple)
    group_titles: dict[str, str] = field(default_factory=dict)  # as the document names them
    year: int | None = None
    province: str = ""
