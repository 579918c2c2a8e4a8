"""What the Prefect UI should show, read through the domain: the stored plan and its
arrivals, evaluated at a moment, and names as Prefect's ASCII-only graph font spells them."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from models.evaluate import AssignmentStatus, evaluate
from models.storage.engine import make_engine, session_scope
from models.storage.store import Snapshot, read_snapshot
from tests.flows.prefect_ui.servers import PLAN


def snapshot_of(database_url: str, plan: str = PLAN) -> Snapshot:
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            return read_snapshot(session, plan)
    finally:
        engine.dispose()


def statuses_at(database_url: str, as_of: datetime) -> list[AssignmentStatus]:
    snapshot = snapshot_of(database_url)
    return evaluate(snapshot.plan, snapshot.submissions, as_of)


def ascii_spelling(text: str) -> str:
    """`Huyện ủy Đức Thọ` → `Huyen uy Duc Tho` (the test's own folding, not the flows')."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in folded if c.isascii())
