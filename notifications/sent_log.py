"""What the outbox already holds: keys with when they were decided, indexed for the ladder."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from notifications.messages import parse_key
from notifications.rules import Rule


@dataclass(frozen=True)
class SentLog:
    """The keys already in the outbox (any status) → when each was decided.

    A key here is never decided again. `thread_root` is the first message about an
    assignment; `last_digest` the latest leaders' digest.
    """

    decided: Mapping[str, datetime] = field(default_factory=dict)
    roots: Mapping[tuple[str, str], str] = field(default_factory=dict)
    last_digest: datetime | None = None
    first_digest: str | None = None

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[str, datetime]]) -> SentLog:
        """Entries in the order they were inserted (the outbox id)."""
        decided: dict[str, datetime] = {}
        roots: dict[tuple[str, str], tuple[datetime, str]] = {}
        last_digest: datetime | None = None
        first_digest: str | None = None
        for key, at in entries:
            decided[key] = at
            parts = parse_key(key)
            if parts.deliverable is not None and parts.unit is not None:
                ref = (parts.deliverable, parts.unit)
                if ref not in roots or at < roots[ref][0]:
                    roots[ref] = (at, key)
            elif parts.rule is Rule.ESCALATION:
                first_digest = first_digest or key
                last_digest = at if last_digest is None else max(last_digest, at)
        root_keys = {ref: key for ref, (_, key) in roots.items()}
        return cls(decided, root_keys, last_digest, first_digest)

    def __contains__(self, key: object) -> bool:
        return key in self.decided

    def __len__(self) -> int:
        return len(self.decided)

    def at(self, key: str) -> datetime | None:
        return self.decided.get(key)

    def thread_root(self, deliverable: str, unit: str) -> str | None:
        return self.roots.get((deliverable, unit))
