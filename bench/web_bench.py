"""Benchmark of issue #6, the live part (a script, not a test): `dondoc web` under load.

Run: `.venv/bin/python bench/web_bench.py [--clients 20] [--requests 25] [--inflate]`. A real
`dondoc web`
(uvicorn, as a user starts it) serves a SQLite file holding the seed plan (with its demo
arrivals) and the 10,011-assignment synthetic plan (half delivered); `--clients` concurrent
clients (httpx, one asyncio loop in this process) each make `--requests` requests per scenario
and time them to the last byte. Bodies travel gzipped, as to a browser; the clients leave them
compressed unless `--inflate` (inflating 3 MB pages in this one Python process, on the same
2 cores as the server, then limits the clients rather than the server).
Target: the page (HTML, "now") of the 10k plan at p95 ≤ 300 ms under 20 clients on loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import store_with_arrivals, synthetic_plan_text  # noqa: E402
from models.files.arrivals_csv import read_arrivals_csv  # noqa: E402
from models.loader import read_plan_file, read_plan_text  # noqa: E402
from models.storage.engine import make_engine, session_scope  # noqa: E402
from models.storage.store import append_submission, save_plan  # noqa: E402

SEED = ROOT / "plans" / "gap-mat-2023.yaml"
SEED_ARRIVALS = ROOT / "plans" / "gap-mat-2023.arrivals.csv"
TARGET_P95_MS = 300.0
SCENARIOS = [  # (name, path): "now" pages are what a leader opens; as_of pages look back
    ("seed HTML now", "/plans/gap-mat-2023"),
    ("seed JSON now", "/plans/gap-mat-2023.json"),
    ("10k HTML now", "/plans/synthetic"),
    ("10k JSON now", "/plans/synthetic.json"),
    ("10k HTML as_of", "/plans/synthetic?as_of=13/03/2023%2009:00"),
]


def store_plans(url: str) -> None:
    """The synthetic plan (store_with_arrivals also migrates) and the seed plan with arrivals."""
    store_with_arrivals(url, read_plan_text(synthetic_plan_text(), "synthetic.yaml"))
    seed = read_plan_file(SEED)
    engine = make_engine(url)
    with session_scope(engine) as session:
        save_plan(session, seed)
        for arrival in read_arrivals_csv(SEED_ARRIVALS, seed.plan.tz):
            record(session, "gap-mat-2023", arrival.deliverable, arrival.unit, arrival.received_at)
    engine.dispose()


def record(session: Session, plan: str, deliverable: str, unit: str, at: datetime) -> None:
    append_submission(
        session,
        plan,
        deliverable=deliverable,
        unit=unit,
        kind="received",
        received_at=at,
        recorded_at=at,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(url: str, port: int) -> Iterator[str]:
    """`dondoc web` in its own process, as a user starts it (access log on, to /dev/null)."""
    env = {**os.environ, "DONDOC_DATABASE_URL": url}
    command = [str(ROOT / ".venv" / "bin" / "dondoc"), "web", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise RuntimeError("dondoc web did not start")
        yield base
    finally:
        process.terminate()
        process.wait(10)


async def load(
    base: str, path: str, clients: int, requests: int, inflate: bool = False
) -> tuple[list[float], float]:
    """Latencies (ms) of clients × requests GETs of `path`, and the wall time (s)."""
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def one_client() -> None:
            for _ in range(requests):
                started = time.perf_counter()
                async with client.stream("GET", path) as response:
                    async for _ in response.aiter_bytes() if inflate else response.aiter_raw():
                        pass
                latencies.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (path, response.status_code)

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        return latencies, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(name: str, latencies: list[float], wall: float) -> None:
    p50, p95, p99 = (percentile(latencies, q) for q in (0.5, 0.95, 0.99))
    print(
        f"  {name:<18} {len(latencies):>4} req  p50 {p50:7.1f}  p95 {p95:7.1f}  p99 {p99:7.1f}"
        f"  {len(latencies) / wall:6.1f} req/s"
    )


def first_request(base: str, path: str) -> tuple[float, int, int]:
    """Milliseconds, page size and bytes sent (gzipped) of one request."""
    started = time.perf_counter()
    response = httpx.get(base + path, timeout=60)
    return (
        (time.perf_counter() - started) * 1000,
        len(response.content),
        response.num_bytes_downloaded,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="per client and scenario")
    parser.add_argument("--inflate", action="store_true", help="clients decompress bodies")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        store_plans(url)
        with server(url, free_port()) as base:
            print(f"{args.clients} clients × {args.requests} requests, {base}, latency in ms")
            p95_10k = run_scenarios(base, args.clients, args.requests, args.inflate)
            after_arrival(base, url)
            uncached(base, args.clients)
    verdict = "ok" if p95_10k <= TARGET_P95_MS else "OVER TARGET"
    print(f"10k HTML now: p95 {p95_10k:.1f} ms (target ≤ {TARGET_P95_MS:.0f} ms: {verdict})")


def run_scenarios(base: str, clients: int, requests: int, inflate: bool) -> float:
    """Each scenario: the first request (builds the page), then the load; the 10k HTML p95."""
    p95_10k = 0.0
    for name, path in SCENARIOS:
        first, size, sent = first_request(base, path)
        print(
            f"  {name:<18} first request (builds the page) {first:7.1f} ms;"
            f" page {size / 1e6:.2f} MB, sent {sent / 1e6:.2f} MB"
        )
        latencies, wall = asyncio.run(load(base, path, clients, requests, inflate))
        report(name, latencies, wall)
        if name == "10k HTML now":
            p95_10k = percentile(latencies, 0.95)
    return p95_10k


def after_arrival(base: str, url: str) -> None:
    """A new arrival must show on the next request: that request rebuilds the page."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        record(session, "synthetic", "g0-d0", "g0-u0", datetime.now(UTC))
    engine.dispose()
    rebuilt, _, _ = first_request(base, "/plans/synthetic")
    print(f"  10k HTML now, first request after a new arrival: {rebuilt:7.1f} ms")


def uncached(base: str, clients: int) -> None:
    """Every request a different moment (no page to reuse): what the cache saves."""
    paths = [f"/plans/synthetic?as_of=13/03/2023%2008:{minute:02d}" for minute in range(clients)]

    async def all_distinct() -> tuple[list[float], float]:
        results = await asyncio.gather(*(load(base, path, 1, 1) for path in paths))
        return [ms for latencies, _ in results for ms in latencies], max(w for _, w in results)

    latencies, wall = asyncio.run(all_distinct())
    report("10k HTML uncached", latencies, wall)


if __name__ == "__main__":
    main()
