"""Periods given as deadlines (models/importer/period_phrases.py): drafted in the plan's own
period forms, due by their last day; a guess only where the reading is one."""

from datetime import date

import pytest

from models.deadlines import Period
from models.importer.deadline_phrases import DueKind
from models.importer.period_phrases import (
    labelled_periods,
    period_in_cell,
    period_value,
    period_words,
    periods_in_text,
)


@pytest.mark.parametrize(
    ("sentence", "period", "value"),
    [
        ("báo cáo Thủ tướng Chính phủ trong tháng 12 năm 2025.", Period.MONTH, "2025-12"),
        ("xây dựng Kế hoạch xong trong tháng 12/2025.", Period.MONTH, "2025-12"),
        ("hoàn thành trong tháng 1/2021", Period.MONTH, "2021-01"),
        ("gửi kết quả cuối tháng 2/2024", Period.MONTH, "2024-02"),
        ("báo cáo kết quả thực hiện trong Quý I năm 2026.", Period.QUARTER, "2026-Q1"),
        ("trình Chính phủ trong quý II/2023", Period.QUARTER, "2023-Q2"),
        ("sớm bàn giao trong năm 2025 dự án", Period.YEAR, 2025),
        ("nhiệm vụ trọng tâm từ nay đến tháng 6/2027", Period.MONTH, "2027-06"),
    ],
)
def test_a_period_in_a_sentence_is_drafted_in_its_own_form(sentence, period, value):
    [phrase] = periods_in_text(sentence)
    assert (phrase.kind, phrase.period, phrase.year_given, phrase.doubt) == (
        DueKind.BY,
        period,
        True,
        "",
    )
    assert phrase.day is not None and period_value(period, phrase.day) == value


@pytest.mark.parametrize(
    ("sentence", "value"),
    [("hoàn thành trong quý II", "2025-Q2"), ("báo cáo trước cuối tháng 6, gửi Sở", "2025-06")],
)
def test_a_period_without_its_year_takes_the_documents_year_and_says_so(sentence, value):
    [phrase] = periods_in_text(sentence, 2025)
    assert phrase.period is not None and phrase.day is not None
    assert period_value(phrase.period, phrase.day) == value and not phrase.year_given


def test_a_period_without_its_year_and_no_year_known_is_not_read():
    assert periods_in_text("hoàn thành trong quý II") == []
    assert period_in_cell("Tháng 6") is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Tăng trưởng kinh tế 9 tháng của Tỉnh ước đạt 8,19%",  # no deadline word
        "tháng 12 năm 2025",  # a period no word makes a deadline
        "trước ngày 31 tháng 12 năm 2025",  # a date, read by deadline_phrases
        "trong tháng 13/2025",  # no such month
    ],
)
def test_words_that_give_no_period_deadline_give_none(sentence):
    assert periods_in_text(sentence, 2025) == []


@pytest.mark.parametrize(
    ("cell", "period", "value", "doubt"),
    [
        ("Tháng 12/2025", Period.MONTH, "2025-12", ""),
        ("Quí IV-2025", Period.QUARTER, "2025-Q4", ""),
        ("Quý II/2025.", Period.QUARTER, "2025-Q2", ""),
        ("Năm 2025", Period.YEAR, 2025, ""),
        ("2023", Period.YEAR, 2023, ""),
        ("Quý IV năm 2025 và các năm tiếp theo", Period.QUARTER, "2025-Q4", "còn ghi"),
        ("Năm 2026 và các năm tiếp theo", Period.YEAR, 2026, "còn ghi"),
        ("2022-2030", Period.YEAR, 2030, "năm cuối (2030)"),
        ("Giai đoạn 2026-2030 và những năm tiếp theo", Period.YEAR, 2030, "năm cuối (2030)"),
    ],
)
def test_a_time_column_that_opens_with_a_period_is_that_period(cell, period, value, doubt):
    phrase = period_in_cell(cell)
    assert phrase is not None and phrase.day is not None
    assert (phrase.kind, phrase.period) == (DueKind.BY, period)
    assert period_value(period, phrase.day) == value
    assert (doubt in phrase.doubt) if doubt else phrase.doubt == ""


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("Tháng 11 - 12/2025.", "2025-12"),  # QĐ 1627/QĐ-UBND Quảng Ngãi, its time lines
        ("Tháng 11-12/2025", "2025-12"),
        ("Tháng 12/2025 - 02/2026", "2026-02"),
        ("tháng 11/2025 – 12/2025", "2025-12"),
    ],
)
def test_a_range_of_months_written_with_one_year_is_due_by_its_last_month_a_guess(cell, value):
    phrase = period_in_cell(cell)
    assert phrase is not None and phrase.day is not None and phrase.period is Period.MONTH
    assert period_value(Period.MONTH, phrase.day) == value
    assert "một khoảng từ tháng" in phrase.doubt
    assert phrase.phrase == cell.rstrip(" .")  # shown as the document writes it


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Tham mưu triển khai kế hoạch kiểm kê. Thời gian hoàn thành: Tháng 12/2025.", "2025-12"),
        ("Rà soát các thủ tục (Thời gian thực hiện: Quý I/2026)", "2026-Q1"),
        ("Ban hành quy chế; thời hạn: năm 2026; báo cáo kết quả", 2026),
    ],
)
def test_a_period_after_a_time_label_is_read_as_a_time_column_is(sentence, value):
    assert periods_in_text(sentence) == []  # no "trong", "cuối", "đến": not read so
    [phrase] = labelled_periods(sentence)
    assert phrase.period is not None and phrase.day is not None
    assert period_value(phrase.period, phrase.day) == value
    assert sentence[phrase.start :].startswith(phrase.phrase)


@pytest.mark.parametrize(
    "sentence",
    [
        "Thời gian thực hiện: Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê.",  # a start
        "Thời gian: Thường xuyên.",
        "Thời gian thực hiện: trước ngày 15/11/2025.",  # a date, read as dates are
        "Tăng thời gian làm việc tháng 12/2025.",
    ],
)
def test_a_time_label_without_a_period_gives_none(sentence):
    assert labelled_periods(sentence) == []


def test_a_time_column_with_a_month_but_no_year_takes_the_documents_year():
    phrase = period_in_cell("Tháng 6", 2025)
    assert phrase is not None and phrase.when == date(2025, 6, 30) and not phrase.year_given


@pytest.mark.parametrize("cell", ["Thường xuyên", "Hằng năm", "Từ 01/7/2025", "2030-2025"])
def test_a_time_column_without_a_period_gives_none(cell):
    assert period_in_cell(cell, 2025) is None


def test_months_at_the_end_of_a_year_are_a_stretch_not_a_deadline():
    # thông báo 634: "trong 02 tháng cuối năm 2025 và những tháng đầu năm 2026"
    assert (
        periods_in_text("thực hiện trong 02 tháng cuối năm 2025 và những tháng đầu năm 2026") == []
    )
    assert periods_in_text("hoàn thành cuối năm 2025")[0].when == date(2025, 12, 31)


@pytest.mark.parametrize(
    ("period", "last_day", "words"),
    [
        (Period.MONTH, date(2021, 1, 31), "tháng 01/2021"),
        (Period.QUARTER, date(2023, 6, 30), "quý II/2023"),
        (Period.YEAR, date(2022, 12, 31), "năm 2022"),
    ],
)
def test_a_period_is_named_as_the_plans_labels_name_it(period, last_day, words):
    assert period_words(period, last_day) == words
