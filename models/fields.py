"""Data collected with a submission: a deliverable's declared fields, their values and totals.

A plan may ask units for figures along with a report (e.g. `so_dai_bieu`, the number of
attendees a district sends). Values arrive as text (`--set so_dai_bieu=12`, a CSV column,
a Prefect form) and are checked against the field's type here, once, for every entry point.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from models.control_characters import checked
from models.errors import KIND_LABELS, InvalidInputError, close_matches, shown, suggestion_hint

FIELD_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
MAX_TEXT_VALUE = 500
Value = int | float | str | bool


class FieldType(StrEnum):
    INT = "int"  # a whole number (seats, people)
    NUMBER = "number"  # a decimal number
    TEXT = "text"
    DATE = "date"  # stored as ISO text, shown dd/mm/yyyy
    BOOL = "bool"

    @property
    def hint(self) -> str:
        """What to type, for error messages."""
        return FIELD_HINTS[self]

    @property
    def summable(self) -> bool:
        return self in (FieldType.INT, FieldType.NUMBER)


FIELD_HINTS = {
    FieldType.INT: "một số nguyên, ví dụ 12",
    FieldType.NUMBER: "một số, ví dụ 12,5 hoặc 12.5",
    FieldType.TEXT: f"một đoạn chữ trên một dòng, tối đa {MAX_TEXT_VALUE} ký tự",
    FieldType.DATE: "một ngày, ví dụ 08/03/2023 hoặc 2023-03-08",
    FieldType.BOOL: "có/không (hoặc yes/no, true/false)",
}
TRUE_WORDS = frozenset({"true", "yes", "1", "có", "co", "x"})
FALSE_WORDS = frozenset({"false", "no", "0", "không", "khong"})
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class DataField:
    """One figure a deliverable collects; `label` is what people read (Vietnamese)."""

    name: str
    type: FieldType
    label: str
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None


def parse_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """`["so_dai_bieu=12", …]` (the CLI's --set) → `{"so_dai_bieu": "12"}`; a name twice is
    refused rather than silently keeping one."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InvalidInputError(
                f"--set '{pair}': viết theo dạng tên=giá trị, ví dụ so_dai_bieu=12"
            )
        if name in values:
            raise InvalidInputError(f"--set có '{name}' hai lần: mỗi số liệu chỉ ghi một lần")
        values[name] = text.strip()
    return values


def parse_values(
    fields: Mapping[str, DataField], given: Mapping[str, object], where: str
) -> dict[str, Value]:
    """The given values checked and converted by type; required fields must be there.

    `where` names the deliverable in messages. Empty text counts as not given."""
    given = {name: v for name, v in given.items() if not (isinstance(v, str) and not v.strip())}
    for name in given:
        if name not in fields:
            known = ", ".join(fields) or "không có"
            hint = suggestion_hint(close_matches(name, fields))
            raise InvalidInputError(
                f"'{where}' không có {KIND_LABELS['field']} '{name}'{hint} "
                f"(các số liệu của nhiệm vụ này: {known})"
            )
    missing = [f for f in fields.values() if f.required and f.name not in given]
    if missing:
        wanted = " ".join(f"--set {f.name}=<{f.type.value}>" for f in missing)
        raise InvalidInputError(
            f"'{where}' cần số liệu {', '.join(f.name for f in missing)}: thêm {wanted}"
        )
    return {name: convert(fields[name], raw) for name, raw in given.items()}


def convert(field: DataField, raw: object) -> Value:
    """One value as its field's type, or a message saying what was expected."""
    try:
        value = _CONVERTERS[field.type](raw)
    except (TypeError, ValueError):
        raise InvalidInputError(
            f"{field.name}: giá trị {shown(str(raw))!r} không hợp lệ, cần {field.type.hint}"
        ) from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        _check_range(field, value)
    return value


def _check_range(field: DataField, value: float) -> None:
    if field.minimum is not None and value < field.minimum:
        raise InvalidInputError(
            f"{field.name}: {format_number(value)} nhỏ hơn mức tối thiểu "
            f"{format_number(field.minimum)}"
        )
    if field.maximum is not None and value > field.maximum:
        raise InvalidInputError(
            f"{field.name}: {format_number(value)} lớn hơn mức tối đa "
            f"{format_number(field.maximum)}"
        )


# A number as people write it: ASCII digits, an optional decimal part after "." or ",".
NUMBER = re.compile(r"[+-]?[0-9]{1,15}([.,][0-9]{1,6})?")


def _to_int(raw: object) -> int:
    if isinstance(raw, bool):
        raise TypeError
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,15}", text):  # \d would take ١٢ (Arabic-Indic) too
        raise ValueError(text)
    return int(text)


def _to_number(raw: object) -> float | int:
    if isinstance(raw, bool):
        raise TypeError
    if isinstance(raw, int | float):
        number: float | int = raw
    else:
        text = str(raw).strip()
        if not NUMBER.fullmatch(text):  # float() would take ١٢, 1e308, "nan", "infinity"
            raise ValueError(text)
        number = float(text.replace(",", "."))
    if not math.isfinite(number):
        raise ValueError(raw)
    return int(number) if float(number).is_integer() else number


def _to_text(raw: object) -> str:
    text = str(raw).strip()
    if len(text) > MAX_TEXT_VALUE or any(c in text for c in "\r\n"):
        raise ValueError(text)
    return checked(text)  # no ESC, no NUL either


def _to_date(raw: object) -> str:
    text = str(raw).strip()
    match = DAY_MONTH_YEAR.match(text)
    day = date(*map(int, reversed(match.groups()))) if match else date.fromisoformat(text)
    return day.isoformat()


def _to_bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(word)


_CONVERTERS = {
    FieldType.INT: _to_int,
    FieldType.NUMBER: _to_number,
    FieldType.TEXT: _to_text,
    FieldType.DATE: _to_date,
    FieldType.BOOL: _to_bool,
}


def display(field: DataField, value: object) -> str:
    """A value as a Vietnamese reader expects it: 1.234 (dot groups), 12,5, dd/mm/yyyy, có."""
    if field.type is FieldType.BOOL:
        return "có" if value else "không"
    if field.type is FieldType.DATE and isinstance(value, str):
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    if field.type.summable and isinstance(value, int | float):
        return format_number(value)
    return str(value)


def format_number(value: float) -> str:
    """Vietnamese number format: '.' groups thousands, ',' marks decimals."""
    whole = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    return whole.replace(",", " ").replace(".", ",").replace(" ", ".")


UNUSABLE = "số liệu đã lưu không dùng được"


def usable_values(
    fields: Mapping[str, DataField], stored: Mapping[str, object]
) -> tuple[dict[str, Value], tuple[str, ...]]:
    """Stored figures read as their fields' types today, and the names of those that cannot
    be: a field the plan no longer declares, or a value its type or range refuses (a row from
    an older version of the plan, a reload that changed a type under it, a hand-edited
    database). Whatever reads stored figures reads them through here, so none of them can make
    a board, a page, a workbook or an e-mail fail."""
    values: dict[str, Value] = {}
    unusable: list[str] = []
    for name, raw in stored.items():
        field = fields.get(name)
        try:
            if field is None:
                raise InvalidInputError(name)
            values[name] = convert(field, raw)
        except InvalidInputError:
            unusable.append(name)
    return values, tuple(unusable)


def values_text(fields: Mapping[str, DataField], data: Mapping[str, object]) -> str:
    """`Số đại biểu: 12; …`, in the order the plan declares the fields, from stored figures."""
    return figures_text(fields, *usable_values(fields, data))


def figures_text(
    fields: Mapping[str, DataField], values: Mapping[str, Value], unusable: Sequence[str] = ()
) -> str:
    """Figures already read (`usable_values`), with those that could not be named as such,
    never shown as if they counted."""
    parts = [
        f"{f.label}: {display(f, values[name])}" for name, f in fields.items() if name in values
    ]
    if unusable:
        names = ", ".join(fields[n].label if n in fields else shown(n) for n in unusable)
        parts.append(f"{UNUSABLE}: {names}")
    return "; ".join(parts)
