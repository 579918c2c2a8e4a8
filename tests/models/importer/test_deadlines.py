"""Deadline phrases: each usual wording maps to before/by/at/on as docs/plan-format.md says."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.importer.deadline_phrases import (
    DueKind,
    document_year,
    find_deadlines,
    next_occurrence,
    roll_past,
    stray_dates,
)
from models.importer.period_phrases import periods_in_text
from models.importer.relative_phrases import relative_deadlines


@pytest.mark.parametrize(
    ("sentence", "kind", "when"),
    [
        ("gửi Văn phòng Tỉnh ủy trước ngày 09/3/2023.", DueKind.BEFORE, date(2023, 3, 9)),
        ("gửi về Sở Nội vụ chậm nhất ngày 10/4/2024.", DueKind.BY, date(2024, 4, 10)),
        ("hoàn thành chậm nhất là ngày 10/4/2024", DueKind.BY, date(2024, 4, 10)),
        ("gửi Ban Tổ chức trong ngày 12/4/2024.", DueKind.BY, date(2024, 4, 12)),
        ("gửi trước 17 giờ ngày 15/4/2024.", DueKind.AT, datetime(2024, 4, 15, 17, 0)),
        ("nộp trước 16 giờ 30 ngày 20/4/2024", DueKind.AT, datetime(2024, 4, 20, 16, 30)),
        ("nộp trước 8h30 ngày 02/5/2024", DueKind.AT, datetime(2024, 5, 2, 8, 30)),
        ("Thời gian: 01 buổi, dự kiến tổ chức vào ngày 22/3/2023.", DueKind.ON, date(2023, 3, 22)),
        ("Lễ kỷ niệm diễn ra vào ngày 30/4/2025.", DueKind.ON, date(2025, 4, 30)),
        ("gửi trước ngày 09 tháng 3 năm 2023", DueKind.BEFORE, date(2023, 3, 9)),
    ],
)
def test_each_wording_reads_as_its_deadline_form(sentence, kind, when):
    [phrase] = find_deadlines(sentence, None)
    assert (phrase.kind, phrase.when) == (kind, when)


def test_a_date_without_year_takes_the_given_year_and_says_so():
    [phrase] = find_deadlines("chậm nhất ngày 10/4.", 2024)
    assert phrase.when == date(2024, 4, 10) and not phrase.year_given


def test_a_date_without_year_and_no_year_known_is_not_guessed():
    [phrase] = find_deadlines("chậm nhất ngày 10/4.", None)
    assert phrase.when is None and phrase.problem == "không rõ năm"


def test_an_impossible_date_is_reported_not_moved():
    [phrase] = find_deadlines("trước ngày 31/2/2023", None)
    assert phrase.when is None and phrase.problem == "ngày không có thật"


def test_a_time_deadline_is_not_also_read_as_a_day_deadline():
    phrases = find_deadlines("gửi trước 17 giờ ngày 15/4/2024", None)
    assert [p.kind for p in phrases] == [DueKind.AT]


def test_two_deadlines_in_one_sentence_are_both_found_in_order():
    text = "gửi trước ngày 10/5/2024, hoàn thiện hồ sơ chậm nhất ngày 15/5/2024."
    assert [p.kind for p in find_deadlines(text, None)] == [DueKind.BEFORE, DueKind.BY]


def test_a_date_no_form_explains_is_a_stray_date():
    text = "làm việc với đoàn kiểm tra từ ngày 12/5, thời lượng 15-20 phút."
    assert [s.phrase for s in stray_dates(text, find_deadlines(text, 2024))] == ["ngày 12/5"]


def test_document_year_comes_from_the_dateline_first():
    text = "Hà Tĩnh, ngày 01 tháng 3 năm 2023\n… trước ngày 09/3/2024 …"
    assert document_year(text) == 2023


def test_document_year_otherwise_is_the_most_frequent_full_date_year():
    assert document_year("trước ngày 09/3/2023, trước ngày 15/3/2023, ngày 1/1/2024") == 2023
    assert document_year("không có ngày nào") is None


FORMS = {
    DueKind.BEFORE: "gửi Văn phòng trước ngày {d}",
    DueKind.BY: "hoàn thành chậm nhất ngày {d}",
    DueKind.AT: "gửi trước 17 giờ ngày {d}",
    DueKind.ON: "dự kiến tổ chức vào ngày {d}",
}


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    kind=st.sampled_from(list(DueKind)),
    with_year=st.booleans(),
    padded=st.booleans(),
)
def test_any_valid_date_in_any_form_parses_to_that_date(day, kind, with_year, padded):
    written = f"{day.day:02d}/{day.month:02d}" if padded else f"{day.day}/{day.month}"
    if with_year:
        written += f"/{day.year}"
    [phrase] = find_deadlines(FORMS[kind].format(d=written) + ".", None if with_year else day.year)
    assert phrase.kind is kind
    assert phrase.day == day
    assert phrase.year_given is with_year
    if kind is DueKind.AT:
        assert phrase.when == datetime(day.year, day.month, day.day, 17, 0)


def test_a_date_after_truoc_without_ngay_is_before_that_day():
    [phrase] = find_deadlines("báo cáo Thủ tướng Chính phủ trước 10/3/2020.", None)
    assert (phrase.kind, phrase.when) == (DueKind.BEFORE, date(2020, 3, 10))


@pytest.mark.parametrize(
    "sentence",
    [
        "định kỳ hằng năm (trước ngày 15 tháng 11) báo cáo UBND tỉnh",  # kế hoạch 141
        "báo cáo định kỳ trước ngày 01/6 và 15/11 hằng năm",  # kế hoạch 617
        "gửi kết quả về Sở Giáo dục và Đào tạo, hạn cuối ngày 15 tháng 12 hàng năm",  # cv 5155
    ],
)
def test_a_yearly_date_is_read_as_recurring(sentence):
    [phrase] = find_deadlines(sentence, 2025)
    assert phrase.recurring


def test_a_yearly_date_falls_next_on_or_after_the_documents_date():
    assert next_occurrence(date(2025, 11, 15), date(2025, 11, 20)) == date(2026, 11, 15)
    assert next_occurrence(date(2025, 12, 15), date(2025, 11, 28)) == date(2025, 12, 15)


SIGNED = date(2025, 11, 20)  # "Hà Tĩnh, ngày 20 tháng 11 năm 2025"


@pytest.mark.parametrize(
    ("sentence", "when", "rolled"),
    [
        ("trước ngày 15/3", date(2026, 3, 15), True),  # past at the dateline: next year
        ("chậm nhất ngày 19/11", date(2026, 11, 19), True),
        ("trước ngày 20/11", date(2025, 11, 20), False),  # the dateline itself is not past
        ("trước ngày 15/12", date(2025, 12, 15), False),
        ("trước ngày 15/3/2025", date(2025, 3, 15), False),  # a written year is the text's
        ("trước ngày 15 tháng 3 hằng năm", date(2025, 3, 15), False),  # yearly: drafted apart
        ("trước 17 giờ ngày 15/3", datetime(2026, 3, 15, 17), True),
    ],
)
def test_a_date_without_year_the_document_is_past_takes_the_next_year(sentence, when, rolled):
    [phrase] = find_deadlines(sentence, 2025)
    moved = roll_past(phrase, SIGNED)
    assert (moved.when, moved.rolled) == (when, rolled)


@pytest.mark.parametrize(
    ("sentence", "when", "rolled"),
    [
        ("trong quý II", date(2026, 6, 30), True),
        ("trong tháng 2", date(2026, 2, 28), True),  # the month's last day of that year
        ("trong tháng 12", date(2025, 12, 31), False),
        ("trong quý II/2025", date(2025, 6, 30), False),
    ],
)
def test_a_period_without_year_the_document_is_past_takes_the_next_year(sentence, when, rolled):
    [phrase] = periods_in_text(sentence, 2025)
    moved = roll_past(phrase, SIGNED)
    assert (moved.when, moved.rolled) == (when, rolled)


def test_the_29th_of_february_rolls_to_the_last_day_of_february():
    [phrase] = find_deadlines("trước ngày 29/02", 2024)
    assert roll_past(phrase, date(2024, 3, 1)).when == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("sentence", "relative"),
    [
        (
            "Trong 03 ngày làm việc kể từ ngày nhận được kiến nghị, Văn phòng UBND tỉnh phân loại",
            "Trong 03 ngày làm việc kể từ ngày nhận được kiến nghị",
        ),
        (
            "Chậm nhất là 30 ngày, trước ngày khai mạc kỳ họp thường lệ của HĐND tỉnh, các sở",
            "Chậm nhất là 30 ngày, trước ngày khai mạc kỳ họp thường lệ của HĐND tỉnh",
        ),
        (
            "Chậm nhất 07 ngày sau khi nhận hồ sơ, gửi ý kiến",
            "Chậm nhất 07 ngày sau khi nhận hồ sơ",
        ),
        ("Sau khi Nghị định quy định chi tiết được ban hành, rà soát", None),
    ],
)
def test_a_deadline_counted_from_an_event_is_found_and_given_no_date(sentence, relative):
    found = relative_deadlines(sentence)
    assert found and (relative is None or found == [relative])
    assert find_deadlines(sentence, 2025) == []


def test_the_date_of_a_text_cited_by_its_number_is_no_stray_date():
    sentence = (
        "quán triệt Nghị quyết số 66-NQ/TW ngày 30 tháng 4 năm 2025 của Bộ Chính trị, "
        "Chỉ thị số 35-CT/TW, ngày 26/5/2014; họp từ ngày 12/5/2025"
    )
    assert [s.phrase for s in stray_dates(sentence, [])] == ["ngày 12/5/2025"]
