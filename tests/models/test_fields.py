"""Figures collected with a submission: declared in the plan, checked by type, displayed."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import InvalidInputError, PlanError
from models.fields import (
    DataField,
    FieldType,
    convert,
    display,
    format_number,
    parse_assignments,
    parse_values,
)
from models.loader import read_plan_text
from models.plan import data_fields

SEATS = DataField("so_dai_bieu", FieldType.INT, "Số đại biểu", required=True, minimum=0)
FIELDS = {
    "so_dai_bieu": SEATS,
    "ty_le": DataField("ty_le", FieldType.NUMBER, "Tỷ lệ"),
    "ghi_chu": DataField("ghi_chu", FieldType.TEXT, "Ghi chú"),
    "ngay_hop": DataField("ngay_hop", FieldType.DATE, "Ngày họp"),
    "co_video": DataField("co_video", FieldType.BOOL, "Có video"),
}


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("so_dai_bieu", "12", 12),
        ("so_dai_bieu", " +7 ", 7),
        ("so_dai_bieu", 12, 12),
        ("ty_le", "12,5", 12.5),
        ("ty_le", "3", 3),
        ("ghi_chu", "  thêm 2 khách mời ", "thêm 2 khách mời"),
        ("ngay_hop", "08/03/2023", "2023-03-08"),
        ("ngay_hop", "2023-03-08", "2023-03-08"),
        ("co_video", "có", True),
        ("co_video", "không", False),
        ("co_video", "yes", True),
    ],
)
def test_values_are_converted_by_type(name: str, raw: object, value: object) -> None:
    converted = convert(FIELDS[name], raw)
    assert converted == value and type(converted) is type(value)


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("so_dai_bieu", "12.5", "cần một số nguyên, ví dụ 12"),
        ("so_dai_bieu", "mười", "cần một số nguyên, ví dụ 12"),
        ("so_dai_bieu", True, "cần một số nguyên, ví dụ 12"),
        ("so_dai_bieu", "-1", "-1 nhỏ hơn mức tối thiểu 0"),
        ("ty_le", "nan", "cần một số, ví dụ 12,5"),
        ("ty_le", "inf", "cần một số, ví dụ 12,5"),
        ("ghi_chu", "a\r\nBcc: x@y", "cần một đoạn chữ trên một dòng, tối đa 500 ký tự"),
        ("ghi_chu", "x" * 501, "cần một đoạn chữ trên một dòng, tối đa 500 ký tự"),
        ("ngay_hop", "31/02/2023", "cần một ngày, ví dụ 08/03/2023"),
        ("co_video", "maybe", "có/không"),
    ],
)
def test_a_wrong_value_says_what_was_expected(name: str, raw: object, expected: str) -> None:
    with pytest.raises(InvalidInputError, match=expected) as caught:
        convert(FIELDS[name], raw)
    assert str(caught.value).startswith(f"{name}: ")


def test_an_unknown_field_is_refused_with_a_suggestion() -> None:
    expected = "'bc-huyen' không có số liệu 'so_dai_bieuu' (có phải 'so_dai_bieu'?)"
    with pytest.raises(InvalidInputError, match=re.escape(expected)):
        parse_values(FIELDS, {"so_dai_bieu": "3", "so_dai_bieuu": "4"}, "bc-huyen")


def test_a_missing_required_field_says_how_to_give_it() -> None:
    with pytest.raises(
        InvalidInputError, match=r"'bc-huyen' cần số liệu so_dai_bieu: thêm --set so_dai_bieu=<int>"
    ):
        parse_values(FIELDS, {"ghi_chu": "x"}, "bc-huyen")


def test_an_empty_value_counts_as_not_given() -> None:
    assert parse_values({"ty_le": FIELDS["ty_le"]}, {"ty_le": " "}, "x") == {}


def test_set_pairs_are_split_on_the_first_equals_sign() -> None:
    assert parse_assignments(["so_dai_bieu=12", "ghi_chu=a=b"]) == {
        "so_dai_bieu": "12",
        "ghi_chu": "a=b",
    }


@pytest.mark.parametrize("pairs", [["so_dai_bieu"], ["=3"], ["a=1", "a=2"]])
def test_malformed_set_pairs_are_refused(pairs: list[str]) -> None:
    with pytest.raises(InvalidInputError, match="--set"):
        parse_assignments(pairs)


@pytest.mark.parametrize(
    ("value", "text"), [(226, "226"), (1234, "1.234"), (1234567, "1.234.567"), (12.5, "12,5")]
)
def test_numbers_are_shown_the_vietnamese_way(value: float, text: str) -> None:
    assert format_number(value) == text


def test_dates_and_booleans_are_shown_in_vietnamese() -> None:
    assert display(FIELDS["ngay_hop"], "2023-03-08") == "08/03/2023"
    assert display(FIELDS["co_video"], True) == "có"


@given(st.integers(min_value=0, max_value=10**12))
def test_any_whole_number_round_trips_through_text(number: int) -> None:
    assert convert(SEATS, str(number)) == number


PLAN = """\
code: p
title: Kế hoạch thử
units:
  - {code: a, name: Đơn vị A}
  - {code: b, name: Đơn vị B}
groups:
  all: [a, b]
group_titles:
  {titles}
deliverables:
  - code: bc
    title: Báo cáo
    owner: group:all
    due: {before: 2023-03-09}
    fields:
{fields}
"""


def plan_text(fields: str, titles: str = "all: Tất cả đơn vị") -> str:
    return PLAN.replace("{fields}", fields).replace("{titles}", titles)


def test_fields_are_read_in_long_and_short_form() -> None:
    plan = read_plan_text(
        plan_text(
            "      so_dai_bieu: {type: int, label: Số đại biểu, required: true, min: 0}\n"
            "      ghi_chu: text\n"
        )
    ).plan
    assert plan.deliverables["bc"].fields == {
        "so_dai_bieu": DataField("so_dai_bieu", FieldType.INT, "Số đại biểu", True, 0.0, None),
        "ghi_chu": DataField("ghi_chu", FieldType.TEXT, "ghi_chu"),
    }
    assert data_fields(plan.spec.deliverables[0].fields) == plan.deliverables["bc"].fields
    assert plan.group_title("all") == "Tất cả đơn vị"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("      so_dai_bieu: integer\n", "phải là một trong 'int', 'number', 'text', 'date' hoặc"),
        ("      So-Dai: int\n", "'So-Dai' không hợp lệ: tên số liệu gồm chữ thường không dấu"),
        ("      n: {type: text, min: 1}\n", "min và max chỉ dùng cho số liệu int hoặc number"),
        ("      n: {type: int, min: 5, max: 1}\n", "min (5) lớn hơn max (1)"),
        ("      n: {type: int, colour: red}\n", "không có mục 'colour'"),
    ],
)
def test_a_bad_field_declaration_is_located(fields: str, expected: str) -> None:
    with pytest.raises(PlanError) as caught:
        read_plan_text(plan_text(fields), "p.yaml")
    message = str(caught.value)
    assert expected in message and "deliverables[0].fields" in message
    assert re.match(r"p\.yaml:(1[6-9]|2\d): ", message), message  # the line of the field


def test_a_title_for_an_unknown_group_is_refused() -> None:
    with pytest.raises(
        PlanError, match=r"group_titles.alll: không có nhóm 'alll' \(có phải 'all'\?\)"
    ):
        read_plan_text(plan_text("      n: int\n", titles="alll: Tất cả"))
