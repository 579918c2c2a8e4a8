"""The plan file as written: pydantic models of the YAML, checked field by field."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

CODE_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Email = Annotated[
    str,
    StringConstraints(pattern=r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$", max_length=254),
]
OWNER_PATTERN = re.compile(r"^(group:)?[a-z0-9][a-z0-9-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitSpec(_Strict):
    """A unit (đơn vị) that owes or receives deliverables."""

    code: Code
    name: Text
    email: Email | None = None
    head_email: Email | None = None


class DueSpec(_Strict):
    """Exactly one of the four deadline forms of a plan (see docs/plan-format.md)."""

    before: date | None = None
    by: date | None = None
    at: datetime | None = None
    on: date | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> DueSpec:
        given = [k for k in ("before", "by", "at", "on") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of before, by, at, on (e.g. {before: 2023-03-09})")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("before", "by", "at", "on") if getattr(self, k) is not None)

    @property
    def value(self) -> date | datetime:
        return getattr(self, self.kind)


class DeliverableSpec(_Strict):
    """A deliverable (nhiệm vụ): what is owed, by whom, to whom, by when, after what."""

    code: Code
    title: Text
    owner: Annotated[str, StringConstraints(pattern=OWNER_PATTERN.pattern, max_length=70)]
    to: Code | None = None
    due: DueSpec | None = None
    after: list[Code] = Field(default_factory=list)
    quote: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] = ""


class PlanSpec(_Strict):
    """A whole plan file."""

    code: Code
    title: Text
    source: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    timezone: str = "Asia/Ho_Chi_Minh"
    warning_days: Annotated[int, Field(ge=0, le=60)] = 3
    coordinator: Code | None = None
    leaders: list[Code] = Field(default_factory=list)
    units: list[UnitSpec] = Field(min_length=1)
    groups: dict[Code, list[Code]] = Field(default_factory=dict)
    deliverables: list[DeliverableSpec] = Field(min_length=1)
