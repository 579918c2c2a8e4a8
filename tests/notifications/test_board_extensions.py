"""The board counts extended assignments apart and shows both deadlines."""

from __future__ import annotations

from models.evaluate import evaluate
from models.submissions import Submission, SubmissionKind
from notifications.board import board_view
from notifications.board_html import render_board_html
from tests.builders import build, deliverable, local

PLAN = build([deliverable("report", "group:huyen", to="vp", due={"before": "2023-03-09"})])
UNTIL_12 = {"due_kind": "by", "due": "2023-03-12"}


def rows(*units: str) -> list[Submission]:
    granted = local(2023, 3, 8, 10)
    found = [
        Submission(n, "report", u, SubmissionKind.EXTENDED, granted, granted, data=UNTIL_12)
        for n, u in enumerate(units, start=1)
    ]
    arrived = local(2023, 3, 11, 9)
    return [*found, Submission(9, "report", "d1", SubmissionKind.RECEIVED, arrived, arrived)]


def view_at(as_of, submissions):
    return board_view(PLAN, evaluate(PLAN, submissions, as_of), as_of)


def test_the_header_counts_extended_assignments_and_those_done_apart():
    view = view_at(local(2023, 3, 11, 10), rows("d1", "d2"))
    assert (view.header.done, view.header.extended, view.header.extended_done) == (1, 2, 1)
    html = render_board_html(view)
    assert "Được gia hạn:" in html and "(1 đã nộp)" in html


def test_the_deadline_cell_says_the_new_date_and_the_original_one():
    view = view_at(local(2023, 3, 11, 10), rows("d1", "d2"))
    by_unit = {line.unit: line for line in view.lines}
    assert by_unit["d2"].deadline == "gia hạn đến 12/03/2023 (hạn gốc: trước ngày 09/03/2023)"
    assert by_unit["d3"].deadline == "trước ngày 09/03/2023"
    (cell,) = [c for s in view.sections for r in s.rows if r.unit == "d1" for c in r.cells]
    assert cell is not None and "gia hạn đến 12/03/2023" in cell.hint


def test_a_board_without_extensions_says_nothing_about_them():
    view = view_at(local(2023, 3, 11, 10), rows())
    assert view.header.extended == 0
    assert "Được gia hạn" not in render_board_html(view)
