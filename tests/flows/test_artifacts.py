"""Artifact contents of a tracking run: pure functions, no server."""

from __future__ import annotations

import re

import pytest

from flows.artifacts import (
    COLUMNS,
    artifact_key,
    escape_markdown,
    late_rows,
    summary_markdown,
)
from models.evaluate import AssignmentStatus, done_percent, evaluate
from models.plan import Plan
from models.submissions import Submission, SubmissionKind
from tests.builders import build, deliverable, local

AS_OF = local(2023, 3, 10, 9)
TRICKY = "Ban <b>A</b> | *B* [c](x) _d_ `e`"


def tricky_plan() -> tuple[Plan, list[AssignmentStatus]]:
    """A plan whose unit and deliverable names are full of Markdown and HTML syntax."""
    plan = build(
        [
            deliverable("invite", due={"before": "2023-03-05"}, title=TRICKY),
            deliverable("report", "group:huyen", due={"before": "2023-03-09"}, after=["invite"]),
            deliverable("meeting", due={"on": "2023-03-22"}, after=["report"]),
        ],
        units=[
            {"code": "vp", "name": TRICKY, "email": "vp@x.example"},
            *({"code": c, "name": f"Huyện {c}", "email": f"{c}@x.example"} for c in "abc"),
        ],
        groups={"huyen": ["a", "b", "c"]},
    )
    arrived = local(2023, 3, 8)
    submissions = [Submission(1, "report", "a", SubmissionKind.RECEIVED, arrived, arrived)]
    return plan, evaluate(plan, submissions, AS_OF)


@pytest.mark.parametrize(
    ("code", "key"),
    [("gap-mat-2023", "gap-mat-2023-late"), ("Gap_Mat 2023", "gap-mat-2023-late")],
)
def test_artifact_keys_keep_to_what_prefect_accepts(code, key) -> None:
    assert artifact_key(code, "late") == key
    assert re.fullmatch(r"[a-z0-9-]+", artifact_key(code, "late"))


def test_escaped_markdown_shows_no_tags_and_no_unescaped_syntax() -> None:
    escaped = escape_markdown(TRICKY)
    assert "<" not in escaped and ">" not in escaped
    assert re.search(r"(?<!\\)[|*_`\[\]]", escaped) is None


def test_late_rows_are_the_overdue_then_at_risk_with_vietnamese_columns() -> None:
    plan, statuses = tricky_plan()
    rows = late_rows(plan, statuses)
    assert all(tuple(row) == COLUMNS for row in rows)
    tricky = escape_markdown(TRICKY)  # the Prefect UI renders string cells as Markdown
    assert [(row["Đơn vị"], row["Trạng thái"], row["Số ngày trễ"]) for row in rows] == [
        (tricky, "Quá hạn", 6),  # 5 days 9 hours: a started day counts
        ("Huyện b", "Quá hạn", 2),
        ("Huyện c", "Quá hạn", 2),
        (tricky, "Có nguy cơ chậm", ""),
    ]
    assert rows[1]["Hạn"] == "trước ngày 09/03/2023"
    assert rows[0]["Nhiệm vụ"] == escape_markdown(f"{TRICKY} (invite)")


def test_progress_counts_the_delivered_and_the_waived() -> None:
    _, statuses = tricky_plan()
    assert done_percent(statuses) == pytest.approx(100 * 1 / 5, abs=0.1)
    assert done_percent([]) == 100.0


def test_the_summary_counts_statuses_and_lists_late_units_escaped() -> None:
    plan, statuses = tricky_plan()
    text = summary_markdown(plan, statuses, AS_OF)
    assert "| Quá hạn | 3 |" in text and "| Có nguy cơ chậm | 1 |" in text
    assert f"- **{escape_markdown(TRICKY)}**" in text
    assert TRICKY not in text
    assert "10/03/2023 09:00" in text


def test_the_summary_gives_the_seat_count_so_far(seed) -> None:
    plan = seed.plan
    arrived = local(2023, 3, 8)
    submissions = [
        Submission(n, "bc-huyen", unit, SubmissionKind.RECEIVED, arrived, arrived, data=data)
        for n, (unit, data) in enumerate(
            [
                ("ky-anh", {"so_dai_bieu": 500}),  # the field's maximum
                ("can-loc", {"so_dai_bieu": 500}),
                ("thach-ha", {"so_dai_bieu": 234}),
                ("loc-ha", {}),
            ]
        )
    ]
    text = summary_markdown(plan, evaluate(plan, submissions, AS_OF), AS_OF)
    assert "- **Số đại biểu dự gặp mặt**: 1.234 (3/13 đơn vị đã báo)" in text
    assert "Số liệu" not in summary_markdown(*tricky_plan(), AS_OF)
