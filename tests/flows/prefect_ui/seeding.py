"""The database the served deployments write: the seed plan and the demo's arrivals, all but
the one a coordinator records through the form (Đức Thọ's district report)."""

from __future__ import annotations

import csv
from pathlib import Path

from models.loader import LoadedPlan
from tests.paths import ROOT
from tests.web_servers import seed_database

ARRIVALS = ROOT / "plans" / "gap-mat-2023.arrivals.csv"
RECORDED_IN_THE_FORM = ("bc-huyen", "duc-tho")


def arrivals_but_one(folder: Path) -> Path:
    """The demo's arrivals without Đức Thọ's district report, as a CSV file in `folder`."""
    with ARRIVALS.open(encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    kept = [row for row in rows if tuple(row[:2]) != RECORDED_IN_THE_FORM]
    assert len(kept) == len(rows) - 1
    path = folder / "arrivals.csv"
    with path.open("w", encoding="utf-8", newline="") as target:
        csv.writer(target).writerows(kept)
    return path


def seeded_database(folder: Path, seed: LoadedPlan) -> str:
    """The URL of a SQLite file in `folder` with the seed plan and those arrivals."""
    return seed_database(folder, seed, arrivals_but_one(folder))
