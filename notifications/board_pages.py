"""The unit matrix of a board too large to show whole: parts of whole unit rows, a summary per
group, and which part holds which units (the served page shows one part at a time)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from models.errors import InvalidInputError
from models.evaluate import AssignmentStatus
from models.plan import Plan
from models.statuses import Status
from notifications.board import section_units

NAV_AROUND = 2  # parts linked on each side of the current one; the first and last always


@dataclass(frozen=True)
class GroupSummary:
    """How one group of the matrix stands, whichever part is shown."""

    title: str
    units: int
    assignments: int
    overdue: int
    at_risk: int
    done: int  # delivered, on time or late
    parts: tuple[int, ...]  # the parts (1-based) that hold its units


@dataclass(frozen=True)
class MatrixPart:
    """Part `number` of `parts`: the units shown (positions first_unit–last_unit, 1-based, of
    `units` in the matrix's order), out of `cells` cells in all."""

    number: int
    parts: int
    first_unit: int
    last_unit: int
    units: int
    cells: int
    shown: frozenset[str]  # the unit codes of this part
    groups: tuple[GroupSummary, ...]
    nav: tuple[int | None, ...]  # the parts to link, None for a gap (…)


@dataclass(frozen=True)
class MatrixLayout:
    """The matrix's sections in board order, and where each part begins, as a position in
    its unit order (whole unit rows; (0,) when the whole matrix is one part)."""

    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (title, unit codes)
    starts: tuple[int, ...]

    @property
    def parts(self) -> int:
        return len(self.starts)

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(unit for _, units in self.sections for unit in units)


def matrix_layout(plan: Plan, cells_per_part: int) -> MatrixLayout:
    """Parts of at most `cells_per_part` cells (a unit owing more has a part to itself)."""
    sections = tuple((title, tuple(units)) for title, units in section_units(plan))
    owed = Counter(ref.unit for ref in plan.assignments)
    starts, filled = [0], 0
    units = (unit for _, members in sections for unit in members)
    for position, unit in enumerate(units):
        if filled and filled + owed[unit] > cells_per_part:
            starts.append(position)
            filled = 0
        filled += owed[unit]
    return MatrixLayout(sections, tuple(starts))


def matrix_part(
    layout: MatrixLayout, statuses: Sequence[AssignmentStatus], number: int
) -> MatrixPart:
    """Part `number` (1-based) of the matrix; InvalidInputError if there is none."""
    check_part(layout, number)
    order = layout.order
    begin = layout.starts[number - 1]
    end = layout.starts[number] if number < layout.parts else len(order)
    return MatrixPart(
        number=number,
        parts=layout.parts,
        first_unit=begin + 1,
        last_unit=end,
        units=len(order),
        cells=len(statuses),
        shown=frozenset(order[begin:end]),
        groups=group_summaries(layout, statuses),
        nav=part_links(number, layout.parts),
    )


def check_part(layout: MatrixLayout, number: int) -> None:
    """InvalidInputError unless the matrix has a part `number`."""
    if not 1 <= number <= layout.parts:
        raise InvalidInputError(
            f"Không có phần {number} của ma trận: bảng này có {layout.parts} phần "
            f"(1–{layout.parts})."
        )


def group_summaries(
    layout: MatrixLayout, statuses: Sequence[AssignmentStatus]
) -> tuple[GroupSummary, ...]:
    """Per section of the matrix: its units, their assignments by how they stand, its parts."""
    by_unit: dict[str, Counter[Status]] = {}
    for item in statuses:
        by_unit.setdefault(item.unit, Counter())[item.status] += 1
    summaries, position = [], 0
    for title, units in layout.sections:
        counts: Counter[Status] = Counter()
        for unit in units:
            counts.update(by_unit.get(unit, Counter()))
        first = part_of(position, layout.starts)
        last = part_of(position + len(units) - 1, layout.starts)
        position += len(units)
        summaries.append(
            GroupSummary(
                title=title,
                units=len(units),
                assignments=sum(counts.values()),
                overdue=counts[Status.OVERDUE],
                at_risk=counts[Status.AT_RISK],
                done=sum(n for status, n in counts.items() if status.is_done),
                parts=tuple(range(first, last + 1)),
            )
        )
    return tuple(summaries)


def part_of(position: int, starts: Sequence[int]) -> int:
    """The part (1-based) holding the unit at `position`."""
    return sum(1 for start in starts if start <= position)


def part_links(number: int, parts: int) -> tuple[int | None, ...]:
    """The first and last part, those within NAV_AROUND of `number`, and None for each gap of
    more than one part."""
    wanted = sorted(
        {1, parts} | set(range(max(1, number - NAV_AROUND), min(parts, number + NAV_AROUND) + 1))
    )
    links: list[int | None] = []
    for part in wanted:
        previous = links[-1] if links else part - 1
        assert previous is not None  # a gap is always followed by a part
        if part - previous == 2:
            links.append(part - 1)  # a gap of one part: link it rather than say "…"
        elif part - previous > 2:
            links.append(None)
        links.append(part)
    return tuple(links)
