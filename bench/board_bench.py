"""Benchmark of issue #6 (a script, not a test): the board as HTML and XLSX for 10,000 assignments.

Run: `.venv/bin/python bench/board_bench.py`. Target: board_view + HTML + XLSX ≤ 2 s for the
synthetic plan (bench/synthetic.py), half of it delivered at seeded random times.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import synthetic_arrivals, synthetic_plan_text  # noqa: E402
from bench.timing import best_of  # noqa: E402
from models.evaluate import evaluate  # noqa: E402
from models.loader import read_plan_text  # noqa: E402
from notifications.board import board_view  # noqa: E402
from notifications.board_html import render_board_html  # noqa: E402
from notifications.board_xlsx import write_board_xlsx  # noqa: E402

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = datetime(2023, 3, 13, 9, tzinfo=HCM)
TARGET_SECONDS = 2.0


def main() -> None:
    plan = read_plan_text(synthetic_plan_text(), "synthetic.yaml").plan
    submissions = synthetic_arrivals(plan, AS_OF)
    statuses = evaluate(plan, submissions, AS_OF)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "board.xlsx"

        def whole() -> None:
            view = board_view(plan, statuses, AS_OF)
            render_board_html(view)
            write_board_xlsx(view, target)

        view = board_view(plan, statuses, AS_OF)
        parts = {
            "board_view": best_of(3, lambda: board_view(plan, statuses, AS_OF)),
            "HTML": best_of(3, lambda: render_board_html(view)),
            "XLSX": best_of(3, lambda: write_board_xlsx(view, target)),
        }
        started = time.perf_counter()
        whole()
        total = time.perf_counter() - started
        size = len(render_board_html(view)) / 1e6, target.stat().st_size / 1e6
    print(f"{len(statuses)} assignments, {len(view.late)} late, {len(view.at_risk)} at risk")
    for name, seconds in parts.items():
        print(f"  {name:<10} {seconds:6.3f} s (best of 3)")
    verdict = "ok" if total <= TARGET_SECONDS else "OVER TARGET"
    print(f"  {'total':<10} {total:6.3f} s (one run; target ≤ {TARGET_SECONDS} s: {verdict})")
    print(f"  sizes: HTML {size[0]:.1f} MB, XLSX {size[1]:.1f} MB")


if __name__ == "__main__":
    main()
