"""Soak test (a script): the 10k-assignment synthetic plan replayed over 60 days, every morning
as track-plan would without Prefect — read, evaluate, save changed statuses, decide into the
outbox, deliver to .eml files — with seeded random arrivals in between.

Run: `.venv/bin/python bench/soak.py [--days 60] [--postgres URL]`. Prints a table, one line
per day (RSS after the day, messages decided and delivered, seconds), then checks and exits 1
if one fails: memory flat over the last 10 days (growth ≤ --max-growth-mb), no message twice
(unique keys in the outbox, unique Message-IDs in the files, one file per sent row), and the
statuses kept day by day equal to a from-scratch evaluation of the final database.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path
from zoneinfo import ZoneInfo

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import synthetic_plan_text  # noqa: E402
from models.evaluate import evaluate  # noqa: E402
from models.loader import read_plan_text  # noqa: E402
from models.plan import AssignmentRef  # noqa: E402
from models.storage import store  # noqa: E402
from models.storage.engine import make_engine, migrate, session_scope  # noqa: E402
from models.storage.state_store import read_states, save_states  # noqa: E402
from models.storage.store import append_submission, read_snapshot, save_plan  # noqa: E402
from models.submissions import SubmissionKind  # noqa: E402
from notifications import outbox  # noqa: E402
from notifications.dispatch import deliver_due, notify  # noqa: E402
from notifications.outbox import Outcome  # noqa: E402
from notifications.transports.file import FileTransport  # noqa: E402

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_DAY = date(2023, 2, 20)  # ten days before the first deadline
RUN_AT = (8, 0)  # each morning, in office hours on working days
ARRIVAL_CHANCE = 0.04  # per open assignment and day: most arrive, many late, some never
SENDER = "Văn phòng <office@x.example>"


@dataclass(frozen=True)
class Day:
    day: date
    rss_mb: float
    arrivals: int
    enqueued: int
    sent: int
    superseded: int
    seconds: float


def rss_mb() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


def arrive(engine, plan, open_refs: list[AssignmentRef], day: date, rng) -> int:
    """Record today's arrivals (before the morning run), at random times of the previous day."""
    arrived = [ref for ref in open_refs if rng.random() < ARRIVAL_CHANCE]
    with session_scope(engine) as session:
        for ref in arrived:
            at = datetime(day.year, day.month, day.day, tzinfo=HCM) - timedelta(
                minutes=rng.randint(1, 16 * 60)
            )
            append_submission(
                session,
                plan.code,
                deliverable=ref.deliverable,
                unit=ref.unit,
                kind=SubmissionKind.RECEIVED,
                received_at=at,
                recorded_at=at,
                recorded_by="soak",
            )
    done = set(arrived)
    open_refs[:] = [ref for ref in open_refs if ref not in done]
    return len(arrived)


def morning(engine, code: str, as_of: datetime, folder: Path) -> tuple:
    """What track-plan does each run, minus Prefect: returns (enqueued, sent, superseded)."""
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, code)
        previous = read_states(session, code)
    statuses = evaluate(snapshot.plan, snapshot.submissions, as_of)
    changed = {s.ref: s.status for s in statuses if previous.get(s.ref) is not s.status}
    with session_scope(engine) as session:
        save_states(session, code, changed, as_of)
    with session_scope(engine) as session:
        report = notify(session, snapshot, statuses, as_of, mail_from=SENDER)
    delivered = deliver_due(
        lambda: session_scope(engine), FileTransport(folder), code, as_of, mail_from=SENDER
    )
    return (
        len(report.enqueued),
        delivered.count(Outcome.SENT),
        delivered.count(Outcome.SUPERSEDED),
    )


def replay(url: str, days: int, folder: Path, seed: int) -> tuple[list[Day], list[str]]:
    """Load the plan, then each day: arrivals, the morning run. Returns the days and problems."""
    engine = make_engine(url)
    migrate(engine)
    loaded = read_plan_text(synthetic_plan_text(), "synthetic.yaml")
    with session_scope(engine) as session:
        save_plan(session, loaded)
    plan = loaded.plan
    rng = random.Random(seed)
    open_refs = list(plan.assignments)
    table: list[Day] = []
    for n in range(days):
        day = FIRST_DAY + timedelta(days=n)
        started = time.perf_counter()
        arrivals = arrive(engine, plan, open_refs, day, rng)
        as_of = datetime(day.year, day.month, day.day, *RUN_AT, tzinfo=HCM)
        enqueued, sent, superseded = morning(engine, plan.code, as_of, folder)
        seconds = time.perf_counter() - started
        table.append(Day(day, rss_mb(), arrivals, enqueued, sent, superseded, seconds))
        print(row_text(table[-1]), flush=True)
    problems = check(engine, plan.code, as_of, folder)
    engine.dispose()
    return table, problems


def check(engine, code: str, as_of: datetime, folder: Path) -> list[str]:
    """No message twice; the statuses kept run by run equal a from-scratch evaluation."""
    problems = []
    with session_scope(engine) as session:
        plan_id = store.plan_id(session, code)
        rows = [(r.key, r.status) for r in outbox.listed(session, plan_id)]
        kept = read_states(session, code)
        snapshot = read_snapshot(session, code)
    keys = [key for key, _ in rows]
    sent = [key for key, status in rows if status == "sent"]
    files = sorted(folder.glob("*.eml"))
    headers = BytesHeaderParser(policy=policy.default)  # headers only: tens of thousands of files
    ids = [headers.parsebytes(f.read_bytes())["Message-ID"] for f in files]
    if len(keys) != len(set(keys)):
        problems.append(f"{len(keys) - len(set(keys))} duplicate keys in the outbox")
    if len(ids) != len(set(ids)):
        problems.append(f"{len(ids) - len(set(ids))} duplicate Message-IDs in {folder}")
    if len(files) != len(sent):
        problems.append(f"{len(files)} files for {len(sent)} sent rows")
    fresh = {s.ref: s.status for s in evaluate(snapshot.plan, snapshot.submissions, as_of)}
    differ = [ref for ref in fresh if kept.get(ref) is not fresh[ref]]
    if differ:
        problems.append(f"{len(differ)} kept statuses differ from a fresh evaluation")
    counts = Counter(status for _, status in rows)
    print(f"\noutbox: {len(rows)} rows {dict(counts)}; {len(files)} files, {len(set(ids))} ids")
    print(f"final statuses: {dict(Counter(s.value for s in fresh.values()))}")
    return problems


def row_text(d: Day) -> str:
    return (
        f"| {d.day:%d/%m} | {d.rss_mb:7.1f} | {d.arrivals:5d} | {d.enqueued:6d} | {d.sent:6d} "
        f"| {d.superseded:5d} | {d.seconds:6.2f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", help="a PostgreSQL URL (a scratch database or schema)")
    parser.add_argument("--max-growth-mb", type=float, default=15.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dondoc-soak-") as scratch:
        url = args.postgres or f"sqlite:///{scratch}/soak.db"
        print("| day | RSS MB | arrivals | enqueued | sent | superseded | s |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        started = time.perf_counter()
        table, problems = replay(url, args.days, Path(scratch) / "outbox", args.seed)
        total = time.perf_counter() - started
    last = table[-10:]
    growth = last[-1].rss_mb - min(d.rss_mb for d in last)
    peak = max(d.rss_mb for d in table)
    print(f"RSS first day {table[0].rss_mb:.1f} MB, peak {peak:.1f} MB, last {last[-1].rss_mb:.1f}")
    print(f"growth over the last 10 days {growth:.1f} MB; {total:.0f} s in all")
    if growth > args.max_growth_mb:
        problems.append(f"memory grew {growth:.1f} MB over the last 10 days")
    for problem in problems:
        print(f"FAIL: {problem}")
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
