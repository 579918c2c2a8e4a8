"""Small plans for tests, written as data (JSON is YAML) and read by the real loader."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.loader import read_plan_text
from models.plan import Plan

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DISTRICTS = ["d1", "d2", "d3"]


def local(*args: int) -> datetime:
    """A moment in the plan timezone (Asia/Ho_Chi_Minh)."""
    return datetime(*args, tzinfo=HCM)


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
