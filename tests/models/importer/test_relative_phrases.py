"""Deadlines counted from other work (models/importer/relative_phrases.py): each wording gives
its form, its count and the words naming what it counts from."""

import pytest

from models.importer.relative_phrases import relative_phrases
from models.spec import DueForm


@pytest.mark.parametrize(
    ("sentence", "form", "days", "working", "reference"),
    [
        (
            "Chậm nhất 07 ngày sau khi hội thảo kết thúc, gửi báo cáo kết quả",
            DueForm.DAYS_AFTER,
            7,
            False,
            "hội thảo",
        ),
        (
            "Trong 05 ngày làm việc sau khi kết thúc Hội nghị, tổng hợp ý kiến",
            DueForm.DAYS_AFTER,
            5,
            True,
            "Hội nghị",
        ),
        ("Trước khai mạc ít nhất 10 ngày, gửi giấy", DueForm.DAYS_BEFORE, 10, False, "khai mạc"),
        (
            "Chậm nhất là 30 ngày, trước ngày khai mạc kỳ họp thường lệ của HĐND tỉnh, các sở",
            DueForm.DAYS_BEFORE,
            30,
            False,
            "khai mạc kỳ họp thường lệ",
        ),
        (
            "Trong vòng 02 ngày làm việc kể từ khi nhận được tờ trình, thẩm định",
            DueForm.WITHIN_DAYS,
            2,
            True,
            "tờ trình",
        ),
        (
            "trong thời hạn 03 ngày làm việc, kể từ ngày nhận được kiến nghị phải chuyển",
            DueForm.WITHIN_DAYS,
            3,
            True,
            "kiến nghị",
        ),
        ("Chậm nhất 02 tuần sau khi nhận hồ sơ, trả lời", DueForm.WITHIN_DAYS, 14, False, "hồ sơ"),
    ],
)
def test_each_counted_wording_reads_as_its_form(sentence, form, days, working, reference):
    [phrase] = relative_phrases(sentence)
    assert (phrase.form, phrase.days, phrase.working_days, phrase.reference) == (
        form,
        days,
        working,
        reference,
    )


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        ("Sau khi Nghị định quy định chi tiết được ban hành, rà soát", "không ghi số ngày"),
        ("trong 01 tháng kể từ ngày nhận được hồ sơ", "tính theo tháng"),
        ("Trong 10 ngày kể từ ngày ký, các sở báo cáo", "chính văn bản"),
        ("trong 15 ngày sau khi Kế hoạch này được ban hành", "chính văn bản"),
    ],
)
def test_a_count_the_plan_format_cannot_hold_says_why(sentence, problem):
    [phrase] = relative_phrases(sentence)
    assert phrase.form is None and problem in phrase.problem


@pytest.mark.parametrize(
    "sentence",
    [
        "gửi Văn phòng Tỉnh ủy trước ngày 09/3/2023.",
        "thực hiện trong 02 tháng cuối năm 2025",
        "Tổ chức trong 01 ngày, tại Hội trường",
    ],
)
def test_a_sentence_with_no_count_from_other_work_gives_none(sentence):
    assert relative_phrases(sentence) == []
