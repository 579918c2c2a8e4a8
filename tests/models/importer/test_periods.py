"""Periods given as deadlines (models/importer/period_phrases.py): drafted by their last day."""

from datetime import date

import pytest

from models.importer.deadline_phrases import DueKind
from models.importer.period_phrases import period_in_cell, periods_in_text


@pytest.mark.parametrize(
    ("sentence", "last_day"),
    [
        ("báo cáo Thủ tướng Chính phủ trong tháng 12 năm 2025.", date(2025, 12, 31)),
        ("xây dựng Kế hoạch xong trong tháng 12/2025.", date(2025, 12, 31)),
        ("hoàn thành trong tháng 1/2021", date(2021, 1, 31)),
        ("gửi kết quả cuối tháng 2/2024", date(2024, 2, 29)),
        ("báo cáo kết quả thực hiện trong Quý I năm 2026.", date(2026, 3, 31)),
        ("trình Chính phủ trong quý II/2023", date(2023, 6, 30)),
        ("sớm bàn giao trong năm 2025 dự án", date(2025, 12, 31)),
        ("nhiệm vụ trọng tâm từ nay đến tháng 6/2027", date(2027, 6, 30)),
    ],
)
def test_a_period_in_a_sentence_is_due_by_its_last_day(sentence, last_day):
    [phrase] = periods_in_text(sentence)
    assert (phrase.kind, phrase.when, phrase.period) == (DueKind.BY, last_day, True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Tăng trưởng kinh tế 9 tháng của Tỉnh ước đạt 8,19%",  # no year: no period
        "tháng 12 năm 2025",  # a period no word makes a deadline
        "trước ngày 31 tháng 12 năm 2025",  # a date, read by deadline_phrases
        "trong tháng 13/2025",  # no such month
    ],
)
def test_words_that_give_no_period_deadline_give_none(sentence):
    assert periods_in_text(sentence) == []


@pytest.mark.parametrize(
    ("cell", "last_day"),
    [
        ("Tháng 12/2025", date(2025, 12, 31)),
        ("Quí IV-2025", date(2025, 12, 31)),
        ("Quý IV năm 2025 và các năm tiếp theo", date(2025, 12, 31)),
        ("Năm 2026 và các năm tiếp theo", date(2026, 12, 31)),
        ("2023", date(2023, 12, 31)),
        ("2022-2030", date(2030, 12, 31)),
        ("Giai đoạn 2026-2030 và những năm tiếp theo", date(2030, 12, 31)),
    ],
)
def test_a_time_column_that_opens_with_a_period_is_due_by_its_last_day(cell, last_day):
    phrase = period_in_cell(cell)
    assert phrase is not None and (phrase.kind, phrase.when) == (DueKind.BY, last_day)


@pytest.mark.parametrize("cell", ["Thường xuyên", "Hằng năm", "Từ 01/7/2025", "2030-2025"])
def test_a_time_column_without_a_period_gives_none(cell):
    assert period_in_cell(cell) is None


def test_months_at_the_end_of_a_year_are_a_stretch_not_a_deadline():
    # thông báo 634: "trong 02 tháng cuối năm 2025 và những tháng đầu năm 2026"
    assert (
        periods_in_text("thực hiện trong 02 tháng cuối năm 2025 và những tháng đầu năm 2026") == []
    )
    assert periods_in_text("hoàn thành cuối năm 2025")[0].when == date(2025, 12, 31)
