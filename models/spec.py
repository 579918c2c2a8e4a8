"""The plan file as written: pydantic models of the YAML, checked field by field."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from models.addresses import wire_address
from models.control_characters import checked
from models.deadlines import MONTH_PATTERN, QUARTER_PATTERN, period_last_day
from models.fields import FIELD_NAME_PATTERN, FieldType
from models.relative_deadlines import MAX_OFFSET_DAYS
from models.review import DEFAULT_POLICY, ReviewPolicy

# The validation context of a plan rebuilt from its rows: it passed the checks of its day when
# it was loaded; the checks added since (control characters, addresses) must not make it
# unreadable, as every output now shows such text safely and every send fails alone.
STORED = {"stored": True}


def _typed(check: Callable[[str], str]) -> Callable[[str, ValidationInfo], str]:
    """`check` for text being entered (a plan file); stored text is read as it is."""

    def validate(text: str, info: ValidationInfo) -> str:
        return text if info.context and info.context.get("stored") else check(text)

    return validate


CODE_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN, max_length=64)]
# Names and titles: no control character but line breaks and tabs (models.control_characters).
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(_typed(checked)),
]
# A passage quoted from the plan, a source: line breaks and tabs allowed, nothing else.
Passage = Annotated[str, AfterValidator(_typed(checked))]
# Checked by email-validator (models.addresses), stored in the form that is sent.
Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_typed(wire_address))]
OWNER_PATTERN = re.compile(r"^(group:)?[a-z0-9][a-z0-9-]*$")
LADDER_MAX_DAYS = 60
OFFICE_HOURS = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitSpec(_Strict):
    """A unit (đơn vị) that owes or receives deliverables."""

    code: Code
    name: Text
    email: Email | None = None
    head_email: Email | None = None


class DueForm(StrEnum):
    """The ways a plan writes `due` (docs/plan-format.md, "Deadlines"); one per deadline."""

    BEFORE = "before"
    BY = "by"
    AT = "at"
    ON = "on"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    DAYS_BEFORE = "days_before"
    DAYS_AFTER = "days_after"
    WITHIN_DAYS = "within_days"


DAY_FORMS = (DueForm.BEFORE, DueForm.BY, DueForm.AT, DueForm.ON)
PERIOD_FORMS = (DueForm.MONTH, DueForm.QUARTER, DueForm.YEAR)
OFFSET_FORMS = (DueForm.DAYS_BEFORE, DueForm.DAYS_AFTER)  # from another's deadline: `of`
ARRIVAL_FORMS = (DueForm.WITHIN_DAYS,)  # from another's arrival: `after_arrival_of`
ONE_FORM = (
    f"ghi đúng một trong {', '.join(DueForm)} (ví dụ {{before: 2023-03-09}}, {{month: 2021-01}},"
    " {days_before: 10, of: khai-mac})"
)
OffsetDays = Annotated[StrictInt, Field(ge=1, le=MAX_OFFSET_DAYS)]


class DueSpec(_Strict):
    """Exactly one of the deadline forms of a plan (see docs/plan-format.md): a day, a period,
    or a number of days counted from another deliverable's deadline (`of`) or arrival
    (`after_arrival_of`), in working days when `working_days` is true."""

    before: date | None = None
    by: date | None = None
    at: datetime | None = None
    on: date | None = None
    month: Annotated[str, StringConstraints(pattern=MONTH_PATTERN)] | None = None
    quarter: Annotated[str, StringConstraints(pattern=QUARTER_PATTERN)] | None = None
    year: int | None = None  # its range is checked with the other years (models.validate)
    days_before: OffsetDays | None = None
    days_after: OffsetDays | None = None
    within_days: OffsetDays | None = None
    of: Code | None = None
    after_arrival_of: Code | None = None
    working_days: StrictBool | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> DueSpec:
        given = [form for form in DueForm if getattr(self, form.value) is not None]
        if len(given) != 1:
            raise ValueError(ONE_FORM)
        form, needed = given[0], self._reference_key(given[0])
        for key in ("of", "after_arrival_of"):
            if key != needed and getattr(self, key) is not None:
                raise ValueError(f"{key} không dùng với {form}: {REFERENCE_USE[key]}")
        if needed and getattr(self, needed) is None:
            raise ValueError(
                f"{form} cần {needed}: mã nhiệm vụ mà hạn được tính từ đó (ví dụ {{{form}: 10,"
                f" {needed}: khai-mac}})"
            )
        if self.working_days is not None and needed is None:
            raise ValueError(
                f"working_days không dùng với {form}: chỉ dùng với days_before, days_after,"
                " within_days"
            )
        return self

    @staticmethod
    def _reference_key(form: DueForm) -> str | None:
        if form in OFFSET_FORMS:
            return "of"
        return "after_arrival_of" if form in ARRIVAL_FORMS else None

    @property
    def form(self) -> DueForm:
        return next(form for form in DueForm if getattr(self, form.value) is not None)

    @property
    def kind(self) -> str:
        return self.form.value

    @property
    def value(self) -> date | datetime | str | int:
        """What is written after the form's key: a day, a period, a number of days."""
        written: date | datetime | str | int = getattr(self, self.kind)
        return written

    @property
    def reference(self) -> str | None:
        """The deliverable this deadline is counted from (`of`, `after_arrival_of`)."""
        return self.of or self.after_arrival_of

    @property
    def day(self) -> date | datetime | None:
        """The day written, or the last day of the period; None for a counted deadline."""
        if self.form in DAY_FORMS:
            day: date | datetime = getattr(self, self.kind)
            return day
        if self.form in PERIOD_FORMS:
            return period_last_day(self.kind, str(self.value))
        return None

    def stored(self) -> str:
        """The value as a row keeps it (`deliverable.due_value`), read back by `from_stored`:
        ISO text for a day, the period as written, the whole mapping (JSON) for a count."""
        if self.form in DAY_FORMS:
            day = self.day
            assert day is not None
            return day.isoformat()
        if self.form in PERIOD_FORMS:
            return str(self.value)
        return json.dumps(self.model_dump(mode="json", exclude_none=True))

    @staticmethod
    def from_stored(kind: str, stored: str) -> dict[str, object]:
        """The `due` mapping a row's `due_kind` and `due_value` stand for."""
        if DueForm(kind) in (*OFFSET_FORMS, *ARRIVAL_FORMS):
            document: dict[str, object] = json.loads(stored)
            return document
        return {kind: stored}


REFERENCE_USE = {
    "of": "chỉ dùng với days_before, days_after",
    "after_arrival_of": "chỉ dùng với within_days",
}


def _shorthand_type(value: object) -> object:
    """`so_dai_bieu: int` is short for `so_dai_bieu: {type: int}`."""
    return {"type": value} if isinstance(value, str) else value


class FieldSpec(_Strict):
    """A figure collected with each submission of a deliverable (docs/plan-format.md)."""

    type: FieldType
    label: Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=200),
        AfterValidator(_typed(checked)),
    ] = ""
    required: StrictBool = False
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds_make_sense(self) -> FieldSpec:
        if (self.min is not None or self.max is not None) and not self.type.summable:
            raise ValueError(
                f"min và max chỉ dùng cho số liệu int hoặc number, không cho {self.type}"
            )
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(
                f"min ({self.min:g}) lớn hơn max ({self.max:g}): sửa lại một trong hai"
            )
        return self


FieldName = Annotated[str, StringConstraints(pattern=FIELD_NAME_PATTERN)]


class DeliverableSpec(_Strict):
    """A deliverable (nhiệm vụ): what is owed, by whom, to whom, by when, after what."""

    code: Code
    title: Text
    owner: Annotated[str, StringConstraints(pattern=OWNER_PATTERN.pattern, max_length=70)]
    to: Code | None = None
    due: DueSpec | None = None
    after: list[Code] = Field(default_factory=list)
    quote: Annotated[Passage, StringConstraints(strip_whitespace=True, max_length=5000)] = ""
    fields: dict[FieldName, Annotated[FieldSpec, BeforeValidator(_shorthand_type)]] = Field(
        default_factory=dict, max_length=20
    )


def _days_or_switch(least: int) -> PlainValidator:
    """Days (`least` to 60) for a timed rule, or true/false to turn it on/off."""

    def check(value: object) -> int | bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and least <= value <= LADDER_MAX_DAYS:
            return value
        raise ValueError(
            f"ghi số ngày từ {least} đến {LADDER_MAX_DAYS} hoặc false, không phải {value!r}"
        )

    return PlainValidator(check, json_schema_input_type=int | bool)


def _office_hours(value: str) -> str:
    if not OFFICE_HOURS.match(value):
        raise ValueError(f"ghi theo dạng HH:MM-HH:MM (ví dụ 07:30-17:00), không phải {value!r}")
    opens, closes = value.split("-")
    if opens >= closes:
        raise ValueError(f"giờ bắt đầu làm việc phải trước giờ kết thúc, không phải {value!r}")
    return value


Days = Annotated[int | bool, _days_or_switch(0)]


class LadderSpec(_Strict):
    """A plan's `ladder:` override of the escalation ladder (docs/ladder.md); a key left out
    keeps its default. Days count from the deadline; false turns a rule off."""

    reminder: Days | None = None  # days before; default the plan's warning_days
    final_reminder: Days | None = None  # days before; default 1
    overdue: StrictBool | None = None
    overdue_repeat: Annotated[int | bool, _days_or_switch(1)] | None = None  # default every 2
    escalation: Days | None = None  # days after; default 2
    at_risk: StrictBool | None = None
    receipt: StrictBool | None = None
    office_hours: Annotated[str, AfterValidator(_office_hours)] | None = None  # 07:30-17:00
    days_off: list[date] | None = None  # the plan's own days off, on top of public holidays

    def overrides(self) -> dict[str, object]:
        """The keys given, as plain JSON values (how `plan.ladder` stores them)."""
        return self.model_dump(mode="json", exclude_none=True)


class PlanSpec(_Strict):
    """A whole plan file."""

    code: Code
    title: Text
    source: Annotated[Passage, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    timezone: str = "Asia/Ho_Chi_Minh"
    warning_days: Annotated[StrictInt, Field(ge=0, le=60)] = 3  # `true` is no number of days
    coordinator: Code | None = None
    leaders: list[Code] = Field(default_factory=list)
    units: list[UnitSpec] = Field(min_length=1)
    groups: dict[Code, list[Code]] = Field(default_factory=dict)
    group_titles: dict[Code, Text] = Field(default_factory=dict)  # "huyen": "Các huyện, …"
    deliverables: list[DeliverableSpec] = Field(min_length=1)
    ladder: LadderSpec | None = None
    # When an arrival counts as done: on arrival (default) or once a coordinator accepts it.
    review: ReviewPolicy = DEFAULT_POLICY
