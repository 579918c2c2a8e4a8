"""Plan files: every kind of invalid input is named by file, path and line; the seed is valid."""

import pytest

from models.errors import PlanError
from models.loader import read_plan_file, read_plan_text
from tests.builders import build, deadline_of, deliverable, plan_text
from tests.paths import SEED_PLAN

SEED = SEED_PLAN


def problems_of(text: str) -> list[str]:
    with pytest.raises(PlanError) as caught:
        read_plan_text(text, "bad.yaml")
    return [p.render("bad.yaml") for p in caught.value.problems]


def test_seed_plan_is_valid_and_complete():
    loaded = read_plan_file(SEED)
    plan = loaded.plan
    assert (
        len(plan.units) == 25
        and len(plan.groups["huyen"]) == 13
        and len(plan.groups["ban-dang"]) == 5
    )
    assert len(plan.deliverables) == 17 and len(plan.assignments) == 81
    assert all(d.quote for d in plan.deliverables.values())


def test_cycle_is_reported_with_its_members():
    text = plan_text(
        [
            deliverable("a", after=["c"]),
            deliverable("b", after=["a"]),
            deliverable("c", after=["b"]),
        ]
    )
    (message,) = problems_of(text)
    assert "chờ nhau thành vòng: a → c → b → a" in message and "deliverables[0].after" in message


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("owner", "vq", "deliverables[0].owner: không có đơn vị 'vq' (có phải 'vp'?)"),
        (
            "owner",
            "group:huyn",
            "deliverables[0].owner: không có nhóm 'huyn' (có phải 'huyen'?)",
        ),
        ("to", "d9", "deliverables[0].to: không có đơn vị 'd9'"),
        ("after", ["nope"], "deliverables[0].after[0]: không có nhiệm vụ 'nope'"),
        (
            "due",
            {"before": "2023-02-30"},
            "deliverables[0].due.before: ngày '2023-02-30' không có thật",
        ),
        (
            "due",
            {"before": "09/03/2023"},
            "deliverables[0].due.before: ngày '09/03/2023' không hợp lệ: ghi dạng năm-tháng-ngày",
        ),
        (
            "due",
            {"before": "2023-03-01", "by": "2023-03-02"},
            "deliverables[0].due: ghi đúng một trong before, by, at, on",
        ),
        ("due", {"when": "2023-03-01"}, "due.when: không có mục 'when'"),
        ("colour", "red", "deliverables[0].colour: không có mục 'colour'"),
    ],
)
def test_bad_deliverable_field_is_named_with_its_path(field, value, expected):
    messages = problems_of(plan_text([deliverable("a", **{field: value})]))
    assert any(expected in m for m in messages), messages


def test_errors_carry_the_line_of_the_offending_field():
    text = plan_text([deliverable("a"), deliverable("b", to="zz")])
    (message,) = problems_of(text)
    line = next(i for i, content in enumerate(text.splitlines(), 1) if '"zz"' in content)
    assert message.startswith(f"bad.yaml:{line}: deliverables[1].to")


def test_duplicate_codes_are_rejected():
    messages = problems_of(plan_text([deliverable("a"), deliverable("a")]))
    assert any("deliverables[1].code: mã nhiệm vụ 'a' bị trùng" in m for m in messages)


def test_duplicate_yaml_keys_are_malformed_yaml():
    (message,) = problems_of("code: p\ncode: q\n")
    assert message.startswith('bad.yaml:2: YAML sai cú pháp: mục "code" được ghi hai lần')


def test_malformed_yaml_names_the_line():
    (message,) = problems_of("code: p\ntitle: [unclosed\nunits: x\n")
    assert message.startswith("bad.yaml:") and "YAML sai cú pháp" in message


def test_unknown_timezone_is_rejected():
    messages = problems_of(plan_text([deliverable("a")], timezone="Asia/Hanoi_City"))
    assert any("timezone: không có múi giờ 'Asia/Hanoi_City'" in m for m in messages)


def test_dependent_due_before_its_prerequisite_is_rejected():
    text = plan_text(
        [
            deliverable("report", due={"before": "2023-03-15"}),
            deliverable("summary", due={"before": "2023-03-09"}, after=["report"]),
        ]
    )
    (message,) = problems_of(text)
    assert "deliverables[0].due" in message and "trước ngày 09/03/2023" in message


def test_event_day_prerequisite_due_by_the_end_of_that_day_is_rejected():
    text = plan_text(
        [
            deliverable("hall", due={"by": "2023-03-22"}),
            deliverable("meeting", due={"on": "2023-03-22"}, after=["hall"]),
        ]
    )
    assert any("nhiệm vụ 'hall' có hạn chậm nhất ngày 22/03/2023" in m for m in problems_of(text))


def test_a_plan_must_be_a_mapping():
    assert (
        "bad.yaml:1: tệp kế hoạch phải gồm các mục dạng 'tên: giá trị'"
        in problems_of("- just\n- a list\n")[0]
    )


def test_missing_required_fields_are_listed():
    messages = problems_of("code: p\n")
    assert any("title: thiếu mục bắt buộc 'title'" in m for m in messages)
    assert any("units: thiếu mục bắt buộc 'units'" in m for m in messages)


def test_unreadable_and_non_utf8_files_are_clear_errors(tmp_path):
    with pytest.raises(PlanError, match="không tìm thấy tệp"):
        read_plan_file(tmp_path / "absent.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: Kế hoạch".encode("utf-16"))
    with pytest.raises(PlanError, match="không phải văn bản UTF-8"):
        read_plan_file(latin)


def test_unquoted_on_read_as_boolean_by_yaml_1_1_tools_still_means_on():
    text = plan_text([deliverable("meeting")]).replace(
        '"owner": "vp"', '"owner": "vp", "due": {"on": "2023-03-22"}'
    )
    loaded = read_plan_text(text.replace('"on"', "on"), "ok.yaml")
    assert deadline_of(loaded.plan, "meeting").kind == "on"


def test_suspicious_but_legal_things_are_warnings():
    loaded = read_plan_text(plan_text([deliverable("a", due={"before": "2023-03-11"})]), "ok.yaml")
    messages = [w.render("ok.yaml") for w in loaded.warnings]
    assert "ok.yaml:39: deliverables[0].due: hạn (11/03/2023) rơi vào thứ Bảy" in messages
    assert (
        "ok.yaml:11: units[1]: đơn vị 'd1' không thực hiện và không nhận nhiệm vụ nào" in messages
    )


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ({"code": "Gặp Mặt"}, "code: 'Gặp Mặt' không hợp lệ: mã chỉ gồm chữ thường không dấu, số"),
        ({"code": "a" * 70}, "code: quá dài (70 ký tự, tối đa 64): rút gọn lại"),
        ({"title": "  "}, "title: không được để trống"),
        ({"title": None}, "title: phải là văn bản, đang để trống"),
        ({"warning_days": "ba"}, "warning_days: phải là số nguyên, không phải 'ba'"),
        ({"warning_days": 99}, "warning_days: không được lớn hơn 60, không phải 99"),
        ({"units": []}, "units: cần ít nhất 1 mục, đang có 0"),
        ({"leaders": "vp"}, "leaders: phải là một danh sách (ví dụ [a, b]), không phải 'vp'"),
        ({"groups": ["d1"]}, "groups: phải là các mục dạng 'tên: giá trị', không phải một danh"),
        (
            {"units": [{"code": "vp", "name": "VP", "email": "vp-at-x"}]},
            "units[0].email: 'vp-at-x' không phải địa chỉ e-mail dùng được: thiếu dấu @",
        ),
    ],
)
def test_pydantic_messages_are_in_vietnamese(top, expected):
    messages = problems_of(plan_text([deliverable("a")], **top))
    assert any(expected in m for m in messages), messages
    assert not any("should" in m or "Field required" in m for m in messages), messages


def test_an_owner_that_is_not_a_code_says_how_to_write_one():
    (message,) = problems_of(plan_text([deliverable("a", owner="Group:Huyen")]))
    assert "deliverables[0].owner: 'Group:Huyen' không hợp lệ: ghi mã đơn vị" in message
    assert "hoặc group:tên-nhóm" in message


def test_a_unit_without_e_mail_and_a_prerequisite_listed_twice_are_warnings():
    units = [{"code": "vp", "name": "Văn phòng"}, {"code": "d1", "name": "D1", "email": "d@x.vn"}]
    items = [deliverable("a", owner="d1"), deliverable("b", after=["a", "a"])]
    loaded = read_plan_text(plan_text(items, units=units, groups={}), "ok.yaml")
    messages = [w.render("ok.yaml") for w in loaded.warnings]
    assert any(
        "units[0].email: đơn vị 'vp' chưa có e-mail nên sẽ không được nhắc" in m for m in messages
    ), messages
    assert any("deliverables[1].after[1]: 'a' được ghi hai lần trong after" in m for m in messages)


@pytest.mark.parametrize(
    ("written", "expected"),
    [(None, "on_arrival"), ("on_arrival", "on_arrival"), ("on_acceptance", "on_acceptance")],
)
def test_review_says_when_an_arrival_counts_as_done_and_defaults_to_on_arrival(written, expected):
    top = {} if written is None else {"review": written}
    assert build([deliverable("report", due={"before": "2023-03-09"})], **top).review == expected


def test_an_unknown_review_policy_is_refused_with_its_path():
    with pytest.raises(PlanError) as caught:
        read_plan_text(plan_text([deliverable("report")], review="sometimes"), "p.yaml")
    assert "review: phải là một trong 'on_arrival' hoặc 'on_acceptance'" in str(caught.value)


# Periods and counted deadlines (docs/plan-format.md, "Deadlines").
EVENT = deliverable("khai-mac", due={"on": "2023-03-22"})


def due_problems(*deliverables: dict) -> list[str]:
    return problems_of(plan_text(list(deliverables)))


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (
            {"days_before": 10, "of": "khai-mak"},
            "deliverables[1].due.of: không có nhiệm vụ 'khai-mak' (có phải 'khai-mac'?)",
        ),
        (
            {"within_days": 2, "after_arrival_of": "to-trinh"},
            "deliverables[1].due.after_arrival_of: không có nhiệm vụ 'to-trinh'",
        ),
        (
            {"days_after": 3, "of": "x"},
            "deliverables[1].due.of: hạn của 'x' không thể tính từ chính nó",
        ),
        (
            {"before": "2023-03-09", "month": "2023-03"},
            "deliverables[1].due: ghi đúng một trong before, by, at, on, month, quarter, year,"
            " days_before, days_after, within_days",
        ),
        (
            {"days_before": 3, "days_after": 3, "of": "khai-mac"},
            "deliverables[1].due: ghi đúng một trong",
        ),
        (
            {"days_before": -3, "of": "khai-mac"},
            "deliverables[1].due.days_before: phải từ 1 trở lên, không phải -3",
        ),
        (
            {"within_days": 0, "after_arrival_of": "khai-mac"},
            "deliverables[1].due.within_days: phải từ 1 trở lên, không phải 0",
        ),
        (
            {"days_after": 400, "of": "khai-mac"},
            "deliverables[1].due.days_after: không được lớn hơn 366",
        ),
        (
            {"days_after": True, "of": "khai-mac"},
            "deliverables[1].due.days_after: phải là số nguyên",
        ),
        ({"days_before": 10}, "deliverables[1].due: days_before cần of: mã nhiệm vụ"),
        (
            {"within_days": 2, "of": "khai-mac"},
            "deliverables[1].due: of không dùng với within_days",
        ),
        (
            {"month": "2023-03", "of": "khai-mac"},
            "deliverables[1].due: of không dùng với month: chỉ dùng với days_before, days_after",
        ),
        (
            {"before": "2023-03-09", "working_days": True},
            "deliverables[1].due: working_days không dùng với before",
        ),
        (
            {"month": "2023-13"},
            "deliverables[1].due.month: '2023-13' không hợp lệ: ghi tháng dạng năm-tháng,"
            " ví dụ 2021-01",
        ),
        (
            {"quarter": "2023-Q5"},
            "deliverables[1].due.quarter: '2023-Q5' không hợp lệ: ghi quý dạng năm-Q số quý",
        ),
        ({"year": 1800}, "deliverables[1].due: năm của hạn (1800) phải trong khoảng 1990–2100"),
        ({"quarter": "2201-Q1"}, "deliverables[1].due: năm của hạn (2201) phải trong khoảng"),
    ],
)
def test_a_wrong_period_or_count_is_named_by_its_field(due, expected):
    messages = due_problems(EVENT, deliverable("x", due=due))
    assert any(expected in m for m in messages), messages
    assert all(m.startswith("bad.yaml:") for m in messages)


def test_a_count_from_a_deliverable_without_its_own_deadline_is_refused():
    (message,) = due_problems(
        deliverable("to-trinh"), deliverable("x", due={"days_after": 2, "of": "to-trinh"})
    )
    assert "deliverables[1].due.of: nhiệm vụ 'to-trinh' không có hạn riêng" in message


def test_a_count_from_a_deadline_fixed_by_an_arrival_is_refused():
    (message,) = due_problems(
        deliverable("to-trinh"),
        deliverable("duyet", due={"within_days": 2, "after_arrival_of": "to-trinh"}),
        deliverable("x", due={"days_after": 2, "of": "duyet"}),
    )
    assert "deliverables[2].due.of: hạn của 'duyet' chỉ xác định khi" in message


def test_counted_deadlines_that_go_round_are_a_cycle():
    (message,) = due_problems(
        deliverable("a", due={"days_after": 1, "of": "c"}),
        deliverable("b", due={"days_after": 1, "of": "a"}),
        deliverable("c", due={"days_before": 1, "of": "b"}),
    )
    assert "deliverables[0].due.of: các hạn tính từ nhau thành vòng: a → c → b → a" in message


def test_waiting_for_the_arrival_of_something_that_waits_on_it_is_a_cycle():
    (message,) = due_problems(
        deliverable("duyet", due={"within_days": 2, "after_arrival_of": "to-trinh"}),
        deliverable("to-trinh", after=["duyet"]),
    )
    assert "deliverables[0].due.after_arrival_of: hạn của 'duyet' tính từ lúc 'to-trinh'" in message
    assert "duyet → to-trinh → duyet" in message


def test_a_count_after_something_that_waits_on_it_cannot_be_met():
    (message,) = due_problems(
        EVENT,
        deliverable("bao-cao", due={"days_after": 7, "of": "khai-mac"}),
        deliverable("tong-ket", due={"by": "2023-03-25"}, after=["bao-cao"]),
    )
    assert "deliverables[1].due: nhiệm vụ 'bao-cao' có hạn 7 ngày sau Nhiệm vụ khai-mac" in message


def test_period_and_counted_forms_are_read_from_yaml_as_written():
    text = """
code: p
title: Kế hoạch thử
units: [{code: vp, name: Văn phòng, email: vp@x.example}]
deliverables:
  - {code: khai-mac, title: Khai mạc, owner: vp, due: {on: 2023-03-22}}
  - {code: thang, title: Báo cáo tháng, owner: vp, due: {month: 2021-01}}
  - {code: quy, title: Báo cáo quý, owner: vp, due: {quarter: 2023-Q2}}
  - {code: nam, title: Báo cáo năm, owner: vp, due: {year: 2022}}
  - {code: giay-moi, title: Giấy mời, owner: vp, due: {days_before: 10, of: khai-mac}}
  - code: duyet
    title: Duyệt
    owner: vp
    due: {within_days: 2, after_arrival_of: giay-moi, working_days: true}
"""
    plan = read_plan_text(text, "forms.yaml").plan
    assert [d.deadline_text() for d in plan.deliverables.values()] == [
        "ngày 22/03/2023",
        "trong tháng 01/2021",
        "trong quý II/2023",
        "trong năm 2022",
        "10 ngày trước Khai mạc (trước ngày 12/03/2023)",
        "2 ngày làm việc sau khi Giấy mời được nộp",
    ]


def test_a_period_ending_on_a_weekend_is_not_warned_about():
    loaded = read_plan_text(plan_text([deliverable("x", due={"month": "2023-09"})]), "ok.yaml")
    assert not [w for w in loaded.warnings if "rơi vào" in w.message]
