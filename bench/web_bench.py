"""Benchmark of issues #6 and #13 (class 11), the live part (a script, not a test): `dondoc web`
under load, on a 10k and a 100k plan, and under the requests that make it work on purpose.

Run: `.venv/bin/python bench/web_bench.py [--plans 10k,100k] [--clients 20] [--requests 25]
[--inflate]`. For each plan size a real `dondoc web` (uvicorn, as a user starts it) serves a
SQLite file holding that synthetic plan (half delivered; the 10k one also the seed plan with
its demo arrivals); `--clients` concurrent clients (httpx, one asyncio loop in this process)
each make `--requests` requests per scenario and time them to the last byte. Bodies travel
gzipped, as to a browser; the clients leave them compressed unless `--inflate` (inflating big
pages in this one Python process, on the same 2 cores as the server, then limits the clients
rather than the server).

Then, on a fresh server per plan: look-backs at distinct moments (20 readers, each request
another minute), the workbook, 10 parallel requests at 10 distinct moments (the server's peak
RSS, from /proc), and 500 connections that send half a request line (how long they stay open,
and how fast a normal request is answered meanwhile).
Target: the page (HTML, "now") at p95 ≤ 300 ms under 20 clients on loopback.
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import SIZES, store_with_arrivals, synthetic_plan_text  # noqa: E402
from flows.local_api import free_port  # noqa: E402
from models.files.arrivals_csv import read_arrivals_csv  # noqa: E402
from models.loader import read_plan_file, read_plan_text  # noqa: E402
from models.storage.engine import make_engine, session_scope  # noqa: E402
from models.storage.store import append_submission, save_plan  # noqa: E402

SEED = ROOT / "plans" / "gap-mat-2023.yaml"
SEED_ARRIVALS = ROOT / "plans" / "gap-mat-2023.arrivals.csv"
TARGET_P95_MS = 300.0
BOARD = "/plans/synthetic"
SEED_SCENARIOS = [
    ("seed HTML now", "/plans/gap-mat-2023"),
    ("seed JSON now", "/plans/gap-mat-2023.json"),
]
SCENARIOS = [  # (name, path): "now" pages are what a leader opens; as_of pages look back
    ("HTML now", BOARD),
    ("JSON now", f"{BOARD}.json"),
    ("HTML as_of", f"{BOARD}?as_of=13/03/2023%2009:00"),
]
HALF_SENT = 500  # connections that send half a request line and wait
PARALLEL_DISTINCT = 10  # requests at distinct moments at once, for the peak RSS
LOOK_BACKS_PER_CLIENT = 2  # each a build where nothing is shared: seconds each on a 100k plan


@dataclass
class Answers:
    """Latencies (ms) of the answered requests, how many were refused as busy (503), and the
    other answers by status (none expected)."""

    latencies: list[float]
    busy: int = 0
    wall: float = 0.0
    failed: dict[int | str, int] = field(default_factory=dict)  # by status or transport error


def store_plans(url: str, size: str) -> None:
    """The synthetic plan of `size` (store_with_arrivals also migrates); with the 10k one, the
    seed plan with its arrivals too."""
    groups, units, deliverables = SIZES[size]
    text = synthetic_plan_text(groups, units, deliverables)
    store_with_arrivals(url, read_plan_text(text, "synthetic.yaml"))
    if size != "10k":
        return
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


@dataclass(frozen=True)
class Server:
    base: str
    pid: int

    def rss_mb(self) -> tuple[float, float]:
        """The server's resident memory now and at its peak so far (VmRSS, VmHWM), in MB."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        values = {
            line.split(":")[0]: int(line.split()[1]) / 1024
            for line in status.splitlines()
            if line.startswith(("VmRSS", "VmHWM"))
        }
        return values["VmRSS"], values["VmHWM"]


SERVER_LOG = Path(os.devnull)  # where the servers write (--log)


@contextmanager
def server(url: str) -> Iterator[Server]:
    """`dondoc web` in its own process, as a user starts it (access log on, to --log)."""
    port = free_port()
    env = {**os.environ, "DONDOC_DATABASE_URL": url}
    command = [str(ROOT / ".venv" / "bin" / "dondoc"), "web", "--port", str(port)]
    log = SERVER_LOG.open("a")
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise RuntimeError("dondoc web did not start")
        yield Server(base, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()


async def load(
    base: str, paths: list[str], clients: int, requests: int, inflate: bool = False
) -> Answers:
    """clients × requests GETs, request k of client c asking paths[(c × requests + k) % n]."""
    answers = Answers([])
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:

        async def one_client(number: int) -> None:
            for k in range(requests):
                path = paths[(number * requests + k) % len(paths)]
                started = time.perf_counter()
                try:
                    async with client.stream("GET", path) as response:
                        async for _ in response.aiter_bytes() if inflate else response.aiter_raw():
                            pass
                except httpx.TransportError as error:
                    name = type(error).__name__
                    answers.failed[name] = answers.failed.get(name, 0) + 1
                    continue
                if response.status_code == 503:
                    answers.busy += 1
                    continue
                if response.status_code != 200:
                    status = response.status_code
                    answers.failed[status] = answers.failed.get(status, 0) + 1
                    continue
                answers.latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(one_client(c) for c in range(clients)))
        answers.wall = time.perf_counter() - started
        return answers


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(name: str, answers: Answers) -> float:
    """Print one line; return the p95."""
    latencies = answers.latencies
    p50, p95, p99 = (percentile(latencies, q) for q in (0.5, 0.95, 0.99))
    busy = f"  503: {answers.busy}" if answers.busy else ""
    busy += "".join(f"  {status}: {n}" for status, n in answers.failed.items())
    print(
        f"  {name:<26} {len(latencies):>4} ok  p50 {p50:8.1f}  p95 {p95:8.1f}  p99 {p99:8.1f}"
        f"  {len(latencies) / answers.wall:6.1f} req/s{busy}",
        flush=True,
    )
    return p95


def first_request(base: str, path: str) -> tuple[float, int, int]:
    """Milliseconds, page size and bytes sent (gzipped) of one request."""
    started = time.perf_counter()
    response = httpx.get(base + path, timeout=120)
    return (
        (time.perf_counter() - started) * 1000,
        len(response.content),
        response.num_bytes_downloaded,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", default="10k,100k", help="sizes: 10k, 100k")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="per client and scenario")
    parser.add_argument("--inflate", action="store_true", help="clients decompress bodies")
    parser.add_argument("--log", type=Path, help="append the servers' output to this file")
    args = parser.parse_args()
    global SERVER_LOG
    SERVER_LOG = args.log or SERVER_LOG
    verdicts = []
    for size in args.plans.split(","):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            started = time.perf_counter()
            store_plans(url, size)
            print(f"{size} plan stored in {time.perf_counter() - started:.0f} s", flush=True)
            p95 = bench_plan(url, size, args.clients, args.requests, args.inflate)
            verdicts.append(f"{size} HTML now: p95 {p95:.1f} ms")
    print(f"{'; '.join(verdicts)} (target ≤ {TARGET_P95_MS:.0f} ms)")


def bench_plan(url: str, size: str, clients: int, requests: int, inflate: bool) -> float:
    """Every scenario on one plan; the p95 of its page now."""
    with server(url) as served:
        print(f"{size}: {clients} clients × {requests} requests, latency in ms", flush=True)
        scenarios = (SEED_SCENARIOS if size == "10k" else []) + SCENARIOS
        p95_now = run_scenarios(served.base, scenarios, clients, requests, inflate)
        after_arrival(served.base, url)
        look_backs(served.base, clients)
        workbook(served.base, clients)
    with server(url) as served:
        parallel_distinct(served)
    with server(url) as served:
        half_sent(served.base)
    return p95_now


def run_scenarios(
    base: str, scenarios: list[tuple[str, str]], clients: int, requests: int, inflate: bool
) -> float:
    """Each scenario: the first request (builds the page), then the load; the HTML now p95."""
    p95_now = 0.0
    for name, path in scenarios:
        first, size, sent = first_request(base, path)
        print(
            f"  {name:<26} first request (builds the page) {first:8.1f} ms;"
            f" page {size / 1e6:.2f} MB, sent {sent / 1e6:.2f} MB",
            flush=True,
        )
        p95 = report(name, asyncio.run(load(base, [path], clients, requests, inflate)))
        if name == "HTML now":
            p95_now = p95
    return p95_now


def after_arrival(base: str, url: str) -> None:
    """A new arrival must show on the next request: that request rebuilds the page."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        record(session, "synthetic", "g0-d0", "g0-u0", datetime.now(UTC))
    engine.dispose()
    rebuilt, _, _ = first_request(base, BOARD)
    print(f"  HTML now, first request after a new arrival: {rebuilt:8.1f} ms", flush=True)


def moments(count: int, step_minutes: int) -> list[str]:
    """`count` distinct moments from 13/03/2023 08:00, `step_minutes` apart, as ?as_of=."""
    paths = []
    for k in range(count):
        minutes = 8 * 60 + k * step_minutes
        day, minutes = 13 + minutes // (24 * 60), minutes % (24 * 60)
        paths.append(f"{BOARD}?as_of={day}/03/2023%20{minutes // 60:02d}:{minutes % 60:02d}")
    return paths


def look_backs(base: str, clients: int) -> None:
    """Readers looking back: each request another minute (what people type), then each
    request another half hour (what an attacker asks: never the same page twice)."""
    per_client = LOOK_BACKS_PER_CLIENT
    for name, step in (("look-backs, each a minute", 1), ("look-backs, each 30 min", 30)):
        paths = moments(clients * per_client, step)
        report(name, asyncio.run(load(base, paths, clients, per_client)))


def workbook(base: str, clients: int) -> None:
    """The workbook now: the first build, then `clients` readers downloading it twice each."""
    first, size, _ = first_request(base, f"{BOARD}.xlsx")
    print(f"  {'XLSX now':<26} first request (builds it) {first:8.1f} ms; {size / 1e6:.2f} MB")
    report("XLSX now", asyncio.run(load(base, [f"{BOARD}.xlsx"], clients, 2)))


def parallel_distinct(served: Server) -> None:
    """PARALLEL_DISTINCT requests at distinct moments at once, on a server that has served one
    page: wall time, answers, and the server's RSS before and at its peak."""
    first_request(served.base, BOARD)
    before, _ = served.rss_mb()
    paths = moments(PARALLEL_DISTINCT, 60)
    answers = asyncio.run(load(served.base, paths, PARALLEL_DISTINCT, 1))
    _, peak = served.rss_mb()
    report(f"{PARALLEL_DISTINCT} parallel distinct as_of", answers)
    print(f"  server RSS {before:.0f} MB before, peak {peak:.0f} MB", flush=True)


def half_sent(base: str) -> None:
    """HALF_SENT connections each send half a request line; how long until the server closes
    them (or 30 s), and how long a normal request takes meanwhile."""
    host, port = base.removeprefix("http://").split(":")
    sockets = []
    for _ in range(HALF_SENT):
        connection = socket.create_connection((host, int(port)))
        connection.sendall(b"GET /plans/synthetic?as_of=13/03/2")
        sockets.append(connection)
    opened = time.perf_counter()
    normal, _, _ = first_request(base, "/healthz")
    closed_after = asyncio.run(until_closed(sockets, opened, 30.0))
    for connection in sockets:
        connection.close()
    still = sum(1 for t in closed_after if t is None)
    slowest = max((t for t in closed_after if t is not None), default=float("nan"))
    print(
        f"  {HALF_SENT} half-sent requests: {HALF_SENT - still} closed by the server, slowest"
        f" after {slowest:.1f} s, {still} still open at 30 s; /healthz meanwhile {normal:.0f} ms",
        flush=True,
    )


async def until_closed(
    sockets: list[socket.socket], opened: float, limit: float
) -> list[float | None]:
    """Seconds from `opened` until each socket reads end-of-file (None: still open at limit)."""
    loop = asyncio.get_running_loop()

    async def closed(connection: socket.socket) -> float | None:
        connection.setblocking(False)
        try:
            while True:
                remaining = limit - (time.perf_counter() - opened)
                if remaining <= 0:
                    return None
                data = await asyncio.wait_for(loop.sock_recv(connection, 4096), remaining)
                if not data:
                    return time.perf_counter() - opened
        except TimeoutError:
            return None
        except ConnectionError:  # reset by the server: closed too
            return time.perf_counter() - opened

    return list(await asyncio.gather(*(closed(c) for c in sockets)))


if __name__ == "__main__":
    main()
