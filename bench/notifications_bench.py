"""Benchmarks of issue #5 (a script, not a test): decide on 10,000 assignments; SMTP throughput.

Run: `.venv/bin/python bench/notifications_bench.py [--messages 1000]`. Targets: decide
≤ 0.3 s for 10,000 assignments; ≥ 200 messages/s to a loopback SMTP sink over one reused
connection. Throughput is measured twice: the transport alone (the stored bytes), and the
whole `deliver_due` path (an outbox row per message in SQLite: claim, send the stored e-mail,
mark sent, commit — one transaction per message). Enqueueing (decide, render and compose
each message once, insert) is timed too: composing moved there from delivery.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import synthetic_arrivals, synthetic_plan_text  # noqa: E402
from bench.timing import best_of  # noqa: E402
from flows.local_api import free_port  # noqa: E402
from models.evaluate import evaluate  # noqa: E402
from models.loader import read_plan_text  # noqa: E402
from models.storage.engine import make_engine, migrate, session_scope  # noqa: E402
from models.storage.store import (  # noqa: E402
    plan_id,
    read_snapshot,
    save_plan,
)
from models.storage.tables import NotificationStatus  # noqa: E402
from notifications.dispatch import deliver_due, notify  # noqa: E402
from notifications.ladder import DEFAULT_LADDER, decide  # noqa: E402
from notifications.outbox import Outcome, listed, outgoing_of  # noqa: E402
from notifications.sent_log import SentLog  # noqa: E402
from notifications.transports.smtp import SmtpConfig, SmtpTransport  # noqa: E402

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = datetime(2023, 3, 13, 9, tzinfo=HCM)  # a Monday, in office hours
SENDER = "Văn phòng <office@x.example>"


class Sink:
    """Counts what arrives; keeps nothing."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.count += 1
        return "250 OK"


def synthetic_statuses():
    plan = read_plan_text(synthetic_plan_text(), "synthetic.yaml").plan
    return plan, evaluate(plan, synthetic_arrivals(plan, AS_OF), AS_OF)


def bench_decide(results: list[tuple[str, str, str]]) -> None:
    plan, statuses = synthetic_statuses()
    empty = best_of(5, lambda: decide(plan, statuses, DEFAULT_LADDER, SentLog(), AS_OF))
    messages = decide(plan, statuses, DEFAULT_LADDER, SentLog(), AS_OF)
    # The steady state: yesterday's messages are in the log, today decides a few new ones.
    log = SentLog.from_entries((m.key, AS_OF - timedelta(days=1)) for m in messages)
    steady = best_of(5, lambda: decide(plan, statuses, DEFAULT_LADDER, log, AS_OF))
    n = len(statuses)
    results.append(
        (
            f"decide, {n} assignments, empty log ({len(messages)} messages)",
            f"{empty:.3f} s",
            "≤ 0.300 s",
        )
    )
    results.append(
        (f"decide, {n} assignments, {len(log)} keys in the log", f"{steady:.3f} s", "≤ 0.300 s")
    )


def bench_smtp(results: list[tuple[str, str, str]], count: int) -> None:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        config = SmtpConfig("127.0.0.1", controller.port, tls="none", retries=0)
        with tempfile.TemporaryDirectory() as folder:
            engine, plan_code, enqueue_seconds = outbox_of(Path(folder), count)
            with session_scope(engine) as session:
                rows = listed(session, plan_id(session, plan_code), NotificationStatus.PENDING)
                mails = [outgoing_of(row, SENDER) for row in rows]
            results.append(
                (
                    f"notify (decide, render, compose, insert), {len(rows)} messages, SQLite",
                    f"{len(rows) / enqueue_seconds:.0f} msg/s",
                    "—",
                )
            )
            transport = SmtpTransport(config)
            start = time.perf_counter()
            with transport:
                for mail in mails:
                    transport.send(mail)
            alone = len(mails) / (time.perf_counter() - start)
            results.append(
                (
                    f"SMTP transport alone, {len(mails)} messages, "
                    f"{transport.connections_opened} connection",
                    f"{alone:.0f} msg/s",
                    "≥ 200 msg/s",
                )
            )
            transport = SmtpTransport(config)
            start = time.perf_counter()
            report = deliver_due(
                lambda: session_scope(engine), transport, plan_code, AS_OF, mail_from=SENDER
            )
            sent = report.count(Outcome.SENT)
            whole = sent / (time.perf_counter() - start)
            results.append(
                (
                    f"deliver (outbox → SMTP), {sent} messages, SQLite",
                    f"{whole:.0f} msg/s",
                    "≥ 200 msg/s",
                )
            )
            engine.dispose()
    finally:
        controller.stop()
    assert sink.count == 2 * len(mails), (sink.count, len(mails))


def outbox_of(folder: Path, count: int):
    """A SQLite database whose outbox holds at least `count` pending messages of a plan."""
    units = max(1, count // 20)
    loaded = read_plan_text(synthetic_plan_text(groups=1, units_per_group=units), "s.yaml")
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    migrate(engine)
    with session_scope(engine) as session:
        save_plan(session, loaded)
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, loaded.plan.code)
    statuses = evaluate(snapshot.plan, snapshot.submissions, AS_OF)
    start = time.perf_counter()
    with session_scope(engine) as session:
        notify(session, snapshot, statuses, AS_OF, mail_from=SENDER)
    return engine, loaded.plan.code, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1000, help="messages to send (about)")
    args = parser.parse_args()
    results: list[tuple[str, str, str]] = []
    bench_decide(results)
    bench_smtp(results, args.messages)
    width = max(len(r[0]) for r in results)
    for label, value, target in results:
        print(f"{label:<{width}}  {value:>12}  target {target}")


if __name__ == "__main__":
    main()
