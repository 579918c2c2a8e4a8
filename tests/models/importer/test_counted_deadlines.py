"""Counted deadlines placed in a draft (models/importer/counted_deadlines.py): written as a count
from the one deliverable they name, resolved as the plan resolves it, else left unplaced."""

from dataclasses import replace
from datetime import date, datetime

import pytest

from models.importer.counted_deadlines import Pending, place_counts
from models.importer.deadline_phrases import DueKind
from models.importer.model import DraftCount, DraftDeliverable, DraftDue
from models.importer.problems import NoteKind
from models.importer.relative_phrases import relative_phrases
from models.spec import DueForm

EVENT = DraftDue(DueKind.ON, date(2023, 3, 22), "tổ chức vào ngày 22/3/2023")  # a Wednesday
FRIDAY = DraftDue(DueKind.BY, date(2023, 3, 10), "chậm nhất ngày 10/3/2023")
AT_FIVE = DraftDue(DueKind.AT, datetime(2023, 3, 22, 17, 0), "trước 17 giờ ngày 22/3/2023")


def task(code: str, title: str, due: DraftDue | None = None) -> DraftDeliverable:
    return DraftDeliverable(code=code, title=title, owner="vptu", quote=title, line=1, due=due)


def placed(sentence: str, *others: DraftDeliverable) -> tuple[DraftDeliverable, list]:
    """The deliverable `sentence` is the task of, placed among `others`, and the notes."""
    [phrase] = relative_phrases(sentence)
    mine = task("viec", sentence)
    deliverables, notes = place_counts([*others, mine], [Pending("viec", phrase, 7)])
    return deliverables[-1], notes


@pytest.mark.parametrize(
    ("sentence", "reference", "count", "kind", "when"),
    [
        (
            "Chậm nhất 07 ngày sau khi hội thảo kết thúc, báo cáo kết quả",
            EVENT,
            DraftCount(DueForm.DAYS_AFTER, 7, "hoi-thao"),
            DueKind.BY,
            date(2023, 3, 29),
        ),
        (
            "Trước hội thảo ít nhất 10 ngày, gửi giấy mời",
            EVENT,
            DraftCount(DueForm.DAYS_BEFORE, 10, "hoi-thao"),
            DueKind.BEFORE,
            date(2023, 3, 12),
        ),
        (
            "Trong 02 ngày làm việc sau khi hội thảo kết thúc, gửi biên bản",
            FRIDAY,  # through Friday 10/03: two working days after is Tuesday 14/03
            DraftCount(DueForm.DAYS_AFTER, 2, "hoi-thao", working_days=True),
            DueKind.BY,
            date(2023, 3, 14),
        ),
        (
            "Trước hội thảo ít nhất 02 ngày, gửi tài liệu",
            AT_FIVE,
            DraftCount(DueForm.DAYS_BEFORE, 2, "hoi-thao"),
            DueKind.AT,
            datetime(2023, 3, 20, 17, 0),
        ),
        (
            "Trong vòng 02 ngày làm việc kể từ khi nhận được tờ trình của hội thảo, thẩm định",
            None,
            DraftCount(DueForm.WITHIN_DAYS, 2, "hoi-thao", working_days=True),
            DueKind.BY,
            None,
        ),
    ],
)
def test_a_count_naming_one_deliverable_is_drafted_from_it(sentence, reference, count, kind, when):
    title = "Xây dựng tờ trình hội thảo" if reference is None else "Tổ chức hội thảo khoa học"
    mine, notes = placed(sentence, task("hoi-thao", title, reference))
    assert mine.due is not None and mine.due.count == count
    assert (mine.due.kind, mine.due.when) == (kind, when)
    [note] = notes
    assert note.kind is NoteKind.GUESSED and "hoi-thao" in note.message and note.field == "due"


@pytest.mark.parametrize(
    ("sentence", "others", "reason"),
    [
        (
            "Chậm nhất là 30 ngày, trước ngày khai mạc kỳ họp thường lệ, báo cáo",
            [task("hoi-thao", "Tổ chức hội thảo khoa học", EVENT)],
            "không có nhiệm vụ nào",
        ),
        (
            "Chậm nhất 07 ngày sau khi hội thảo kết thúc, báo cáo",
            [
                task("hoi-thao", "Tổ chức hội thảo khoa học", EVENT),
                task("hoi-thao-2", "Tổ chức hội thảo chuyên đề", EVENT),
            ],
            "nhiều nhiệm vụ",
        ),
        (
            "Chậm nhất 07 ngày sau khi hội thảo kết thúc, báo cáo",
            [task("hoi-thao", "Tổ chức hội thảo khoa học")],
            "không có hạn riêng",
        ),
        (
            "Chậm nhất 07 ngày sau khi hội thảo kết thúc, báo cáo",
            [task("bc", "Xây dựng báo cáo sơ kết về hội thảo", EVENT)],  # named too far in
            "không có nhiệm vụ nào",
        ),
        (
            "Chậm nhất 07 ngày sau khi hội thảo kết thúc, báo cáo",
            [
                task(
                    "hoi-thao",
                    "Tổ chức hội thảo",
                    DraftDue(
                        DueKind.BY,
                        date(2023, 3, 1),
                        "",
                        count=DraftCount(DueForm.DAYS_AFTER, 1, "khac"),
                    ),
                )
            ],
            "cũng tính từ việc khác",
        ),
    ],
)
def test_a_count_naming_no_single_dated_deliverable_is_left_unplaced(sentence, others, reason):
    mine, notes = placed(sentence, *others)
    assert mine.due is None
    [note] = notes
    assert note.kind is NoteKind.UNPLACED and reason in note.message and note.line == 7


def test_a_count_from_an_arrival_sent_to_another_unit_is_left_unplaced():
    [phrase] = relative_phrases("Trong 02 ngày làm việc kể từ khi nhận được tờ trình, thẩm định")
    proposal = replace(task("to-trinh", "Xây dựng tờ trình", FRIDAY), to="so-noi-vu")
    deliverables, [note] = place_counts(
        [proposal, task("viec", "Thẩm định")], [Pending("viec", phrase, 3)]
    )
    assert deliverables[1].due is None and "to-trinh gửi so-noi-vu" in note.message


def test_a_task_with_a_fixed_deadline_keeps_it_and_its_count_is_unplaced():
    [phrase] = relative_phrases("Chậm nhất 07 ngày sau khi hội thảo kết thúc, báo cáo")
    mine = task("viec", "Báo cáo kết quả", FRIDAY)
    event = task("hoi-thao", "Tổ chức hội thảo", EVENT)
    deliverables, [note] = place_counts([event, mine], [Pending("viec", phrase, 3)])
    assert deliverables[1].due == FRIDAY and note.kind is NoteKind.UNPLACED


def test_a_count_is_written_as_the_plan_format_writes_it():
    assert DraftCount(DueForm.DAYS_AFTER, 7, "hoi-thao").mapping() == {
        "days_after": 7,
        "of": "hoi-thao",
    }
    assert DraftCount(DueForm.WITHIN_DAYS, 2, "to-trinh", working_days=True).mapping() == {
        "within_days": 2,
        "after_arrival_of": "to-trinh",
        "working_days": True,
    }
