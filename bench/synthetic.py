"""Synthetic plans of any size, shaped like real ones: groups of units, chains, a final event."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from models.loader import LoadedPlan
from models.plan import Plan
from models.storage.engine import make_engine, migrate, session_scope
from models.storage.store import append_submission, save_plan
from models.submissions import Submission, SubmissionKind

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# (groups, units per group, deliverables per group) of the plans the benchmarks name: 10,011
# assignments (501 units, 211 deliverables) and 99,221 (2,481 units, 821 deliverables), just
# under the loader's limit of 100,000 assignments
SIZES = {"10k": (10, 50, 20), "100k": (20, 124, 40)}


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
            item: dict[str, object] = {
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


def store_with_arrivals(url: str, loaded: LoadedPlan, share: float = 0.5) -> None:
    """Store the plan in the database at `url` with arrivals for `share` of its assignments,
    at seeded random times in March 2023 (so that runs compare)."""
    rng = random.Random(3)
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        save_plan(session, loaded)
        assignments = loaded.plan.assignments
        for ref in rng.sample(assignments, int(len(assignments) * share)):
            at = datetime(2023, 3, 1, tzinfo=HCM) + timedelta(hours=rng.randint(0, 24 * 14))
            append_submission(
                session,
                loaded.plan.code,
                deliverable=ref.deliverable,
                unit=ref.unit,
                kind=SubmissionKind.RECEIVED,
                received_at=at,
                recorded_at=at,
            )
    engine.dispose()


def synthetic_arrivals(plan: Plan, as_of: datetime, seed: int = 5) -> list[Submission]:
    """Arrivals (in memory) for half of the plan's assignments, up to 300 hours before as_of."""
    rng = random.Random(seed)
    done = rng.sample(plan.assignments, len(plan.assignments) // 2)
    return [
        Submission(i, ref.deliverable, ref.unit, SubmissionKind.RECEIVED, at, at)
        for i, ref in enumerate(done)
        for at in [as_of - timedelta(hours=rng.randint(1, 300))]
    ]
