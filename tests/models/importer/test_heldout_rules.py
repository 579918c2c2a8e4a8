"""Rules added after the held-out check (KH 308 Hà Nội, KH 174 TP HCM, CV 10989 Bộ Nội vụ,
CT 06 Quảng Trị, 2025): each with a short real sentence of those documents."""

from datetime import date
from pathlib import Path

import pytest

from models.importer.deadline_phrases import DueKind, find_deadlines, next_monthly
from models.importer.paragraph_tasks import sentence_tasks
from models.importer.pipeline import import_document
from models.importer.problems import NoteKind
from models.importer.text import Paragraph

# KH 308/KH-UBND, III: a work and its monthly report in one item.
MONTHLY = """\
Hà Nội, ngày 17 tháng 11 năm 2025

KẾ HOẠCH

Triển khai thực hiện Nghị quyết số 214/NQ-CP

III. TỔ CHỨC THỰC HIỆN

1. Sở Khoa học và Công nghệ theo dõi, đôn đốc các Sở, ban, ngành, UBND xã, phường triển khai \
thực hiện nhiệm vụ được nêu trong Kế hoạch theo đúng tiến độ; tham mưu UBND Thành phố báo cáo \
kết quả triển khai thực hiện trước ngày 20 hằng tháng.

2. Các Sở, ban, ngành căn cứ Kế hoạch này, xây dựng Kế hoạch triển khai tại cơ quan đơn vị; \
báo cáo UBND Thành phố kết quả thực hiện thông qua Sở Khoa học và Công nghệ trước ngày 15 hằng \
tháng.
"""


def _file(tmp_path: Path, text: str, name: str = "kh.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("sentence", "kind", "day"),
    [
        ("báo cáo kết quả trước ngày 20 hằng tháng lên phần mềm", DueKind.BEFORE, 20),
        ("gửi báo cáo chậm nhất ngày 05 hàng tháng", DueKind.BY, 5),
    ],
)
def test_a_monthly_deadline_is_read_not_dropped(sentence, kind, day):
    [phrase] = find_deadlines(sentence, 2025)
    assert (phrase.kind, phrase.monthly, phrase.recurring) == (kind, True, True)
    assert phrase.day == date(2025, 1, day)


@pytest.mark.parametrize(
    ("day", "since", "first"),
    [
        (20, date(2025, 11, 17), date(2025, 11, 20)),
        (15, date(2025, 11, 17), date(2025, 12, 15)),
        (31, date(2025, 11, 17), date(2025, 11, 30)),  # a short month: its last day
        (10, date(2025, 12, 20), date(2026, 1, 10)),
    ],
)
def test_a_monthly_deadline_first_falls_on_or_after_the_document(day, since, first):
    assert next_monthly(day, since) == first


def test_a_work_and_its_dated_report_after_a_semicolon_are_two_tasks():
    text = MONTHLY.split("\n\n")[4]
    follow_up, report = sentence_tasks(Paragraph(text, 9), 0, None)
    assert follow_up.text.startswith("Sở Khoa học và Công nghệ theo dõi, đôn đốc")
    assert follow_up.text.endswith("theo đúng tiến độ.")
    assert report.text.startswith("tham mưu UBND Thành phố báo cáo kết quả")


def test_a_monthly_report_is_drafted_at_its_first_time_with_a_todo(tmp_path):
    plan = import_document(_file(tmp_path, MONTHLY), code="kh-308").plan
    dues = [(d.quote[:20], d.due and d.due.when) for d in plan.deliverables]
    assert dues == [
        ("Sở Khoa học và Công ", None),
        ("tham mưu UBND Thành ", date(2025, 11, 20)),
        ("Các Sở, ban, ngành c", None),
        ("báo cáo UBND Thành p", date(2025, 12, 15)),  # 15/11 was past on 17/11
    ]
    notes = [n for n in plan.notes if n.field == "due"]
    assert all(n.kind is NoteKind.GUESSED and "hằng tháng" in n.message for n in notes)
    assert len(notes) == 2
