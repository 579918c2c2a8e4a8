"""Synthetic plans of any size, shaped like real ones: groups of units, chains, a final event."""

from __future__ import annotations

import json
from datetime import date, timedelta


def synthetic_plan_text(groups: int = 10, units_per_group: int = 50, deliverables: int = 20) -> str:
    """A valid plan with groups × units_per_group × deliverables assignments (roughly).

    Each group owns `deliverables` chained deliverables (per-unit edges); every chain feeds one
    synthesis owned by the office (an all-units edge), and the syntheses feed one event.
    """
    units = [{"code": "office", "name": "Văn phòng", "email": "office@x.example"}]
    members: dict[str, list[str]] = {}
    for g in range(groups):
        codes = [f"g{g}-u{u}" for u in range(units_per_group)]
        members[f"g{g}"] = codes
        units += [{"code": c, "name": f"Đơn vị {c}", "email": f"{c}@x.example"} for c in codes]
    start = date(2023, 3, 1)
    items: list[dict] = []
    syntheses = []
    for g in range(groups):
        previous = None
        for d in range(deliverables):
            code = f"g{g}-d{d}"
            item = {
                "code": code,
                "title": f"Báo cáo {code}",
                "owner": f"group:g{g}",
                "to": "office",
            }
            if d % 2 == 0:
                item["due"] = {"before": str(start + timedelta(days=d))}
            if previous:
                item["after"] = [previous]
            items.append(item)
            previous = code
        syntheses.append(f"g{g}-synthesis")
        items.append(
            {
                "code": f"g{g}-synthesis",
                "title": "Tổng hợp",
                "owner": "office",
                "due": {"before": str(start + timedelta(days=deliverables + 1))},
                "after": [previous],
            }
        )
    items.append(
        {
            "code": "event",
            "title": "Hội nghị",
            "owner": "office",
            "due": {"on": str(start + timedelta(days=deliverables + 5))},
            "after": syntheses,
        }
    )
    plan = {
        "code": "synthetic",
        "title": "Kế hoạch tổng hợp thử",
        "coordinator": "office",
        "units": units,
        "groups": members,
        "deliverables": items,
    }
    return json.dumps(plan, ensure_ascii=False)
