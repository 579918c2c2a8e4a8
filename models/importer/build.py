"""From a document's paragraphs to a draft plan: tasks, owners, recipients, deadlines, edges."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from models.importer import dependencies
from models.importer.assignment_tables import TableRow
from models.importer.counted_deadlines import Pending, place_counts, unplaced_count
from models.importer.deadline_phrases import (
    DeadlinePhrase,
    DueKind,
    bare_dates,
    document_date,
    document_year,
    find_deadlines,
    next_monthly,
    next_occurrence,
    roll_past,
    stray_dates,
)
from models.importer.model import DraftDeliverable, DraftDue, DraftPlan, DraftUnit
from models.importer.names import fold
from models.importer.paragraph_tasks import Task
from models.importer.parties import (
    Party,
    Reading,
    directory,
    read_directed,
    read_heading,
    read_recipient,
    read_relay,
)
from models.importer.period_phrases import labelled_periods, period_in_cell, periods_in_text
from models.importer.problems import Note, NoteKind
from models.importer.registry import Registry, RegistryFile, choose_registry
from models.importer.relative_phrases import RelativePhrase, relative_phrases
from models.importer.repeats import repeated_by
from models.importer.sections import Layout, read_layout
from models.importer.text import Paragraph
from models.importer.titles import code_of, event_title, plan_code, title_of

_AFTER_EVENT = re.compile(r"^sau (?:khi )?(?:buoi |cuoc )?(?:gap mat|hoi nghi|le |su kien|dai hoi)")
_NUMBERING = re.compile(r"^\s*(?:\d+|[a-z])\s*[.)]\s+")
# A time column that waits on others' schedule ("Triển khai đảm bảo theo lộ trình, hướng dẫn
# của Bộ, ngành"), compared folded: relative to work outside the plan, never a date.
_FOLLOWS = re.compile(r"\btheo (?:lo trinh|huong dan|tien do|ke hoach)\b")
# A time column for work that recurs ("Thường xuyên", "Hằng năm", "Định kỳ 6 tháng"), compared
# folded: the plan format has no recurring deadline.
_PERIODIC = re.compile(r"\b(?:thuong xuyen|h[ao]ng (?:nam|quy|thang|tuan|ngay)|dinh ky|lien tuc)\b")


@dataclass
class _Draft:
    """What is being built: the year dates fall in, the parties met, the notes written."""

    year: int | None
    year_written: bool  # True when --year gave it, False when read from the document
    registry: Registry
    names: dict[str, Party]
    parties: dict[str, Party] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)
    signed: date | None = None  # the document's own date (its dateline), if it has one
    counts: list[Pending] = field(default_factory=list)  # placed once every task is drafted

    def meet(self, reading: Reading) -> Party:
        """Remember a party; its doubt becomes one note on its unit or group entry."""
        party = reading.party
        if party.code not in self.parties and reading.doubt is not None:
            where = f"{'groups' if party.is_group else 'units'}.{party.code}"
            self.notes.append(Note(reading.doubt, where, "", reading.reason))
        self.parties.setdefault(party.code, party)
        return party

    def note(self, kind: NoteKind, target: str, key: str, message: str, line: int) -> None:
        self.notes.append(Note(kind, target, key, message, line))


def draft_plan(
    paragraphs: list[Paragraph],
    source: Path | str,
    year: int | None = None,
    registries: Sequence[RegistryFile] = (),
    code: str | None = None,
) -> DraftPlan:
    """The whole import, minus files: a DraftPlan with a note for every guess."""
    layout = read_layout(paragraphs, str(source))
    text = "\n".join(p.text for p in paragraphs)
    registry = choose_registry(text, list(registries))
    owner_names = [*(t.heading for t in layout.tasks), *(n for r in layout.rows for n in r.owners)]
    headings = {name: read_heading(name, registry) for name in owner_names}
    draft = _Draft(
        year or document_year(text),
        year is not None,
        registry,
        directory(registry, [r.party for r in headings.values()]),
        signed=document_date(text),
    )
    deliverables = [
        _deliverable(task, draft.meet(headings[task.heading]), draft) for task in layout.tasks
    ]
    tabled: list[DraftDeliverable] = []
    for row in layout.rows:
        drafted = _row_deliverable(row, headings, draft)
        (tabled if row.table else deliverables).extend(drafted)  # a block is prose
    deliverables = [*_without_repeats(deliverables, tabled, draft), *tabled]
    deliverables.sort(key=lambda d: d.line)  # tables and bullets in document order
    deliverables += _outside_event(layout, deliverables, draft)
    _unplaced_loose(layout, draft)
    deliverables, count_notes = place_counts(deliverables, draft.counts)
    draft.notes.extend(count_notes)
    coordinator = _coordinator(deliverables, draft)
    deliverables = [_event_owner(d, coordinator, draft) for d in deliverables]
    with_edges, edge_notes = dependencies.propose(tuple(deliverables))
    draft.notes.extend(edge_notes)
    the_code = code or plan_code(layout.title, draft.year)
    if code is None:
        draft.note(NoteKind.GUESSED, "plan", "code", "mã kế hoạch đề xuất từ tên kế hoạch", 0)
    return _assemble(the_code, layout, source, with_edges, coordinator, draft)


def _without_repeats(
    prose: list[DraftDeliverable], rows: list[DraftDeliverable], draft: _Draft
) -> list[DraftDeliverable]:
    """The prose deliverables that no table row of the same owner repeats; each one dropped is
    named in a note on its row (its notes go with it)."""
    kept = []
    for deliverable in prose:
        row = repeated_by(deliverable, rows)
        if row is None:
            kept.append(deliverable)
            continue
        draft.notes[:] = [n for n in draft.notes if n.target != deliverable.code]
        message = (
            f"cùng việc với dòng {deliverable.line} của văn bản (“{deliverable.quote[:80]}”): "
            "chỉ soạn một lần, theo bảng"
        )
        draft.note(NoteKind.GUESSED, row.code, "quote", message, row.line)
    return kept


def _deliverable(task: Task, heading: Party, draft: _Draft) -> DraftDeliverable:
    """One task as a deliverable: its owner (or the unit it directs), recipient, deadline."""
    title = title_of(task.text, task.heading)
    code = code_of(title, draft.codes)
    draft.codes.add(code)
    owner = heading
    directed = read_directed(task.text, draft.names)
    if directed is not None and directed.code != heading.code:
        owner = draft.meet(Reading(directed))
        message = f"“{heading.name}” chỉ đạo; đơn vị làm việc này là {directed.code}"
        draft.note(NoteKind.GUESSED, code, "owner", message, task.line)
    if task.others:
        message = f"giao cho nhiều đơn vị; tạm ghi “{task.heading}”, còn: {'; '.join(task.others)}"
        draft.note(NoteKind.AMBIGUOUS, code, "owner", message, task.line)
    due = _due(task.text, code, task.line, draft)
    return DraftDeliverable(
        code=code,
        title=title,
        owner=owner.owner,
        quote=task.quote,
        line=task.line,
        bullet=task.bullet,
        to=_recipient(task.text, code, task.line, draft),
        due=due,
        event=due is not None and due.kind is DueKind.ON,
        follows_event=bool(_AFTER_EVENT.match(fold(task.text))),
    )


def _recipient(text: str, code: str, line: int, draft: _Draft) -> str | None:
    """Who receives the work; a unit it passes through on the way ("(qua Văn phòng Tỉnh
    ủy)") is not the recipient but is named in a note, so it is not lost."""
    to = _chosen_recipient(read_recipient(text, draft.names), code, line, draft)
    relay = read_relay(text, draft.names)
    if to is not None and relay is not None and relay.party.code != to:
        message = f"gửi qua {relay.party.name} ({relay.party.code}); nơi nhận cuối cùng ghi là {to}"
        draft.note(NoteKind.GUESSED, code, "to", message, line)
    return to


def _chosen_recipient(readings: list[Reading], code: str, line: int, draft: _Draft) -> str | None:
    """The first unit named; the plan has one `to`, so the others are named in a note (an
    ambiguity), never dropped; a group is no recipient."""
    readings = [r for r in readings if not r.party.is_group]
    if not readings:
        return None
    if len(readings) > 1:
        named = "; ".join(f"{r.party.code} “{r.party.name}”" for r in readings)
        message = f"nhiều nơi nhận ({named}); tạm ghi {readings[0].party.code}"
        draft.note(NoteKind.AMBIGUOUS, code, "to", message, line)
    return draft.meet(readings[0]).code


def _due(text: str, code: str, line: int, draft: _Draft) -> DraftDue | None:
    """The deadline of a task; two different ones are kept as an ambiguity, never merged."""
    phrases = find_deadlines(text, draft.year)
    for stray in stray_dates(text, phrases):
        message = f"“{stray.phrase}”: có ngày nhưng không rõ là hạn gì"
        draft.note(NoteKind.UNPLACED, code, "due", message, line)
    _counts(relative_phrases(text), code, line, draft)
    return _chosen_due([*phrases, *_periods(text, phrases, draft.year)], code, line, draft)


def _counts(phrases: list[RelativePhrase], code: str, line: int, draft: _Draft) -> None:
    """Counted deadlines wait until every task is drafted (they may name a later one); one
    the plan format cannot hold is reported now."""
    for phrase in phrases:
        pending = Pending(code, phrase, line)
        if phrase.form is None:
            draft.notes.append(unplaced_count(pending, f"{phrase.problem}, chưa ghi được"))
        else:
            draft.counts.append(pending)


def _periods(text: str, dated: list[DeadlinePhrase], year: int | None) -> list[DeadlinePhrase]:
    """Periods a sentence gives as deadlines, outside its dated phrases."""
    taken = [range(p.start, p.start + len(p.phrase)) for p in dated]
    found = periods_in_text(text, year)
    for labelled in labelled_periods(text, year):  # "Thời gian: Tháng 12/2025": the label does
        span = range(labelled.start, labelled.start + len(labelled.phrase))
        if not any(p.start in span for p in found):
            found.append(labelled)
    return [p for p in found if not any(p.start in span for span in taken)]


def _chosen_due(
    phrases: list[DeadlinePhrase], code: str, line: int, draft: _Draft
) -> DraftDue | None:
    """The earliest readable deadline; unreadable ones and a year taken from the document
    are noted."""
    phrases = [_at_first_time(p, draft.signed) for p in phrases]
    for phrase in (p for p in phrases if p.when is None):
        hint = " (dùng --year)" if phrase.problem == "không rõ năm" else ""
        draft.note(
            NoteKind.UNPLACED, code, "due", f"“{phrase.phrase}”: {phrase.problem}{hint}", line
        )
    readable = _distinct([_rolled(p, draft) for p in phrases if p.when is not None])
    if not readable:
        return None
    chosen = min(readable, key=lambda p: (p.day, p.kind is not DueKind.BEFORE))
    if len(readable) > 1:
        listed = "; ".join(f"“{p.phrase}”" for p in readable)
        message = f"một ý có {len(readable)} hạn khác nhau: {listed}; tạm ghi hạn sớm nhất"
        draft.note(NoteKind.AMBIGUOUS, code, "due", message, line)
    if chosen.recurring:
        return _recurring_due(chosen, code, line, draft)
    if chosen.doubt:
        draft.note(NoteKind.GUESSED, code, "due", f"“{chosen.phrase}”: {chosen.doubt}", line)
    if chosen.rolled:
        assert draft.signed is not None and chosen.day is not None
        message = (
            f"“{chosen.phrase}” không ghi năm; ngày đó năm {draft.signed.year} đã qua khi văn "
            f"bản ký ({draft.signed:%d/%m/%Y}), tạm ghi năm {chosen.day.year}"
        )
        draft.note(NoteKind.GUESSED, code, "due", message, line)
    elif not chosen.year_given and not draft.year_written:
        message = f"“{chosen.phrase}” không ghi năm; lấy năm {draft.year} của văn bản"
        draft.note(NoteKind.GUESSED, code, "due", message, line)
    assert chosen.when is not None
    return DraftDue(chosen.kind, chosen.when, chosen.phrase, period=chosen.period)


def _at_first_time(phrase: DeadlinePhrase, signed: date | None) -> DeadlinePhrase:
    """A repeating deadline at its first time after the document's own date, so that several
    are compared where they first fall. A monthly one ("trước ngày 20 hằng tháng") has no first
    time without that date; a yearly one keeps its day. So "hàng tháng (trước ngày 16 hàng
    tháng), … tổng kết năm (trước ngày 20/11 hàng năm)" in a text signed on 20/11/2025 is first
    due 16/12/2025 (QĐ 2954/QĐ-UBND)."""
    if not phrase.recurring or phrase.day is None:
        return phrase
    if signed is None:
        if not phrase.monthly:
            return phrase
        return replace(phrase, when=None, problem="hạn hằng tháng, không rõ ngày văn bản")
    first = _first_time(phrase, signed)
    when = phrase.when
    return replace(
        phrase, when=datetime.combine(first, when.time()) if isinstance(when, datetime) else first
    )


def _rolled(phrase: DeadlinePhrase, draft: _Draft) -> DeadlinePhrase:
    """A year-less date the document is past moves to the next year, unless --year says."""
    if draft.signed is None or draft.year_written:
        return phrase
    return roll_past(phrase, draft.signed)


def _recurring_due(phrase: DeadlinePhrase, code: str, line: int, draft: _Draft) -> DraftDue:
    """A yearly deadline ("trước ngày 15 tháng 11 hằng năm") or a monthly one ("trước ngày 20
    hằng tháng") is drafted as its first time after the document's date (`_at_first_time` has
    moved it there), never as a date the document was already past; a guess, and the plan
    cannot say it repeats."""
    assert phrase.when is not None
    when = phrase.when
    every = "hằng tháng" if phrase.monthly else "hằng năm"
    message = (
        f"“{phrase.phrase}” lặp lại {every}; tạm ghi lần đầu sau ngày văn bản "
        f"({when:%d/%m/%Y}), kế hoạch chưa ghi được hạn định kỳ"
    )
    draft.note(NoteKind.GUESSED, code, "due", message, line)
    return DraftDue(phrase.kind, when, phrase.phrase)


def _first_time(phrase: DeadlinePhrase, signed: date) -> date:
    """The first time a repeating deadline falls on or after the document's date; after it for
    "trước": "trước ngày 20/11 hằng năm" in a text signed on 20/11/2025 first falls in 2026."""
    assert phrase.day is not None
    since = signed + timedelta(days=1) if phrase.kind is DueKind.BEFORE else signed
    if phrase.monthly:
        return next_monthly(phrase.day.day, since)
    return next_occurrence(phrase.day, since)


def _row_deliverable(
    row: TableRow, owners: dict[str, Reading], draft: _Draft
) -> list[DraftDeliverable]:
    """One table row as a deliverable, its notes prefixed with the row ("Bảng 1, dòng 3: …");
    a row without a task or an owner is reported, not drafted."""
    if not row.content or not row.owners:
        _unplaced_row(row, draft)
        return []
    start = len(draft.notes)
    title = title_of(row.content)
    code = code_of(title, draft.codes)
    draft.codes.add(code)
    due = _row_due(row, code, draft)
    deliverable = DraftDeliverable(
        code=code,
        title=title,
        owner=_row_owner(row, owners, code, draft),
        quote=row.content,
        line=row.line,
        to=_row_recipient(row, code, draft),
        due=due,
        event=due is not None and due.kind is DueKind.ON,
        follows_event=bool(_AFTER_EVENT.match(fold(row.content))),
    )
    if row.partners:
        message = f"đơn vị phối hợp (không phải chủ trì): {'; '.join(row.partner_names)}"
        draft.note(NoteKind.GUESSED, code, "owner", message, row.line)
    draft.notes[start:] = [
        replace(n, message=f"{row.label}: {n.message}") if n.target == code else n
        for n in draft.notes[start:]
    ]
    draft.counts = [replace(p, where=row.label) if p.code == code else p for p in draft.counts]
    return [deliverable]


def _unplaced_row(row: TableRow, draft: _Draft) -> None:
    if row.content:
        message = f"{row.label}: “{row.content[:120]}” không ghi đơn vị chủ trì; thêm tay"
    else:
        owners = f" (đơn vị “{'; '.join(row.owners)}”)" if row.owners else ""
        message = f"{row.label}: không ghi nội dung công việc{owners}"
    draft.note(NoteKind.UNPLACED, "plan", "", message, row.line)


def _row_owner(row: TableRow, owners: dict[str, Reading], code: str, draft: _Draft) -> str:
    """The chủ trì cell, read as a unit heading is; several units there are an ambiguity."""
    party = draft.meet(owners[row.owners[0]])
    if len(row.owners) > 1:
        listed = "; ".join(row.owners)
        message = f"ô chủ trì ghi {len(row.owners)} đơn vị ({listed}); tạm ghi {party.code}"
        draft.note(NoteKind.AMBIGUOUS, code, "owner", message, row.line)
    return party.owner


def _row_due(row: TableRow, code: str, draft: _Draft) -> DraftDue | None:
    """The time cell read with the bullets' phrases; a date alone there is due that day
    ("trước" makes it before), a guess; an empty cell leaves the content's own deadline."""
    if not row.time:
        return _due(row.content, code, row.line, draft)
    if fold(row.time).startswith("tu "):  # "Từ 01/7/2025": when the work starts, no deadline
        message = f"cột thời gian ghi “{row.time}”: ngày bắt đầu, không phải hạn"
        draft.note(NoteKind.UNPLACED, code, "due", message, row.line)
        return None
    phrases = find_deadlines(row.time, draft.year)
    period = None if phrases else _period_of_cell(row.time, draft.year)
    if period is not None:
        return _chosen_due([period], code, row.line, draft)
    if not phrases:
        kind = DueKind.BEFORE if "truoc" in fold(row.time) else DueKind.BY
        phrases = bare_dates(row.time, draft.year, kind)
        word = "trước" if kind is DueKind.BEFORE else "chậm nhất"
        message = f"cột thời gian ghi “{row.time}”: hiểu là {word} ngày đó"
        if phrases:
            draft.note(NoteKind.GUESSED, code, "due", message, row.line)
    if not phrases:
        _undated_cell(row, code, draft)
        return _due(row.content, code, row.line, draft)
    return _chosen_due(phrases, code, row.line, draft)


def _period_of_cell(cell: str, year: int | None) -> DeadlinePhrase | None:
    """A time column that opens with its period ("Quý IV-2025"), or says it in a sentence
    ("Hoàn thành trong năm 2025", the time line of a duty block)."""
    found = period_in_cell(cell, year)
    if found is not None:
        return found
    in_words = periods_in_text(cell, year)
    return in_words[0] if len(in_words) == 1 else None


def _undated_cell(row: TableRow, code: str, draft: _Draft) -> None:
    """A time column with no day: a count from other work ("Sau khi … ban hành") is read as
    in a sentence; work done regularly ("Thường xuyên", "Hằng năm") is reported as such."""
    counts = relative_phrases(row.time)
    if counts:
        _counts(counts, code, row.line, draft)
        return
    reason, folded = "không đọc được ngày", fold(row.time)
    if folded.startswith("theo ") or _FOLLOWS.search(folded):
        reason = "làm theo một kế hoạch hoặc tiến độ khác, không ghi ngày"
    elif _PERIODIC.search(folded):
        reason = "việc làm thường xuyên hoặc định kỳ, kế hoạch chưa ghi được hạn lặp lại"
    message = f"cột thời gian ghi “{row.time}”: {reason}"
    draft.note(NoteKind.UNPLACED, code, "due", message, row.line)


def _row_recipient(row: TableRow, code: str, draft: _Draft) -> str | None:
    """The nơi nhận cell when the table has one, else "gửi …" in the content."""
    if not row.recipients:
        return _recipient(row.content, code, row.line, draft)
    readings = [read_heading(name, draft.registry) for name in row.recipients]
    return _chosen_recipient(readings, code, row.line, draft)


def _distinct(phrases: list[DeadlinePhrase]) -> list[DeadlinePhrase]:
    seen: dict[tuple[str, object], DeadlinePhrase] = {}
    for phrase in phrases:
        seen.setdefault((phrase.kind, phrase.when), phrase)
    return list(seen.values())


def _outside_event(
    layout: Layout, deliverables: list[DraftDeliverable], draft: _Draft
) -> list[DraftDeliverable]:
    """The event the plan prepares ("dự kiến tổ chức vào ngày 22/3/2023"), when no task is it."""
    if any(d.event for d in deliverables):
        return []
    found = [
        (paragraph, phrase)
        for paragraph in layout.outside
        for phrase in find_deadlines(paragraph.text, draft.year)
        if phrase.kind is DueKind.ON and phrase.when is not None
    ]
    if not found:
        return []
    paragraph, phrase = found[0]
    title = event_title(layout.title)
    code = code_of(title, draft.codes, words=2)
    draft.codes.add(code)
    others = {p.when for _, p in found if p.when is not None} - {phrase.when}
    if others:
        listed = ", ".join(f"{d:%d/%m/%Y}" for d in sorted(others))
        message = f"văn bản còn ghi ngày tổ chức khác ({listed}); tạm ghi ngày đầu tiên"
        draft.note(NoteKind.AMBIGUOUS, code, "due", message, paragraph.line)
    assert phrase.when is not None
    quote = _NUMBERING.sub("", paragraph.text)
    due = DraftDue(DueKind.ON, phrase.when, phrase.phrase)
    return [DraftDeliverable(code, title, "", quote, paragraph.line, due=due, event=True)]


def _unplaced_loose(layout: Layout, draft: _Draft) -> None:
    """Dated paragraphs of the assignment section that sit under no unit heading."""
    for paragraph in layout.loose:
        if find_deadlines(paragraph.text, draft.year):
            message = f"đoạn có hạn nhưng không thuộc đơn vị nào: “{paragraph.text[:120]}”"
            draft.note(NoteKind.UNPLACED, "plan", "", message, paragraph.line)


def _coordinator(deliverables: list[DraftDeliverable], draft: _Draft) -> str | None:
    """The unit most work is sent to: it coordinates, receives escalations, holds the event."""
    received = Counter(d.to for d in deliverables if d.to)
    if not received:
        return None
    coordinator = received.most_common(1)[0][0]
    message = f"đơn vị điều phối: đoán là {coordinator} (nhận nhiều việc nhất)"
    draft.note(NoteKind.GUESSED, "plan", "coordinator", message, 0)
    return coordinator


def _event_owner(
    deliverable: DraftDeliverable, coordinator: str | None, draft: _Draft
) -> DraftDeliverable:
    if deliverable.owner:
        return deliverable
    if coordinator is None:
        message = "không rõ đơn vị tổ chức sự kiện: ghi mã đơn vị vào owner"
        draft.note(NoteKind.AMBIGUOUS, deliverable.code, "owner", message, deliverable.line)
        return replace(deliverable, owner="chua-ro")
    message = f"đơn vị tổ chức sự kiện: đoán là đơn vị điều phối ({coordinator})"
    draft.note(NoteKind.GUESSED, deliverable.code, "owner", message, deliverable.line)
    return replace(deliverable, owner=coordinator)


def _assemble(
    code: str,
    layout: Layout,
    source: Path | str,
    deliverables: tuple[DraftDeliverable, ...],
    coordinator: str | None,
    draft: _Draft,
) -> DraftPlan:
    groups = {p.code: p.members for p in draft.parties.values() if p.is_group}
    leaders = _leaders(deliverables, draft)
    used = [
        *(d.owner for d in deliverables if not d.owner.startswith("group:")),
        *(d.to for d in deliverables if d.to),
        *(member for members in groups.values() for member in members),
        *([coordinator] if coordinator else []),
        *leaders,
    ]
    return DraftPlan(
        code=code,
        title=layout.title,
        source=f"Kế hoạch {layout.title} (nhập từ {Path(source).name})",
        coordinator=coordinator,
        leaders=leaders,
        units=_units(used, draft),
        groups=groups,
        group_titles={p.code: p.name for p in draft.parties.values() if p.is_group and p.name},
        deliverables=deliverables,
        notes=tuple(draft.notes),
        year=draft.year,
        province=draft.registry.province,
    )


def _leaders(deliverables: tuple[DraftDeliverable, ...], draft: _Draft) -> tuple[str, ...]:
    """Registry units marked `leader` that the plan sends work to."""
    recipients = {d.to for d in deliverables}
    leaders = tuple(u.code for u in draft.registry.units if u.leader and u.code in recipients)
    if leaders:
        message = "lãnh đạo nhận bản tổng hợp: đoán từ nơi nhận"
        draft.note(NoteKind.GUESSED, "plan", "leaders", message, 0)
    return leaders


def _units(used: list[str], draft: _Draft) -> tuple[DraftUnit, ...]:
    """Every unit named, registry order first (as the seed plan lists them), new ones after."""
    wanted = dict.fromkeys(used)
    known = [u for u in draft.registry.units if u.code in wanted]
    units = [DraftUnit(u.code, u.name, u.email, u.head_email) for u in known]
    seen = {u.code for u in units}
    for code in wanted:
        if code not in seen:
            party = draft.parties.get(code)
            units.append(DraftUnit(code, party.name if party else code))
    return tuple(units)
