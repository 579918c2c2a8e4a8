"""The leaders' board agrees with evaluate: as data, as HTML parsed back, as XLSX read back."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from models.evaluate import AssignmentStatus, evaluate
from models.fields import parse_values
from models.files.arrivals_csv import read_arrivals_csv
from models.loader import LoadedPlan
from models.plan import Plan, Unit
from models.statuses import Status
from models.submissions import Submission, SubmissionKind
from notifications.board import LOOKS, board_view
from notifications.board_html import render_board_html
from notifications.board_xlsx import write_board_xlsx
from tests.paths import ROOT

ARRIVALS = ROOT / "plans" / "gap-mat-2023.arrivals.csv"
MOMENTS = [(2023, 3, 6, 9), (2023, 3, 10, 9), (2023, 3, 16, 12), (2023, 3, 23, 8)]


def demo(plan: Plan) -> list[Submission]:
    """The demo's arrivals with their figures (so_dai_bieu on the district reports)."""
    return [
        Submission(
            i,
            a.deliverable,
            a.unit,
            SubmissionKind.RECEIVED,
            a.received_at,
            a.received_at,
            data=parse_values(plan.deliverables[a.deliverable].fields, a.data, a.deliverable),
        )
        for i, a in enumerate(read_arrivals_csv(ARRIVALS, plan.tz))
    ]


def at(plan: Plan, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=plan.tz)


def statuses_at(
    seed: LoadedPlan, moment: tuple[int, ...]
) -> tuple[list[AssignmentStatus], datetime]:
    as_of = at(seed.plan, *moment)
    return evaluate(seed.plan, demo(seed.plan), as_of), as_of


class BoardParser(HTMLParser):
    """Late rows (unit, deliverable) and matrix cells {(unit, deliverable): status}."""

    def __init__(self) -> None:
        super().__init__()
        self.late: list[tuple[str, str]] = []
        self.cells: dict[tuple[str, str], str] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        key = (found.get("data-unit") or "", found.get("data-deliverable") or "")
        if tag == "tr" and "late-row" in classes:
            self.late.append(key)
        if tag == "td" and "cell" in classes:
            self.cells[key] = next(c[2:] for c in classes if c.startswith("s-"))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> BoardParser:
    parser = BoardParser()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("moment", MOMENTS)
def test_late_list_is_evaluates_overdue_set_most_days_late_first(seed, moment) -> None:
    statuses, as_of = statuses_at(seed, moment)
    view = board_view(seed.plan, statuses, as_of)
    overdue = {s.ref for s in statuses if s.status is Status.OVERDUE}
    assert {(x.deliverable, x.unit) for x in view.late} == overdue
    days = [x.days_late for x in view.late if x.days_late is not None]
    assert len(days) == len(view.late)  # an overdue line always counts its days late
    assert days == sorted(days, reverse=True)


def test_board_header_on_10_march_counts_the_seed_plan(seed) -> None:
    statuses, as_of = statuses_at(seed, (2023, 3, 10, 9))
    header = board_view(seed.plan, statuses, as_of).header
    assert (header.meeting, header.as_of, header.days_left) == (
        "22/03/2023",
        "10/03/2023 09:00",
        12,
    )
    assert header.total == len(seed.plan.assignments)
    assert header.done == sum(1 for s in statuses if s.status.is_settled)


def test_at_risk_items_name_the_overdue_work_they_wait_on(seed) -> None:
    statuses, as_of = statuses_at(seed, (2023, 3, 10, 9))
    view = board_view(seed.plan, statuses, as_of)
    assert {(x.deliverable, x.unit) for x in view.at_risk} == {
        s.ref for s in statuses if s.status is Status.AT_RISK
    }
    tong_hop = next(x for x in view.at_risk if x.deliverable == "tong-hop")
    assert any("Huyện ủy Vũ Quang" in name for name in tong_hop.waiting_on)
    assert all(x.waiting_on for x in view.at_risk)


def test_matrix_sections_follow_plan_groups_then_other_units(seed) -> None:
    statuses, as_of = statuses_at(seed, (2023, 3, 10, 9))
    sections = board_view(seed.plan, statuses, as_of).sections
    assert [len(s.rows) for s in sections] == [13, 5, 5]
    assert sections[-1].title == "Các đơn vị khác"
    bc_huyen = next(c for c in sections[0].columns if c.deliverable == "bc-huyen")
    assert (bc_huyen.delivered, bc_huyen.total) == (11, 13)


@pytest.mark.parametrize("moment", MOMENTS)
def test_html_agrees_with_evaluate(seed, moment) -> None:
    statuses, as_of = statuses_at(seed, moment)
    page = parsed(render_board_html(board_view(seed.plan, statuses, as_of)))
    assert sorted(page.late) == sorted(
        (s.unit, s.deliverable) for s in statuses if s.status is Status.OVERDUE
    )
    assert page.cells == {(s.unit, s.deliverable): s.status.value for s in statuses}


def test_html_is_self_contained_and_printable(seed) -> None:
    statuses, as_of = statuses_at(seed, (2023, 3, 10, 9))
    html = render_board_html(board_view(seed.plan, statuses, as_of))
    assert "@media print" in html and "http://" not in html and "https://" not in html
    assert "<script" not in html and "<link" not in html


def test_hostile_names_are_escaped_in_html(seed) -> None:
    plan = seed.plan
    hostile = "<script>alert(1)</script> {{ x }}"
    units = dict(plan.units)
    units["huong-khe"] = Unit("huong-khe", hostile)
    deliverables = dict(plan.deliverables)
    deliverables["bc-huyen"] = replace(deliverables["bc-huyen"], title=hostile)
    tainted = replace(plan, units=units, deliverables=deliverables, title=hostile)
    as_of = at(plan, 2023, 3, 10, 9)
    html = render_board_html(board_view(tainted, evaluate(tainted, demo(tainted), as_of), as_of))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ x }}" in html


@pytest.mark.parametrize("moment", MOMENTS)
def test_xlsx_agrees_with_evaluate(seed, moment, tmp_path: Path) -> None:
    statuses, as_of = statuses_at(seed, moment)
    view = board_view(seed.plan, statuses, as_of)
    book = openpyxl.load_workbook(write_board_xlsx(view, tmp_path / "board.xlsx"))
    assert book.sheetnames == ["Quá hạn", "Ma trận", "Tất cả", "Số liệu"]
    late = list(book["Quá hạn"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[5]) for r in late] == [
        (x.unit_name, x.title, x.days_late) for x in view.late
    ]
    assert len(late) == sum(1 for s in statuses if s.status is Status.OVERDUE)
    assert len(list(book["Tất cả"].iter_rows(min_row=2))) == len(statuses)
    for sheet in book:
        assert sheet.freeze_panes in ("A2", "C2") and sheet.auto_filter.ref


def test_xlsx_matrix_cells_carry_label_and_status_colour(seed, tmp_path: Path) -> None:
    statuses, as_of = statuses_at(seed, (2023, 3, 10, 9))
    view = board_view(seed.plan, statuses, as_of)
    sheet = openpyxl.load_workbook(write_board_xlsx(view, tmp_path / "b.xlsx"))["Ma trận"]
    rows = list(sheet.iter_rows())
    titles = [cell.value for cell in rows[0]]
    cell_at = {
        (row[1].value, title): cell
        for row in rows[1:]
        for title, cell in zip(titles, row, strict=True)
    }
    for item in statuses:
        title = seed.plan.deliverables[item.deliverable].title
        cell = cell_at[seed.plan.unit_name(item.unit), title]
        look = LOOKS[item.status]
        seats = item.data.get("so_dai_bieu")
        assert cell.value == f"{look.symbol} {look.short}" + (f" · {seats}" if seats else "")
        assert cell.fill.fgColor.rgb.endswith(look.fill.lstrip("#").upper())
    assert sheet.freeze_panes == "C2"


def test_seat_count_totals_the_districts_that_reported_by_then(seed) -> None:
    early = board_view(seed.plan, *statuses_at(seed, (2023, 3, 7, 17)))
    (seats,) = early.figures
    assert (seats.deliverable, seats.label) == ("bc-huyen", "Số đại biểu dự gặp mặt")
    assert (seats.total, seats.reported, seats.owing) == ("58", 4, 13)
    assert "Huyện ủy Hương Khê" in seats.missing and len(seats.missing) == 9
    final = board_view(seed.plan, *statuses_at(seed, (2023, 3, 22, 18)))
    assert (final.figures[0].total, final.figures[0].reported, final.figures[0].missing) == (
        "226",
        13,
        (),
    )


def test_an_undone_arrival_no_longer_counts_its_figures(seed) -> None:
    plan = seed.plan
    submissions = demo(plan)
    first = next(s for s in submissions if s.ref == ("bc-huyen", "tp-ha-tinh"))
    undo_at = at(plan, 2023, 3, 7, 12)
    undo = Submission(
        9999, "bc-huyen", "tp-ha-tinh", SubmissionKind.UNDO, undo_at, undo_at, undoes=first.id
    )
    as_of = at(plan, 2023, 3, 7, 17)
    view = board_view(plan, evaluate(plan, [*submissions, undo], as_of), as_of)
    assert first.data == {"so_dai_bieu": 16}
    assert (view.figures[0].total, view.figures[0].reported) == ("42", 3)


def test_figures_show_in_the_cells_the_page_and_the_workbook(seed, tmp_path: Path) -> None:
    statuses, as_of = statuses_at(seed, (2023, 3, 22, 18))
    view = board_view(seed.plan, statuses, as_of)
    cell = next(
        c
        for section in view.sections
        for row in section.rows
        if row.unit == "huong-khe"
        for c in row.cells
        if c and c.deliverable == "bc-huyen"
    )
    assert cell.figures == "19" and "Số đại biểu dự gặp mặt: 19" in cell.hint
    html = render_board_html(view)
    assert 'id="figures"' in html and "<b>226</b>" in html and "13/13 đơn vị đã báo" in html
    book = openpyxl.load_workbook(write_board_xlsx(view, tmp_path / "board.xlsx"))
    rows = list(book["Số liệu"].iter_rows(min_row=2, values_only=True))
    assert rows == [("Số đại biểu dự gặp mặt", view.figures[0].title, "226", "13/13", None, None)]
    every = {(r[0], r[1]): r[8] for r in book["Tất cả"].iter_rows(min_row=2, values_only=True)}
    assert every[("Huyện ủy Hương Khê", view.figures[0].title)] == "Số đại biểu dự gặp mặt: 19"


def test_sections_are_titled_by_the_plan_group_titles(seed) -> None:
    view = board_view(seed.plan, *statuses_at(seed, (2023, 3, 10, 9)))
    assert [s.title for s in view.sections] == [
        "Các huyện, thành, thị ủy (13 đơn vị)",
        "Các ban Đảng, Ủy ban Kiểm tra Tỉnh ủy (5 đơn vị)",
        "Các đơn vị khác",
    ]


def test_a_plan_without_figures_has_no_figures_section(seed) -> None:
    plan = seed.plan
    deliverables = {code: replace(d, fields={}) for code, d in plan.deliverables.items()}
    bare = replace(plan, deliverables=deliverables)
    as_of = at(plan, 2023, 3, 10, 9)
    view = board_view(bare, evaluate(bare, demo(plan), as_of), as_of)
    assert view.figures == () and 'id="figures"' not in render_board_html(view)
