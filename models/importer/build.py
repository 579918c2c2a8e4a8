"""From a document's paragraphs to a draft plan: tasks, owners, recipients, deadlines, edges."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from models.importer import dependencies
from models.importer.deadlines import (
    DeadlinePhrase,
    DueKind,
    document_year,
    find_deadlines,
    stray_dates,
)
from models.importer.model import DraftDeliverable, DraftDue, DraftPlan, DraftUnit
from models.importer.names import fold
from models.importer.parties import (
    Party,
    Reading,
    directory,
    read_directed,
    read_heading,
    read_recipient,
)
from models.importer.problems import Note, NoteKind
from models.importer.registry import Registry, RegistryFile, choose_registry
from models.importer.sections import Layout, Task, read_layout
from models.importer.text import Paragraph
from models.importer.titles import code_of, event_title, plan_code, title_of

_AFTER_EVENT = re.compile(r"^sau (?:khi )?(?:buoi |cuoc )?(?:gap mat|hoi nghi|le |su kien|dai hoi)")
_NUMBERING = re.compile(r"^\s*(?:\d+|[a-z])\s*[.)]\s+")


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
    headings = {t.heading: read_heading(t.heading, registry) for t in layout.tasks}
    draft = _Draft(
        year or document_year(text),
        year is not None,
        registry,
        directory(registry, [r.party for r in headings.values()]),
    )
    deliverables = [
        _deliverable(task, draft.meet(headings[task.heading]), draft) for task in layout.tasks
    ]
    deliverables += _outside_event(layout, deliverables, draft)
    _unplaced_loose(layout, draft)
    coordinator = _coordinator(deliverables, draft)
    deliverables = [_event_owner(d, coordinator, draft) for d in deliverables]
    with_edges, edge_notes = dependencies.propose(tuple(deliverables))
    draft.notes.extend(edge_notes)
    the_code = code or plan_code(layout.title, draft.year)
    if code is None:
        draft.note(NoteKind.GUESSED, "plan", "code", "mã kế hoạch đề xuất từ tên kế hoạch", 0)
    return _assemble(the_code, layout, source, with_edges, coordinator, draft)


def _deliverable(task: Task, heading: Party, draft: _Draft) -> DraftDeliverable:
    """One task as a deliverable: its owner (or the unit it directs), recipient, deadline."""
    title = title_of(task.text)
    code = code_of(title, draft.codes)
    draft.codes.add(code)
    owner = heading
    directed = read_directed(task.text, draft.names)
    if directed is not None and directed.code != heading.code:
        owner = draft.meet(Reading(directed))
        message = f"“{heading.name}” chỉ đạo; đơn vị làm việc này là {directed.code}"
        draft.note(NoteKind.GUESSED, code, "owner", message, task.line)
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
    readings = [r for r in read_recipient(text, draft.names) if not r.party.is_group]
    if not readings:
        return None
    if len(readings) > 1:
        named = ", ".join(r.party.code for r in readings)
        message = f"nhiều nơi nhận ({named}); tạm ghi {readings[0].party.code}"
        draft.note(NoteKind.AMBIGUOUS, code, "to", message, line)
    return draft.meet(readings[0]).code


def _due(text: str, code: str, line: int, draft: _Draft) -> DraftDue | None:
    """The deadline of a task; two different ones are kept as an ambiguity, never merged."""
    phrases = find_deadlines(text, draft.year)
    for phrase in (p for p in phrases if p.when is None):
        hint = " (dùng --year)" if phrase.problem == "không rõ năm" else ""
        draft.note(
            NoteKind.UNPLACED, code, "due", f"“{phrase.phrase}”: {phrase.problem}{hint}", line
        )
    for stray in stray_dates(text, phrases):
        message = f"“{stray.phrase}”: có ngày nhưng không rõ là hạn gì"
        draft.note(NoteKind.UNPLACED, code, "due", message, line)
    readable = _distinct([p for p in phrases if p.when is not None])
    if not readable:
        return None
    chosen = min(readable, key=lambda p: (p.day, p.kind is not DueKind.BEFORE))
    if len(readable) > 1:
        listed = "; ".join(f"“{p.phrase}”" for p in readable)
        message = f"một ý có {len(readable)} hạn khác nhau: {listed}; tạm ghi hạn sớm nhất"
        draft.note(NoteKind.AMBIGUOUS, code, "due", message, line)
    if not chosen.year_given and not draft.year_written:
        message = f"“{chosen.phrase}” không ghi năm; lấy năm {draft.year} của văn bản"
        draft.note(NoteKind.GUESSED, code, "due", message, line)
    assert chosen.when is not None
    return DraftDue(chosen.kind, chosen.when, chosen.phrase)


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
    others = {p.when for _, p in found} - {phrase.when}
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
