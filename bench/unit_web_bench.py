"""Measure the units' page of `dondoc web` on loopback (a script, not a test): p95 of
GET /n/<token> and of a 5 MB upload (POST /n/<token>/nop) with 20 units at once, against a real
`dondoc web` process on a SQLite file of the seed plan; and how much the files dir grew.

    .venv/bin/python bench/unit_web_bench.py [--units 20] [--gets 10] [--mb 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench.web_bench as web_bench  # noqa: E402
from models.loader import read_plan_file  # noqa: E402
from models.storage.engine import make_engine, migrate, session_scope  # noqa: E402
from models.storage.store import save_plan  # noqa: E402
from notifications.links import sign  # noqa: E402
from tests.models.uploads.samples import pdf_bytes  # noqa: E402

SECRET = "b" * 40
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


async def one_unit(
    client: httpx.AsyncClient, path: str, gets: int, body: bytes, figures: dict[str, str]
) -> tuple[list[float], float, int]:
    """`gets` page views, then one upload: (GET latencies, upload latency, upload status)."""
    latencies = []
    html = ""
    for _ in range(gets):
        started = time.perf_counter()
        answer = await client.get(path)
        latencies.append((time.perf_counter() - started) * 1000)
        html = answer.text
    found = CSRF.search(html)
    data = {"csrf": found.group(1) if found else "", "nguoi_gui": "Bench", **figures}
    started = time.perf_counter()
    answer = await client.post(
        f"{path}/nop", data=data, files=[("tep", ("bao-cao.pdf", body))], timeout=120
    )
    return latencies, (time.perf_counter() - started) * 1000, answer.status_code


async def run(base: str, paths: list[tuple[str, dict[str, str]]], gets: int, padding: int):
    """Every unit at once, each sending a PDF of its own (distinct content: no sharing)."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        return await asyncio.gather(
            *(
                one_unit(client, p, gets, pdf_bytes(f"Don vi {i}", padding), f)
                for i, (p, f) in enumerate(paths)
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--gets", type=int, default=10)
    parser.add_argument("--mb", type=float, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        files_dir = Path(folder) / "files"
        loaded = read_plan_file(ROOT / "plans" / "gap-mat-2023.yaml")
        engine = make_engine(url)
        migrate(engine)
        with session_scope(engine) as session:
            save_plan(session, loaded)
        engine.dispose()
        plan = loaded.plan
        now = datetime.now(UTC)
        paths = []
        for ref in list(plan.assignments)[: args.units]:
            fields = plan.deliverables[ref.deliverable].fields.values()
            figures = {f"so_lieu.{f.name}": "1" for f in fields if f.required}
            token = sign(SECRET, plan.code, ref.deliverable, ref.unit, now)
            paths.append((f"/n/{token}", figures))
        os.environ.update(DONDOC_WEB_SECRET=SECRET, DONDOC_FILES_DIR=str(files_dir))
        padding = int(args.mb * 1024 * 1024)
        before = folder_size(files_dir)
        web_bench.SERVER_LOG = Path(folder) / "server.log"
        with web_bench.server(url) as served:
            started = time.perf_counter()
            results = asyncio.run(run(served.base, paths, args.gets, padding))
            wall = time.perf_counter() - started
            rss, peak = served.rss_mb()
        gets = [ms for latencies, _, _ in results for ms in latencies]
        uploads = [ms for _, ms, _ in results]
        statuses = [status for _, _, status in results]
        grown = folder_size(files_dir) - before
        errors = [line for line in web_bench.SERVER_LOG.read_text().splitlines() if "Error" in line]
        print("\n".join(errors[-5:]))
        print(f"{len(paths)} units at once, {args.gets} GETs each, then one {args.mb:g} MB upload")
        print(f"GET /n/<token>: p95 {p95(gets):.0f} ms (median {sorted(gets)[len(gets) // 2]:.0f})")
        print(f"upload: p95 {p95(uploads):.0f} ms; statuses {sorted(set(statuses))}")
        print(f"files dir grew {grown / 1024 / 1024:.1f} MB for {statuses.count(303)} uploads")
        print(f"wall {wall:.1f} s; server RSS {rss:.0f} MB, peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
