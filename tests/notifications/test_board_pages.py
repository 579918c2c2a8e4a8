"""A large board's matrix in parts: whole unit rows, at most so many cells a part, a summary of
every group whichever part is shown, and links to the parts around."""

from __future__ import annotations

import pytest

from models.errors import InvalidInputError
from models.evaluate import evaluate
from notifications.board import board_view
from notifications.board_pages import check_part, matrix_layout, matrix_part, part_links
from tests.builders import DISTRICTS, build, deliverable, local

# Three districts owing 4 reports each (12 cells), the office 1 (in no group): 13 cells.
PLAN = build(
    [deliverable(f"r{n}", "group:huyen", due={"before": "2023-03-09"}) for n in range(4)]
    + [deliverable("tong-hop", due={"before": "2023-03-12"})]
)
MORNING = local(2023, 3, 10, 9)


@pytest.mark.parametrize(
    ("cells", "starts"),
    [
        (13, (0,)),  # fits whole
        (12, (0, 3)),  # the three districts, then the office
        (8, (0, 2)),  # two districts (8 cells), then the third and the office (5)
        (5, (0, 1, 2)),  # one district a part, the office with the last one
        (3, (0, 1, 2, 3)),  # a unit owing more than a part holds has a part to itself
    ],
)
def test_parts_are_cut_between_whole_unit_rows(cells: int, starts: tuple[int, ...]) -> None:
    layout = matrix_layout(PLAN, cells)
    assert layout.starts == starts
    assert layout.order == (*DISTRICTS, "vp")


def test_a_part_lists_its_units_and_every_group_with_the_parts_that_hold_it() -> None:
    statuses = evaluate(PLAN, [], MORNING)
    layout = matrix_layout(PLAN, 5)
    part = matrix_part(layout, statuses, 2)
    assert (part.number, part.parts, part.first_unit, part.last_unit) == (2, 3, 2, 2)
    assert part.shown == {"d2"} and (part.units, part.cells) == (4, 13)
    districts, others = part.groups
    assert (districts.units, districts.assignments, districts.overdue) == (3, 12, 12)
    assert districts.parts == (1, 2, 3) and others.parts == (3,)
    assert (others.overdue, others.done) == (0, 0)
    view = board_view(PLAN, statuses, MORNING, part.shown)
    assert [row.unit for section in view.sections for row in section.rows] == ["d2"]
    assert len(view.late) == 12  # the late list stays whole


@pytest.mark.parametrize("number", [0, 4, -1])
def test_a_part_that_does_not_exist_is_refused_saying_how_many_there_are(number: int) -> None:
    with pytest.raises(InvalidInputError, match=r"bảng này có 3 phần \(1–3\)"):
        check_part(matrix_layout(PLAN, 5), number)


@pytest.mark.parametrize(
    ("number", "parts", "links"),
    [
        (1, 1, (1,)),
        (1, 3, (1, 2, 3)),
        (1, 10, (1, 2, 3, None, 10)),
        (4, 10, (1, 2, 3, 4, 5, 6, None, 10)),
        (5, 10, (1, 2, 3, 4, 5, 6, 7, None, 10)),  # 2 is linked, not a "…" of one part
        (6, 10, (1, None, 4, 5, 6, 7, 8, 9, 10)),
        (7, 10, (1, None, 5, 6, 7, 8, 9, 10)),
        (10, 10, (1, None, 8, 9, 10)),
    ],
)
def test_the_parts_linked_are_the_ends_and_those_around(
    number: int, parts: int, links: tuple[int | None, ...]
) -> None:
    assert part_links(number, parts) == links
