"""Counted deadlines placed in the draft: "07 ngày sau khi hội thảo kết thúc" becomes
`{days_after: 7, of: hoi-thao}` when exactly one drafted deliverable is the "hội thảo"; any
other reading is left unplaced, never given a day it does not say."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from models.importer.deadline_phrases import DueKind
from models.importer.model import DraftCount, DraftDeliverable, DraftDue
from models.importer.problems import Note, NoteKind
from models.importer.relative_phrases import RelativePhrase, name_words
from models.spec import DueForm
from models.working_days import WorkingDays

MIN_NAME_WORDS = 2  # "hội thảo", "tờ trình": one word ("báo") names too much
MAX_NAME_START = 3  # the name stands after the task's verb: "Tổ chức hội thảo …"


@dataclass(frozen=True)
class Pending:
    """A counted deadline read in a task, waiting for every deliverable to be drafted."""

    code: str
    phrase: RelativePhrase
    line: int
    where: str = ""  # "Bảng 1, dòng 3": how the task's other notes name its place

    def note(self, kind: NoteKind, message: str) -> Note:
        prefix = f"{self.where}: " if self.where else ""
        return Note(kind, self.code, "due", f"{prefix}“{self.phrase.phrase}”: {message}", self.line)


def place_counts(
    deliverables: list[DraftDeliverable], pending: list[Pending]
) -> tuple[list[DraftDeliverable], list[Note]]:
    """The deliverables with the counted deadlines that name exactly one other deliverable,
    and a note for each: a guess when placed, unplaced (with why) otherwise."""
    by_code = {d.code: d for d in deliverables}
    waiting: dict[str, list[Pending]] = {}
    for found in pending:
        waiting.setdefault(found.code, []).append(found)
    counted: dict[str, DraftDue] = {}
    notes: list[Note] = []
    for code, mine in waiting.items():
        due, reason = _placed(by_code[code], mine, deliverables, waiting)
        if due is None or due.count is None:
            notes += [unplaced_count(found, reason) for found in mine]
            continue
        counted[code] = due
        reference = by_code[due.count.reference]
        message = f"hạn tính từ {reference.code} (“{reference.title}”), đoán theo tên nhiệm vụ"
        notes.append(mine[0].note(NoteKind.GUESSED, message))
    placed = [replace(d, due=counted[d.code]) if d.code in counted else d for d in deliverables]
    return placed, notes


def unplaced_count(pending: Pending, reason: str) -> Note:
    """A counted deadline that is not written, and why."""
    return pending.note(NoteKind.UNPLACED, f"hạn tính từ một sự việc, {reason}; thêm tay")


def _placed(
    deliverable: DraftDeliverable,
    phrases: list[Pending],
    deliverables: list[DraftDeliverable],
    waiting: dict[str, list[Pending]],
) -> tuple[DraftDue | None, str]:
    """The count of one deliverable, or None and the reason it is not placed."""
    if deliverable.due is not None:
        return None, "nhiệm vụ đã có hạn khác"
    if len(phrases) > 1:
        return None, "một ý có nhiều hạn tính như vậy"
    phrase = phrases[0].phrase
    assert phrase.form is not None
    named = [
        d
        for d in deliverables
        if d.code != deliverable.code and names(phrase.reference, d, waiting.get(d.code, []))
    ]
    if not named:
        return None, f"không có nhiệm vụ nào là “{phrase.reference}” trong bản nháp"
    if len(named) > 1:
        listed = ", ".join(d.code for d in named)
        return None, f"nhiều nhiệm vụ có thể là “{phrase.reference}” ({listed})"
    reference = named[0]
    if reference.code in waiting or (reference.due is not None and reference.due.count):
        return None, f"hạn của {reference.code} cũng tính từ việc khác"
    count = DraftCount(phrase.form, phrase.days, reference.code, phrase.working_days)
    if phrase.form is DueForm.WITHIN_DAYS:
        if reference.to is not None and reference.to != deliverable.owner:
            return None, f"{reference.code} gửi {reference.to}, không gửi đơn vị làm việc này"
        return DraftDue(DueKind.BY, None, phrase.phrase, count=count), ""
    if reference.due is None or reference.due.when is None:
        return None, f"{reference.code} không có hạn riêng để tính từ đó"
    return _resolved(count, reference.due, phrase.phrase), ""


def names(reference: str, deliverable: DraftDeliverable, own: Sequence[Pending] = ()) -> bool:
    """Whether a deliverable's title names what a deadline counts from: its words, in a run
    that starts at most a few words into the title ("Tổ chức hội thảo …" is the "hội thảo").
    The title's own counted deadline (`own`: "Trước hội thảo ít nhất 10 ngày, gửi giấy
    mời") is no name of it."""
    wanted = name_words(reference)
    if len(wanted) < MIN_NAME_WORDS:
        return False
    title_text = deliverable.title
    for pending in own:
        title_text = title_text.replace(pending.phrase.phrase, " ")
    title = name_words(title_text)
    last_start = min(MAX_NAME_START, len(title) - len(wanted))
    return any(title[i : i + len(wanted)] == wanted for i in range(last_start + 1))


def _resolved(count: DraftCount, reference: DraftDue, phrase: str) -> DraftDue:
    """The day a count from a dated deliverable comes to, as models.relative_deadlines
    resolves it for a plan without days off of its own."""
    assert reference.when is not None
    if count.form is DueForm.DAYS_BEFORE:
        start = _cutoff(reference)
        day = _shift(start.date(), -count.days, count.working_days)
        if start.time() == time(0):
            return DraftDue(DueKind.BEFORE, day, phrase, count=count)
        return DraftDue(DueKind.AT, datetime.combine(day, start.time()), phrase, count=count)
    day = _shift(_last_day(reference), count.days, count.working_days)
    return DraftDue(DueKind.BY, day, phrase, count=count)


def _cutoff(due: DraftDue) -> datetime:
    """When the work a deadline waits on must be done: the day's start (`by`: the next)."""
    when = due.when
    assert when is not None
    if isinstance(when, datetime):
        return when
    start = datetime.combine(when, time(0))
    return start + timedelta(days=1) if due.kind is DueKind.BY else start


def _last_day(due: DraftDue) -> date:
    """The last day on which the work is on time (an event: the day it is held)."""
    when = due.when
    assert when is not None
    if isinstance(when, datetime):
        return when.date() - timedelta(days=1) if when.time() == time(0) else when.date()
    return when - timedelta(days=1) if due.kind is DueKind.BEFORE else when


def _shift(day: date, days: int, working: bool) -> date:
    return WorkingDays().shift(day, days) if working else day + timedelta(days=days)
