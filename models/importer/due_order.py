"""When a drafted deadline falls due and what work it waits on must be done by, so a proposed
dependency is checked against the deadline order `plan check` enforces (models/validate.py)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from models.deadlines import Deadline, resolve
from models.importer.model import DraftDue

_UTC = ZoneInfo("UTC")  # one zone for every draft deadline: only their order matters here


def window(due: DraftDue | None) -> Deadline | None:
    """The draft deadline as `plan check` resolves it (`due_at`, `cutoff`); None when it has
    no day yet (a count from an arrival) or no deadline at all."""
    if due is None or due.when is None:
        return None
    return resolve(due.kind.value, due.when, _UTC)
