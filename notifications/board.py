"""The leaders' board as data: header facts, the late list, at-risk items and the unit matrix."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import cast

from models.deadlines import Deadline, DueKind
from models.evaluate import AssignmentStatus, done_percent, summarize, unacknowledged_count
from models.fields import display, figures_text, format_number
from models.moments import local_text
from models.plan import AssignmentRef, Plan
from models.statuses import Status

OTHER_UNITS = "Các đơn vị khác"
# An assignment still owed by a unit that has not said it has seen it ("Đã nhận nhiệm vụ" on
# its page, or a coordinator's `dondoc acknowledge`). Not "Chưa mở": opening the page records
# nothing (a mail scanner opens links too), only the acknowledgement does.
NOT_ACKNOWLEDGED = "Chưa báo nhận"


@dataclass(frozen=True)
class Look:
    """How a status is shown: a symbol and a short label (never colour alone), and colours."""

    symbol: str
    short: str
    fill: str  # background, #rrggbb; lightness alone still orders them in greyscale
    ink: str  # text colour on that background


# Okabe–Ito-inspired: no red/green pair; overdue is the darkest, settled ones blue or grey.
LOOKS: dict[Status, Look] = {
    Status.OVERDUE: Look("✕", "Quá hạn", "#b8360b", "#ffffff"),
    Status.AT_RISK: Look("!", "Nguy cơ", "#f0a30a", "#1f1300"),
    Status.DUE_SOON: Look("◔", "Sắp hạn", "#fbe79a", "#3d3000"),
    Status.NOT_DUE: Look("○", "Chưa hạn", "#f4f4f5", "#3f3f46"),
    Status.OPEN: Look("–", "Không hạn", "#ffffff", "#52525b"),
    Status.DONE_LATE: Look("✓", "Nộp trễ", "#9ecae9", "#0b2a40"),
    Status.DONE_ON_TIME: Look("✓", "Đã nộp", "#dbeefb", "#0b3a5c"),
    Status.WAIVED: Look("≡", "Miễn", "#e4e4e7", "#3f3f46"),
    Status.RETURNED: Look("↩", "Trả lại", "#cc79a7", "#2b0a1f"),
    Status.IN_REVIEW: Look("⧗", "Chờ duyệt", "#d5ece4", "#0b3d2e"),
}


@dataclass(frozen=True)
class Header:
    plan_title: str
    meeting: str  # dd/mm/yyyy of the event (`on` deadline), "" if the plan has none
    as_of: str  # dd/mm/yyyy HH:MM, plan-local
    days_left: int | None  # whole days from the as-of day to the meeting day
    done: int  # settled: delivered (on time or late) or waived
    total: int
    percent: int  # done of total, rounded (models.evaluate.done_percent)
    # Assignments whose deadline an extension moved, counted apart so that on-time rates stay
    # honest, and how many of them are done (on time by the new date, or late even so)
    extended: int = 0
    extended_done: int = 0
    # Assignments still owed by a unit that has not said it has seen them (who to call first)
    unacknowledged: int = 0


@dataclass(frozen=True)
class Line:
    """One assignment as a row of a list: who owes what to whom, by when, and where it stands."""

    deliverable: str
    unit: str
    unit_name: str
    title: str
    recipient: str
    deadline: str
    status: Status
    submitted: str
    days_late: int | None
    waiting_on: tuple[str, ...] = ()  # overdue prerequisites ("title — unit"), for at-risk ones
    figures: str = ""  # figures sent with the arrival: "Số đại biểu dự gặp mặt: 16"
    # "Đã nhận việc 06/03/2023 09:30" or "Chưa báo nhận" while owed; "" once settled
    acknowledged: str = ""

    @property
    def look(self) -> Look:
        return LOOKS[self.status]


@dataclass(frozen=True)
class Cell:
    deliverable: str
    status: Status
    submitted: str
    hint: str  # the title attribute: full label, deadline or submission time
    figures: str = ""  # the values sent with the arrival, shown in the cell: "16"

    @property
    def look(self) -> Look:
        return LOOKS[self.status]


@dataclass(frozen=True)
class Column:
    deliverable: str
    title: str
    delivered: int
    total: int


@dataclass(frozen=True)
class Row:
    unit: str
    unit_name: str
    cells: tuple[Cell | None, ...]  # aligned with the section's columns; None: owes nothing


@dataclass(frozen=True)
class Section:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class RiskGroup:
    """At-risk assignments of one deliverable that wait on the same overdue work."""

    deliverable: str
    title: str
    deadline: str
    units: tuple[str, ...]
    unit_names: tuple[str, ...]
    waiting_on: tuple[str, ...]  # per late unit: "Huyện ủy Vũ Quang (2 việc)"


@dataclass(frozen=True)
class FigureTotal:
    """The sum of one numeric field over the arrivals that stand (e.g. the seat count)."""

    deliverable: str
    title: str  # the deliverable's
    label: str  # the field's
    total: str  # formatted the Vietnamese way: 1.234
    reported: int  # units whose standing arrival carries the figure
    owing: int  # units that owe the deliverable
    missing: tuple[str, ...]  # names of units not yet counted
    # names of units whose stored figure cannot be read (not counted, named apart)
    unusable: tuple[str, ...] = ()


@dataclass(frozen=True)
class BoardView:
    header: Header
    late: tuple[Line, ...]  # overdue, most days late first
    at_risk: tuple[Line, ...]  # waiting on something overdue, plan order
    sections: tuple[Section, ...]
    lines: tuple[Line, ...]  # every assignment, plan order
    summary: tuple[tuple[Status, int], ...]  # count per status, most urgent first, zeros left out
    risk_groups: tuple[RiskGroup, ...] = ()  # at_risk, grouped for reading
    figures: tuple[FigureTotal, ...] = ()  # totals of the numeric fields deliverables collect


def board_view(
    plan: Plan,
    statuses: Sequence[AssignmentStatus],
    as_of: datetime,
    matrix_units: Set[str] | None = None,
) -> BoardView:
    """What the board shows at `as_of`, from `evaluate(plan, submissions, as_of)`; with
    `matrix_units`, the matrix has only their rows (a part of a large board's matrix)."""
    blockers = {s.ref: s.waiting_on for s in statuses}
    lines = tuple(_line(plan, s, s.waiting_on) for s in statuses)
    # Overdue, and returned past the deadline in force: both owe work that is late.
    late = sorted((x for x in lines if _late(x)), key=lambda x: -(x.days_late or 0))
    at_risk = tuple(x for x in lines if x.status is Status.AT_RISK)
    summary = tuple((status, n) for status, n in summarize(statuses).items() if n)
    header = _header(plan, statuses, as_of)
    groups = risk_groups(plan, at_risk, blockers)
    sections = _sections(plan, statuses, matrix_units)
    figures = figure_totals(plan, statuses)
    return BoardView(header, tuple(late), at_risk, sections, lines, summary, groups, figures)


def figure_totals(plan: Plan, statuses: Sequence[AssignmentStatus]) -> tuple[FigureTotal, ...]:
    """Per numeric field of each deliverable: the total so far and who is not counted yet."""
    by_deliverable: dict[str, list[AssignmentStatus]] = {}
    for item in statuses:
        by_deliverable.setdefault(item.deliverable, []).append(item)
    totals = []
    for code, deliverable in plan.deliverables.items():
        items = by_deliverable.get(code, [])
        for name, field in deliverable.fields.items():
            if not field.type.summable:
                continue
            counted = [s for s in items if name in s.data]
            total = sum(_figure(s.data[name]) for s in counted)
            broken = tuple(plan.unit_name(s.unit) for s in items if name in s.unusable)
            missing = tuple(
                plan.unit_name(s.unit)
                for s in items
                if name not in s.data and name not in s.unusable
            )
            totals.append(
                FigureTotal(
                    code,
                    deliverable.title,
                    field.label,
                    format_number(total),
                    len(counted),
                    len(items),
                    missing,
                    broken,
                )
            )
    return tuple(totals)


def _figure(value: object) -> float:
    """A summable figure as stored: an int or a float, checked by its field when recorded."""
    return float(cast(float, value))


def risk_groups(
    plan: Plan,
    at_risk: Sequence[Line],
    blockers: dict[AssignmentRef, tuple[AssignmentRef, ...]],
) -> tuple[RiskGroup, ...]:
    """One group per deliverable and set of overdue blockers, named by the late units."""
    grouped: dict[tuple[str, tuple[AssignmentRef, ...]], list[Line]] = {}
    for line in at_risk:
        key = (line.deliverable, blockers[AssignmentRef(line.deliverable, line.unit)])
        grouped.setdefault(key, []).append(line)
    result = []
    for (code, waits), lines in grouped.items():
        per_unit: dict[str, int] = {}
        for ref in waits:
            per_unit[ref.unit] = per_unit.get(ref.unit, 0) + 1
        names = tuple(
            plan.unit_name(u) + (f" ({n} việc)" if n > 1 else "") for u, n in per_unit.items()
        )
        first = lines[0]
        units = tuple(x.unit for x in lines)
        unit_names = tuple(x.unit_name for x in lines)
        result.append(RiskGroup(code, first.title, first.deadline, units, unit_names, names))
    return tuple(result)


def meeting_day(plan: Plan) -> date | None:
    """The day of the plan's event: the first deliverable whose own deadline is `on` a day."""
    for deliverable in plan.deliverables.values():
        deadline = deliverable.deadline
        if deadline and deadline.kind is DueKind.ON and not deadline.inferred:
            return deadline.written
    return None


def _header(plan: Plan, statuses: Sequence[AssignmentStatus], as_of: datetime) -> Header:
    meeting = meeting_day(plan)
    today = as_of.astimezone(plan.tz).date()
    return Header(
        plan_title=plan.title,
        meeting=meeting.strftime("%d/%m/%Y") if meeting else "",
        as_of=local_text(as_of, plan.tz),
        days_left=(meeting - today).days if meeting else None,
        done=sum(1 for s in statuses if s.status.is_settled),
        total=len(statuses),
        percent=round(done_percent(statuses)),
        extended=sum(1 for s in statuses if s.extended),
        extended_done=sum(1 for s in statuses if s.extended and s.status.is_done),
        unacknowledged=unacknowledged_count(statuses),
    )


def _late(line: Line) -> bool:
    return line.status is Status.OVERDUE or (
        line.status is Status.RETURNED and line.days_late is not None
    )


def _line(plan: Plan, item: AssignmentStatus, blockers: Sequence[AssignmentRef]) -> Line:
    deliverable = plan.deliverables[item.deliverable]
    return Line(
        deliverable=item.deliverable,
        unit=item.unit,
        unit_name=plan.unit_name(item.unit),
        title=deliverable.title,
        recipient=plan.unit_name(deliverable.to) if deliverable.to else "",
        deadline=deadline_label(item.deadline) if item.deadline else item.deadline_text(),
        status=item.status,
        submitted=local_text(item.submitted_at, plan.tz),
        days_late=item.days_late,
        waiting_on=tuple(
            f"{plan.deliverables[d].title} — {plan.unit_name(u)}" for d, u in blockers
        ),
        figures=figures_text(deliverable.fields, item.data, item.unusable),
        acknowledged=acknowledgement_label(item, plan),
    )


def acknowledgement_label(item: AssignmentStatus, plan: Plan) -> str:
    """Whether the unit has said it has seen what it still owes: "Đã nhận việc 06/03/2023
    09:30" or "Chưa báo nhận"; "" once nothing is owed (delivered, excused, in review)."""
    if not item.status.awaits_unit:
        return ""
    if item.acknowledged_at is None:
        return NOT_ACKNOWLEDGED
    return f"Đã nhận việc {local_text(item.acknowledged_at, plan.tz)}"


@lru_cache(maxsize=4_096)
def deadline_label(deadline: Deadline) -> str:
    """`deadline.label()`, once per deadline: every unit of a deliverable shares one, and the
    dates' strftime was most of a 100k board's time."""
    return deadline.label()


def section_units(plan: Plan) -> list[tuple[str, list[str]]]:
    """(title, unit codes) per plan group in plan order, then the units in no group; a unit in
    several groups shows in the first; units that owe nothing are left out."""
    owing = {ref.unit for ref in plan.assignments}
    placed: set[str] = set()
    sections: list[tuple[str, list[str]]] = []
    for name, members in plan.groups.items():
        units = [u for u in members if u in owing and u not in placed]
        placed.update(units)
        sections.append((f"{plan.group_title(name)} ({len(units)} đơn vị)", units))
    sections.append((OTHER_UNITS, [u for u in plan.units if u in owing and u not in placed]))
    return [(title, units) for title, units in sections if units]


def _sections(
    plan: Plan, statuses: Sequence[AssignmentStatus], shown: Set[str] | None
) -> tuple[Section, ...]:
    by_unit: dict[str, dict[str, AssignmentStatus]] = {}
    for item in statuses:
        by_unit.setdefault(item.unit, {})[item.deliverable] = item
    sections = section_units(plan)
    if shown is not None:
        sections = [(title, [u for u in units if u in shown]) for title, units in sections]
    return tuple(_section(plan, title, units, by_unit) for title, units in sections if units)


def _section(
    plan: Plan, title: str, units: list[str], by_unit: dict[str, dict[str, AssignmentStatus]]
) -> Section:
    owed = {code for u in units for code in by_unit.get(u, {})}
    codes = [code for code in plan.deliverables if code in owed]
    rows = tuple(
        Row(u, plan.unit_name(u), tuple(_cell(plan, by_unit[u].get(c)) for c in codes))
        for u in units
    )
    columns = []
    for index, code in enumerate(codes):
        cells = [row.cells[index] for row in rows if row.cells[index] is not None]
        delivered = sum(1 for cell in cells if cell and cell.status.is_done)
        columns.append(Column(code, plan.deliverables[code].title, delivered, len(cells)))
    return Section(title, tuple(columns), rows)


def _cell(plan: Plan, item: AssignmentStatus | None) -> Cell | None:
    if item is None:
        return None
    submitted = local_text(item.submitted_at, plan.tz)
    hint = item.status.label
    if submitted:
        hint += f" — nộp lúc {submitted}"
    elif item.deadline:
        hint += f" — hạn {deadline_label(item.deadline)}"
    elif item.pending_deadline:
        hint += f" — hạn {item.pending_deadline}"
    if submitted and item.deadline and item.extended:  # on time by a new date, not the plan's
        hint += f" — {item.deadline.extension_label()}"
    if item.status is Status.RETURNED:
        hint += f" — lý do: {item.return_note}"
    if item.is_overdue and item.days_late:
        hint += f" — quá {item.days_late} ngày"
    acknowledged = acknowledgement_label(item, plan)
    if acknowledged:
        hint += f" — {acknowledged.lower()}"
    fields = plan.deliverables[item.deliverable].fields
    figures = figures_text(fields, item.data, item.unusable)
    if figures:
        hint += f" — {figures}"
    values = ", ".join(display(f, item.data[n]) for n, f in fields.items() if n in item.data)
    values += " ⚠" if item.unusable else ""  # the hint says which figure cannot be read
    return Cell(item.deliverable, item.status, submitted, hint, values)
