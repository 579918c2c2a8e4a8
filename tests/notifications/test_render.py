"""E-mail texts: formal Vietnamese, dd/mm/yyyy, short subjects, and hostile plan text kept inert."""

from __future__ import annotations

import pytest

from notifications.ladder import Rule
from notifications.render import days_left, render, shorten, status_deadline_text, subject
from tests.builders import REPORT, at, deadline_of, deliverable, ladder_plan, local, received
from tests.models.test_evaluate import ARRIVALS, PENDING, duyet_at
from tests.notifications.ladder_runs import decide_at, replay

LONG = "Báo cáo khó khăn, vướng mắc, kiến nghị và số lượng, thành phần dự gặp mặt"
QUOTE = "Tổng hợp báo cáo gửi Văn phòng trước ngày 09/3/2023."
PLAN = ladder_plan(
    [
        deliverable(
            "report", "group:huyen", to="vp", due={"before": "2023-03-09"}, title=LONG, quote=QUOTE
        ),
        deliverable("summary", "vp", to="lead", due={"before": "2023-03-15"}, after=["report"]),
    ],
    title="Gặp mặt cán bộ chủ chốt cơ sở năm 2023",
)


def first(rule: Rule, moments, submissions=(), plan=PLAN):
    return next(m for _, m in replay(plan, moments, submissions) if m.rule is rule)


DAYS = [at(d) for d in range(6, 17)]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (Rule.REMINDER, "[Nhắc việc] Báo cáo khó khăn, vướng mắc, kiến nghị… — Huyện d1"),
        (Rule.FINAL_REMINDER, "[Nhắc lần cuối] Báo cáo khó khăn, vướng mắc, kiến nghị… — Huyện d1"),
        (Rule.OVERDUE, "[Quá hạn 1 ngày] Báo cáo khó khăn, vướng mắc, kiến nghị… — Huyện d1"),
        (
            Rule.OVERDUE_REPEAT,
            "[Quá hạn 5 ngày – nhắc lại] Báo cáo khó khăn, vướng mắc, kiến nghị… — Huyện d1",
        ),
        (Rule.AT_RISK, "[Cảnh báo nguy cơ] Nhiệm vụ summary — Văn phòng"),
        (
            Rule.ESCALATION,
            "[Báo cáo lãnh đạo] 3 nhiệm vụ quá hạn — Gặp mặt cán bộ chủ chốt cơ sở năm 2023",
        ),
    ],
)
def test_subjects_are_short_and_scannable(rule, expected):
    assert subject(first(rule, DAYS), PLAN) == expected


def test_a_receipt_subject_names_the_unit_that_sent():
    message = first(Rule.RECEIPT, DAYS, [received("report", "d2", at(7, 9))])
    assert (
        subject(message, PLAN)
        == "[Xác nhận đã nhận] Báo cáo khó khăn, vướng mắc, kiến nghị… — Huyện d2"
    )


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Ngắn", 40, "Ngắn"),
        (LONG, 40, "Báo cáo khó khăn, vướng mắc, kiến nghị…"),
        ("Mộtchữrấtdàikhôngcókhoảngtrắng", 10, "Mộtchữrất…"),
        ("dòng\r\nhai", 40, "dòng hai"),
    ],
)
def test_shorten_cuts_at_a_word_and_marks_the_cut(text, limit, expected):
    assert shorten(text, limit) == expected


def test_an_overdue_notice_reads_as_a_formal_vietnamese_notice():
    rendered = render(first(Rule.OVERDUE, DAYS), PLAN)
    text = rendered.text
    assert text.startswith("Kính gửi: Lãnh đạo Huyện d1\n")
    for expected in [
        "Thực hiện Kế hoạch “Gặp mặt cán bộ chủ chốt cơ sở năm 2023”, đến 07:30 ngày 09/03/2023,"
        " Văn phòng chưa nhận được kết quả thực hiện nhiệm vụ sau của Huyện d1, đã quá hạn 1 ngày:",
        f"- Trích yếu: {LONG}",
        "- Hạn: trước ngày 09/03/2023",
        "- Nơi nhận kết quả: Văn phòng",
        "- Số ngày quá hạn: 1 ngày",
        f"- Nội dung theo kế hoạch: “{QUOTE}”",
        "Người liên hệ: Văn phòng — vp@x.example",
        "Mã thư: p:overdue:report:d1:20230309T0000",
    ]:
        assert expected in text
    assert "\n\n\n" not in text
    assert "Kính gửi:</strong> Lãnh đạo Huyện d1" in rendered.html
    assert '<html lang="vi">' in rendered.html


def test_a_reminder_says_how_many_days_are_left_and_the_final_one_that_today_is_the_last():
    assert "còn 3 ngày đến hạn" in render(first(Rule.REMINDER, DAYS), PLAN).text
    assert "hôm nay là ngày cuối để gửi" in render(first(Rule.FINAL_REMINDER, DAYS), PLAN).text


@pytest.mark.parametrize(
    ("due", "as_of", "left"),
    [
        ({"before": "2023-03-09"}, at(6), 3),
        ({"before": "2023-03-09"}, at(8, 16), 1),
        ({"by": "2023-03-09"}, at(8), 2),
        ({"at": "2023-03-09T10:00:00"}, at(9, 8), 1),
    ],
)
def test_days_left_counts_today_and_the_last_day(due, as_of, left):
    plan = ladder_plan([deliverable("report", "vp", due=due)])
    assert days_left(deadline_of(plan, "report"), as_of, plan) == left


def test_the_leaders_digest_groups_by_deliverable_with_days_late_and_closes_formally():
    message = first(Rule.ESCALATION, DAYS)
    rendered = render(message, PLAN)
    assert rendered.text.startswith("Kính gửi: Thường trực\n")
    assert (
        f"1. {LONG} (hạn trước ngày 09/03/2023):\n   - Huyện d1: quá hạn 5 ngày (mới)\n"
        in rendered.text
    )
    assert "có 3 nhiệm vụ quá hạn" in rendered.text
    assert "Kính báo cáo Thường trực./." in rendered.text
    assert rendered.html.count("quá hạn") >= 1 and rendered.html.count(">mới<") == 3


def test_an_at_risk_notice_names_the_overdue_work_it_waits_on():
    text = render(first(Rule.AT_RISK, DAYS), PLAN).text
    assert "có nguy cơ chậm do các nhiệm vụ cần hoàn thành trước đang quá hạn" in text
    assert f"- {LONG} — Huyện d2: quá hạn 1 ngày (trước ngày 09/03/2023)" in text


def test_a_receipt_says_when_it_arrived_and_whether_late():
    on_time = render(first(Rule.RECEIPT, DAYS, [received("report", "d2", at(7, 9, 15))]), PLAN)
    assert "- Thời điểm nhận: 09:15 ngày 07/03/2023\n- Tình trạng: đúng hạn" in on_time.text
    late = render(first(Rule.RECEIPT, DAYS, [received("report", "d2", at(10, 9, 15))]), PLAN)
    assert "- Tình trạng: quá hạn 2 ngày" in late.text


def test_an_inferred_deadline_says_the_plan_gave_none():
    plan = ladder_plan([deliverable("invite", "vp"), REPORT | {"after": ["invite"]}])
    message = decide_at(plan, at(6))[0]
    assert "trước ngày 09/03/2023 (kế hoạch không ghi hạn; xác định theo nhiệm vụ tiếp nối)" in (
        render(message, plan).text
    )


HOSTILE = "<script>alert('x')</script> {{ 7*7 }} {% if true %}"
HOSTILE_PLAN = ladder_plan(
    [
        deliverable(
            "report", "d1", due={"before": "2023-03-09"}, title=f"Báo cáo {HOSTILE}", quote=HOSTILE
        )
    ],
    units=[
        {"code": "vp", "name": "Văn phòng & <b>Ban</b>", "email": "vp@x.example"},
        {"code": "d1", "name": "Huyện\r\nBcc: evil@x.example\n{{ 7*7 }}", "email": "d1@x.example"},
    ],
    groups={},
    leaders=[],
)


def test_plan_text_is_escaped_in_html_and_never_evaluated_as_a_template():
    rendered = render(decide_at(HOSTILE_PLAN, at(6))[0], HOSTILE_PLAN)
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "Văn phòng &amp; &lt;b&gt;Ban&lt;/b&gt;" in rendered.html
    assert "{{ 7*7 }}" in rendered.text and "49" not in rendered.text
    assert "{% if true %}" in rendered.text
    assert "<script>alert('x')</script>" in rendered.text  # plain text is not HTML


def test_line_breaks_in_plan_text_never_reach_a_subject():
    rendered = render(decide_at(HOSTILE_PLAN, at(6))[0], HOSTILE_PLAN)
    assert "\r" not in rendered.subject and "\n" not in rendered.subject
    assert rendered.subject.endswith("— Huyện Bcc: evil@x.example {{ 7*7 }}")
    assert "Kính gửi: Huyện Bcc: evil@x.example {{ 7*7 }}\n" in rendered.text


def test_pages_show_a_deadline_counted_from_an_arrival_in_its_own_words():
    """The unit's page and the console read `status_deadline_text`: before the arrival that
    fixes it, the wording and "chưa xác định", not "không có hạn"; after it, the date."""
    assert status_deadline_text(duyet_at(local(2023, 3, 1), ARRIVALS[:2])) == PENDING
    assert status_deadline_text(duyet_at(local(2023, 3, 13))) == (
        "2 ngày làm việc sau khi Tờ trình được nộp (chậm nhất ngày 14/03/2023)"
    )
