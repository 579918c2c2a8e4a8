"""Real processes for the reliability tests: the project's interpreter, their environment."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tests.paths import ROOT

PYTHON = ROOT / ".venv" / "bin" / "python"
PLAN = "gap-mat-2023"
FAST_DELAYS = [0.05, 0.1, 0.2]


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a dondoc process on `database_url`, run from the repository root."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DONDOC_", "PREFECT_"))}
    env.update(
        DONDOC_DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
        COLUMNS="160",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
    )
    env.update(extra)
    return env


@dataclass(frozen=True)
class Outcome:
    via: str
    code: int
    message: str


Race = Callable[[Sequence[dict[str, Any]]], list[Outcome]]
