"""The board says who has not even taken its task in: a header count, a column of the late
table (page and workbook), the matrix cell's hint; nothing about what is no longer owed."""

from __future__ import annotations

from io import BytesIO

import openpyxl

from models.evaluate import evaluate
from models.submissions import Submission, SubmissionKind
from notifications.board import NOT_ACKNOWLEDGED, board_view
from notifications.board_html import render_board_html
from notifications.board_xlsx import workbook_bytes
from tests.builders import build, deliverable, local
from tests.html_pages import elements, parse_html, text_content

PLAN = build([deliverable("report", "group:huyen", to="vp", due={"before": "2023-03-09"})])
AS_OF = local(2023, 3, 10, 9)


def history() -> list[Submission]:
    """d1 acknowledged by phone on 06/03, d2 delivered, d3 silent."""
    seen, arrived = local(2023, 3, 6, 9, 30), local(2023, 3, 8, 15)
    return [
        Submission(
            1, "report", "d1", SubmissionKind.ACKNOWLEDGED, seen, seen, data={"source": "web"}
        ),
        Submission(2, "report", "d2", SubmissionKind.RECEIVED, arrived, arrived),
    ]


def view_at(as_of=AS_OF, submissions=None):
    rows = history() if submissions is None else submissions
    return board_view(PLAN, evaluate(PLAN, rows, as_of), as_of)


def test_each_owed_line_says_whether_the_unit_has_taken_its_task_in():
    lines = {line.unit: line.acknowledged for line in view_at().lines}
    assert lines == {"d1": "Đã nhận việc 06/03/2023 09:30", "d2": "", "d3": NOT_ACKNOWLEDGED}
    assert view_at().header.unacknowledged == 1


def test_a_look_back_before_the_acknowledgement_shows_it_not_given():
    earlier = view_at(local(2023, 3, 6, 9))
    assert {line.unit: line.acknowledged for line in earlier.lines}["d1"] == NOT_ACKNOWLEDGED


def test_the_late_table_has_a_column_for_it_and_the_header_counts_the_silent():
    page = parse_html(render_board_html(view_at()))
    headings = [text_content(th) for th in elements(page, "//section[@id='late']//th")]
    assert headings[-1] == "Nhận việc"
    cells = {
        row.get("data-unit"): text_content(elements(row, "td[last()]")[0])
        for row in elements(page, "//tr[contains(@class, 'late-row')]")
    }
    assert cells == {"d1": "Đã nhận việc 06/03/2023 09:30", "d3": NOT_ACKNOWLEDGED}
    (fact,) = elements(page, "//div[contains(@class, 'unacknowledged-fact')]")
    assert " ".join(text_content(fact).split()) == "Chưa báo nhận việc: 1 phân công còn phải nộp"


def test_the_matrix_cell_hint_says_it_too():
    hints = {
        row.unit: cell.hint
        for s in view_at().sections
        for row in s.rows
        for cell in row.cells
        if cell
    }
    assert hints["d1"].endswith("— đã nhận việc 06/03/2023 09:30")
    assert hints["d3"].endswith("— chưa báo nhận")
    assert "nhận việc" not in hints["d2"] and "báo nhận" not in hints["d2"]


def test_a_board_where_nothing_is_owed_says_nothing_about_it():
    arrived = local(2023, 3, 8)
    done = [Submission(n, "report", u, SubmissionKind.RECEIVED, arrived, arrived) for n, u in
            enumerate(["d1", "d2", "d3"], start=1)]  # fmt: skip
    view = view_at(submissions=done)
    assert view.header.unacknowledged == 0
    assert "Chưa báo nhận việc" not in render_board_html(view)


def test_the_workbook_has_the_column_in_the_late_sheet_and_the_whole_list():
    book = openpyxl.load_workbook(BytesIO(workbook_bytes(view_at())))
    late = list(book["Quá hạn"].iter_rows(values_only=True))
    assert late[0][-1] == "Nhận việc"
    assert {row[1]: row[-1] for row in late[1:]} == {
        "Đơn vị d1": "Đã nhận việc 06/03/2023 09:30",
        "Đơn vị d3": NOT_ACKNOWLEDGED,
    }
    every = list(book["Tất cả"].iter_rows(values_only=True))
    assert every[0][-1] == "Nhận việc" and every[2][-1] is None  # d2 delivered: nothing said
