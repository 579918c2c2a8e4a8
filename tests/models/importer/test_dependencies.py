"""Proposed dependencies never break the deadline order `plan check` enforces: an edge whose
prerequisite would be due after its dependent is not drafted, and is reported."""

from datetime import date

import pytest

from models.deadlines import Period
from models.importer.deadline_phrases import DueKind
from models.importer.dependencies import propose
from models.importer.model import DraftDeliverable, DraftDue

IN_2025 = DraftDue(DueKind.BY, date(2025, 12, 31), "trong năm 2025", Period.YEAR)
BEFORE_END = DraftDue(DueKind.BEFORE, date(2025, 12, 31), "trước ngày 31/12/2025")
BY_END = DraftDue(DueKind.BY, date(2025, 12, 31), "chậm nhất ngày 31/12/2025")
BY_NOV = DraftDue(DueKind.BY, date(2025, 11, 30), "chậm nhất ngày 30/11/2025")
BEFORE_NOV = DraftDue(DueKind.BEFORE, date(2025, 11, 30), "trước ngày 30/11/2025")


def task(code: str, due: DraftDue | None, bullet: int = 1) -> DraftDeliverable:
    return DraftDeliverable(code, code, "bo-xay-dung", f"{code} …", 1, bullet=bullet, due=due)


@pytest.mark.parametrize(
    ("work", "report", "kept"),
    [
        (IN_2025, BEFORE_END, False),  # the year ends after "trước ngày 31/12": tb-634
        (IN_2025, BY_END, True),  # both through 31/12
        (BY_NOV, BEFORE_END, True),
        (BY_END, BY_NOV, False),
        (BEFORE_NOV, BY_NOV, True),
        (None, BEFORE_END, True),  # undated work can still be done in time
        (IN_2025, None, True),
    ],
)
def test_a_work_and_its_report_wait_in_order_only_when_the_deadlines_allow(work, report, kept):
    drafted, notes = propose((task("work", work), task("report", report)))
    assert ("work" in drafted[1].after) is kept
    refused = [n for n in notes if "không đề xuất chờ work" in n.message]
    assert bool(refused) is not kept
    assert all(n.target == "report" and n.field == "after" for n in refused)


def test_an_edge_is_refused_when_what_its_prerequisite_waits_on_is_due_too_late():
    # one bullet: b waits on a; c waiting on b would make a (31/12) due after c (before 30/11)
    a, b, c = task("a", BY_END), task("b", None), task("c", BEFORE_NOV)
    drafted, notes = propose((a, b, c))
    assert (drafted[1].after, drafted[2].after) == (("a",), ())
    [refused] = [n for n in notes if n.target == "c"]
    assert "không đề xuất chờ b" in refused.message and "khi đó a (hạn chậm nhất" in refused.message


def test_a_refused_edge_says_which_deadlines_disagree():
    _, notes = propose((task("work", IN_2025), task("report", BEFORE_END)))
    [note] = [n for n in notes if n.field == "after"]
    assert note.message == (
        "không đề xuất chờ work (cùng một gạch đầu dòng, làm sau ý trước): khi đó work (hạn "
        "trong năm 2025) phải xong trước hạn của report (trước 31/12/2025); nếu phải chờ, sửa "
        "hạn rồi thêm vào after"
    )
