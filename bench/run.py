"""Benchmarks of issue #3 (a script, not a test): evaluate, snapshot queries, `status --json`.

Run: `make bench` (or `.venv/bin/python bench/run.py [--postgres URL]`). Prints a table of
numbers against the targets: evaluate ≤ 0.3 s and `status --json` ≤ 2 s for 10,000
assignments, and a constant number of SQL queries to read a plan whatever its size.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import (  # noqa: E402
    store_with_arrivals,
    synthetic_arrivals,
    synthetic_plan_text,
)
from bench.timing import best_of  # noqa: E402
from models.evaluate import evaluate  # noqa: E402
from models.loader import read_plan_file, read_plan_text  # noqa: E402
from models.storage.engine import make_engine, session_scope  # noqa: E402
from models.storage.store import read_snapshot  # noqa: E402

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = datetime(2023, 3, 12, 9, tzinfo=HCM)


def snapshot_queries(url: str, code: str) -> tuple[int, float]:
    engine = make_engine(url)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    start = time.perf_counter()
    with session_scope(engine) as session:
        read_snapshot(session, code)
    elapsed = time.perf_counter() - start
    engine.dispose()
    return len(statements), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL URL (a scratch DB)")
    args = parser.parse_args()
    loaded = read_plan_text(synthetic_plan_text(), "synthetic.yaml")
    seed = read_plan_file(ROOT / "plans" / "gap-mat-2023.yaml")
    plan = loaded.plan
    n = len(plan.assignments)
    rows = synthetic_arrivals(plan, AS_OF)
    results: list[tuple[str, float | str, str]] = [
        (
            f"evaluate, {n} assignments, {len(rows)} submissions",
            best_of(5, lambda: evaluate(plan, rows, AS_OF)),
            "≤ 0.300 s",
        )
    ]

    with tempfile.TemporaryDirectory() as tmp:
        urls = {"sqlite": f"sqlite:///{tmp}/bench.db"}
        if args.postgres:
            urls["postgresql"] = args.postgres
        for name, url in urls.items():
            store_with_arrivals(url, seed)
            store_with_arrivals(url, loaded)
            small, _ = snapshot_queries(url, seed.plan.code)
            big, seconds = snapshot_queries(url, plan.code)
            results.append(
                (f"[{name}] snapshot queries: seed plan / 10k plan", f"{small} / {big}", "equal")
            )
            results.append((f"[{name}] read_snapshot, 10k plan", seconds, "—"))
            env = {**os.environ, "DONDOC_DATABASE_URL": url}
            command = [
                str(ROOT / ".venv" / "bin" / "dondoc"),
                "status",
                plan.code,
                "--json",
                "--as-of",
                AS_OF.isoformat(),
            ]

            def run_cli(command=command, env=env) -> None:
                subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)

            results.append(
                (f"[{name}] `dondoc status --json`, end to end", best_of(3, run_cli), "≤ 2.000 s")
            )

    width = max(len(r[0]) for r in results)
    for label, value, target in results:
        shown = f"{value:.3f} s" if isinstance(value, float) else value
        print(f"{label:<{width}}  {shown:>12}  target {target}")


if __name__ == "__main__":
    main()
