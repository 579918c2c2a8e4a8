"""The one plan builder of the tests: small plans written as data (JSON is YAML) and read by
the real loader, the seed-like units of the ladder tests, and submissions and moments."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.deadlines import Deadline
from models.loader import read_plan_text
from models.plan import Plan
from models.submissions import Submission, SubmissionKind

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DISTRICTS = ["d1", "d2", "d3"]


def local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """A moment in the plan timezone (Asia/Ho_Chi_Minh)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=HCM)


def plan_document(deliverables: list[dict[str, Any]], **top: Any) -> dict[str, Any]:
    """A minimal valid plan around the given deliverables: office `vp`, districts d1..d3."""
    units = [
        {"code": c, "name": f"Đơn vị {c}", "email": f"{c}@x.example"} for c in ["vp", *DISTRICTS]
    ]
    document = {
        "code": "p",
        "title": "Kế hoạch thử",
        "coordinator": "vp",
        "units": units,
        "groups": {"huyen": DISTRICTS},
        "deliverables": deliverables,
    }
    document.update(top)
    return document


def plan_text(deliverables: list[dict[str, Any]], **top: Any) -> str:
    return json.dumps(plan_document(deliverables, **top), default=str, ensure_ascii=False, indent=1)


def build(deliverables: list[dict[str, Any]], **top: Any) -> Plan:
    return read_plan_text(plan_text(deliverables, **top), "test.yaml").plan


def deliverable(code: str, owner: str = "vp", **fields: Any) -> dict[str, Any]:
    return {"code": code, "title": f"Nhiệm vụ {code}", "owner": owner, **fields}


def deadline_of(plan: Plan, code: str) -> Deadline:
    """The deadline of deliverable `code`, written or inherited: it must have one."""
    deadline = plan.deliverables[code].deadline
    assert deadline is not None, f"{code} has no deadline"
    return deadline


# The ladder tests' units: an office with a head, a leader, three districts with heads.
LADDER_UNITS = [
    {
        "code": "vp",
        "name": "Văn phòng",
        "email": "vp@x.example",
        "head_email": "chanh.vp@x.example",
    },
    {"code": "lead", "name": "Thường trực", "email": "tt@x.example"},
    *(
        {
            "code": c,
            "name": f"Huyện {c}",
            "email": f"{c}@x.example",
            "head_email": f"bt.{c}@x.example",
        }
        for c in ("d1", "d2", "d3")
    ),
]


def ladder_plan(deliverables: list[dict[str, Any]], **top: Any) -> Plan:
    """A plan of LADDER_UNITS (coordinator `vp`, leader `lead`) around the deliverables."""
    return build(deliverables, **{"units": LADDER_UNITS, "leaders": ["lead"], **top})


REPORT = deliverable("report", "group:huyen", to="vp", due={"before": "2023-03-09"})


def received(deliverable_code: str, unit: str, at: datetime, number: int = 1) -> Submission:
    return Submission(number, deliverable_code, unit, SubmissionKind.RECEIVED, at, at)


def at(day: int, hour: int = 7, minute: int = 30, month: int = 3, year: int = 2023) -> datetime:
    """A moment of March 2023 (by default), plan time: 07:30 unless told."""
    return datetime(year, month, day, hour, minute, tzinfo=HCM)
