"""The draft plan as data: what `draft.py` writes and `report.py` summarises."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from models.deadlines import Period
from models.importer.deadline_phrases import DueKind
from models.importer.period_phrases import period_words
from models.importer.problems import Note
from models.spec import DueForm


@dataclass(frozen=True)
class DraftCount:
    """A deadline counted from another deliverable: `{days_after: 7, of: hoi-thao}`."""

    form: DueForm  # days_before, days_after (from its deadline) or within_days (its arrival)
    days: int
    reference: str  # the deliverable's code
    working_days: bool = False

    def mapping(self) -> dict[str, object]:
        key = "after_arrival_of" if self.form is DueForm.WITHIN_DAYS else "of"
        written: dict[str, object] = {self.form.value: self.days, key: self.reference}
        return {**written, "working_days": True} if self.working_days else written

    def label(self) -> str:
        count = f"{self.days} ngày làm việc" if self.working_days else f"{self.days} ngày"
        if self.form is DueForm.WITHIN_DAYS:
            return f"{count} sau khi {self.reference} được nộp"
        way = "trước" if self.form is DueForm.DAYS_BEFORE else "sau"
        return f"{count} {way} {self.reference}"


@dataclass(frozen=True)
class DraftDue:
    """A deadline with the phrase it was read from. `when` is the day it comes to, read as
    `kind` says (a period: its last day, `by`; a count: the day it is resolved to), None only
    for a count from an arrival, unknown until it arrives."""

    kind: DueKind
    when: date | datetime | None
    phrase: str
    period: Period | None = None  # written `{month: …}`, `{quarter: …}`, `{year: …}`
    count: DraftCount | None = None  # written `{days_before: N, of: X}` …

    @property
    def day(self) -> date | None:
        return self.when.date() if isinstance(self.when, datetime) else self.when

    def label(self) -> str:
        """`trước 09/03/2023`, `17:00 15/04/2024`, `trong quý II/2023`, `7 ngày sau hoi-thao`:
        how a person checks it against the text."""
        if self.count is not None:
            return self.count.label()
        assert self.when is not None
        if self.period is not None:
            return f"trong {period_words(self.period, self.when)}"
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
