"""Arrivals as CSV (deliverable,unit,received_at,note[,figure…]): the demo and bulk imports.

Columns after the four known ones are figures (a deliverable's `fields`, e.g. so_dai_bieu);
an empty cell means none. They are checked by type when the arrival is recorded."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from models.errors import FileError, InputError, Problem
from models.moments import parse_moment

COLUMNS = ("deliverable", "unit", "received_at", "note")


@dataclass(frozen=True)
class Arrival:
    """One deliverable received from one unit at a moment."""

    deliverable: str
    unit: str
    received_at: datetime
    note: str = ""
    data: Mapping[str, str] = field(default_factory=dict)  # figure columns, as written


def read_arrivals_csv(path: Path | str, tz: ZoneInfo) -> list[Arrival]:
    """Arrivals in file order; times without offset are read in `tz`. Errors name the line."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
            header = tuple(rows[0].keys()) if rows else ()
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise FileError(str(path), [Problem(f"không đọc được tệp CSV: {exc}")]) from exc
    missing = [c for c in COLUMNS[:3] if rows and c not in header]
    if missing:
        raise FileError(str(path), [Problem(f"thiếu cột: {', '.join(missing)}", line=1)])
    arrivals, problems = [], []
    for line, row in enumerate(rows, start=2):
        try:
            moment = parse_moment(row["received_at"] or "", tz)
        except InputError as exc:
            problems.append(Problem(str(exc), "received_at", line))
            continue
        figures = {k: v for k, v in row.items() if k not in COLUMNS and k and v and v.strip()}
        note = row.get("note") or ""
        arrivals.append(Arrival(row["deliverable"], row["unit"], moment, note, figures))
    if problems:
        raise FileError(str(path), problems)
    return arrivals
