"""Pydantic's errors about a plan (or registry) file, said in Vietnamese: what is wrong and
what to write instead. Codes, field names and paths stay as written."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from models.deadlines import MONTH_PATTERN, QUARTER_PATTERN
from models.errors import shown
from models.fields import FIELD_NAME_PATTERN
from models.spec import CODE_PATTERN, OWNER_PATTERN

PLAIN_KEY = re.compile(r"^[\w-]+$")  # keys shown as they are in a path; others quoted
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # a date in the form YAML uses, real or not


# What a value matching each pattern of the plan format may contain, for people.
PATTERN_RULES = {
    CODE_PATTERN: "mã chỉ gồm chữ thường không dấu, số và '-' (ví dụ huong-khe)",
    OWNER_PATTERN.pattern: "ghi mã đơn vị (chữ thường không dấu, số và '-') hoặc group:tên-nhóm",
    MONTH_PATTERN: "ghi tháng dạng năm-tháng, ví dụ 2021-01",
    QUARTER_PATTERN: "ghi quý dạng năm-Q số quý, ví dụ 2023-Q2",
    FIELD_NAME_PATTERN: (
        "tên số liệu gồm chữ thường không dấu, số và '_', bắt đầu bằng chữ, tối đa 40 ký tự"
        " (ví dụ so_dai_bieu)"
    ),
}
TYPE_NAMES = {
    "string_type": "văn bản",
    "int_type": "số nguyên",
    "int_parsing": "số nguyên",
    "int_from_float": "số nguyên",
    "float_type": "số",
    "float_parsing": "số",
    "bool_type": "true hoặc false",
    "bool_parsing": "true hoặc false",
    "list_type": "một danh sách (ví dụ [a, b])",
    "dict_type": "các mục dạng 'tên: giá trị'",
    "model_type": "các mục dạng 'tên: giá trị'",
    "model_attributes_type": "các mục dạng 'tên: giá trị'",
}


def pydantic_message(error: Mapping[str, Any]) -> str:
    """One pydantic error of a plan (or registry) file in Vietnamese: what is wrong, what to do.
    Errors of our own validators keep their message; unusual ones keep pydantic's text."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    loc = error["loc"]
    if kind == "missing":
        return f"thiếu mục bắt buộc {quoted(loc[-1])}"
    if kind == "extra_forbidden":
        return f"không có mục {quoted(loc[-1])}: xóa đi hoặc sửa lại tên"
    if kind == "value_error":  # our own validators: their message, without pydantic's prefix
        return str(ctx.get("error", error["msg"])).removeprefix("Value error, ")
    if kind in TYPE_NAMES:
        return f"phải là {TYPE_NAMES[kind]}{_given(value)}"
    if kind.startswith("date_") and ISO_DAY.match(str(value)):
        return f"ngày {_shown(value)}không có thật: kiểm tra lại ngày và tháng"
    if kind.startswith("date_"):
        return f"ngày {_shown(value)}không hợp lệ: ghi dạng năm-tháng-ngày, ví dụ 2023-03-09"
    if kind.startswith("datetime_"):
        return f"thời điểm {_shown(value)}không hợp lệ: ghi ngày và giờ, ví dụ 2023-03-09T17:00"
    if kind == "string_pattern_mismatch":
        rule = PATTERN_RULES.get(str(ctx.get("pattern")), "giá trị không đúng định dạng")
        return f"{quoted(str(value)[:80])} không hợp lệ: {rule}"
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return "không được để trống"
        return f"quá ngắn: cần ít nhất {ctx.get('min_length')} ký tự"
    if kind == "string_too_long":
        return f"quá dài ({len(str(value))} ký tự, tối đa {ctx.get('max_length')}): rút gọn lại"
    if kind == "too_short":
        return f"cần ít nhất {ctx.get('min_length')} mục, đang có {ctx.get('actual_length')}"
    if kind == "too_long":
        return f"quá nhiều mục ({ctx.get('actual_length')}, tối đa {ctx.get('max_length')})"
    bounds = {
        "greater_than_equal": ("phải từ {} trở lên", "ge"),
        "less_than_equal": ("không được lớn hơn {}", "le"),
        "greater_than": ("phải lớn hơn {}", "gt"),
        "less_than": ("phải nhỏ hơn {}", "lt"),
    }
    if kind in bounds:
        text, key = bounds[kind]
        return text.format(ctx.get(key)) + _given(value)
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace(" or ", " hoặc ")
        return f"phải là một trong {expected}{_given(value)}"
    return f"giá trị không hợp lệ: {error['msg']}"


def _shown(value: Any) -> str:
    """`'10/03/2023' `: a scalar a person wrote, quoted, then a space (nothing for others)."""
    return f"{quoted(shown(str(value), 80))} " if isinstance(value, str | int | float) else ""


def _given(value: Any) -> str:
    """`, không phải 'ba'`: the value a person wrote, shown after what was expected."""
    if value is None:
        return ", đang để trống"
    if isinstance(value, bool):
        return f", không phải {str(value).lower()}"
    if isinstance(value, int | float):
        return f", không phải {shown(str(value))}"
    if isinstance(value, str):
        return f", không phải {quoted(shown(value, 80))}"
    if isinstance(value, list):
        return ", không phải một danh sách"
    if isinstance(value, dict):
        return ", không phải các mục 'tên: giá trị'"
    return ""


def quoted(key: Any) -> str:
    """A key or value quoted for a message: 'title'; odd characters (line breaks) escaped."""
    text = str(key)
    return f"'{text}'" if PLAIN_KEY.match(text) else repr(text)
