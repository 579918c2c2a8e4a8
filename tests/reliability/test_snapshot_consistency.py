"""Snapshots stay consistent while other processes write: submissions appended (a receipt and
its undo in one transaction) and the plan reloaded between two versions, continuously."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from flows.track import read_plan
from models.loader import read_plan_text
from models.storage.engine import make_engine, session_scope
from models.storage.store import Snapshot, read_snapshot
from models.submissions import SubmissionKind
from tests.paths import ROOT, SEED_PLAN
from tests.processes import PLAN, PYTHON, child_env

pytestmark = pytest.mark.db
READ_SECONDS = 4.0
MAX_READ_SECONDS = 15.0
SECOND_TITLE = "Gặp mặt cán bộ chủ chốt cơ sở năm 2023 (bản sửa)"
EXTRA_UNIT = '  - {code: don-vi-them, name: "Đơn vị thêm", email: them@hatinh.example}\n'

# Appends, in each transaction, a receipt, then (after a pause a torn read would fall into)
# the undo of that receipt; or reloads the plan, alternating between two versions.
WRITER = """
import sys, time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from models.storage.engine import make_engine, session_scope
from models.loader import read_plan_file
from models.storage.locks import lock_assignment
from models.storage.store import append_submission, save_plan

url, what, stop, first, second = sys.argv[1:]
engine = make_engine(url)
versions = [read_plan_file(first), read_plan_file(second)]
refs = versions[0].plan.assignments
start = datetime(2023, 3, 1, tzinfo=UTC)
done = 0
while not Path(stop).exists():
    with session_scope(engine) as session:
        if what == "reload":
            save_plan(session, versions[(done + 1) % 2], force=True)  # the seed is loaded
        else:
            ref = refs[done % len(refs)]
            at = start + timedelta(minutes=done)
            fields = dict(received_at=at, recorded_at=at)
            fields.update(deliverable=ref.deliverable, unit=ref.unit)
            lock_assignment(session, "gap-mat-2023", ref.deliverable, ref.unit)
            row = append_submission(session, "gap-mat-2023", kind="received", **fields)
            time.sleep(0.003)
            append_submission(session, "gap-mat-2023", kind="undo", undoes=row.id, **fields)
    done += 1
    time.sleep(0.002)  # SQLite: let the other writer take the lock now and then
print(done)
"""


def second_version(folder: Path) -> Path:
    text = SEED_PLAN.read_text(encoding="utf-8")
    text = text.replace(
        'title: "Gặp mặt cán bộ chủ chốt cơ sở năm 2023"', f'title: "{SECOND_TITLE}"'
    )
    marker = "  - {code: vptu,"
    at = text.index(marker)
    text = text[:at] + EXTRA_UNIT + text[at:]
    path = folder / "gap-mat-2023-v2.yaml"
    path.write_text(text, encoding="utf-8")
    read_plan_text(text)  # a valid plan
    return path


def check(snapshot: Snapshot, seed_units: int) -> int:
    """Internally consistent, or an AssertionError; returns the number of rows seen."""
    plan = snapshot.plan
    # The plan row (title) and its unit rows come from the same version.
    assert (plan.title == SECOND_TITLE) == (len(plan.units) == seed_units + 1), plan.title
    rows = snapshot.submissions
    ids = {s.id for s in rows}
    undos = [s for s in rows if s.kind is SubmissionKind.UNDO]
    # Never a receipt without its undo, nor an undo without its target.
    assert all(u.undoes in ids for u in undos)
    assert len(undos) * 2 == len(rows)
    return len(rows)


def test_snapshots_read_during_writes_and_reloads_are_consistent_and_monotone(
    seeded_engine, database_url: str, seed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop = tmp_path / "stop"
    args = [str(SEED_PLAN), str(second_version(tmp_path))]
    env = child_env(database_url)
    writers = [
        subprocess.Popen(
            [str(PYTHON), "-c", WRITER, database_url, what, str(stop), *args],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for what in ("submissions", "reload")
    ]
    monkeypatch.setenv("DONDOC_DATABASE_URL", database_url)
    engine = make_engine(database_url)
    seen: list[int] = []
    titles: set[str] = set()
    reads = 0
    time.sleep(1.0)  # the writers are importing
    try:
        started = time.monotonic()
        # at least READ_SECONDS, and until both versions were seen (a reload may wait a while)
        while (elapsed := time.monotonic() - started) < READ_SECONDS or (
            len(titles) < 2 and elapsed < MAX_READ_SECONDS
        ):
            with session_scope(engine) as session:
                snapshot = read_snapshot(session, PLAN)
            seen.append(check(snapshot, len(seed.plan.units)))
            # track-plan's own read (a plain call, retried on faults): same guarantee
            reading = read_plan(PLAN)
            seen.append(check(reading.snapshot, len(seed.plan.units)))
            titles |= {snapshot.plan.title, reading.snapshot.plan.title}
            reads += 2
    finally:
        stop.touch()
        engine.dispose()
        results = [w.communicate(timeout=60) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err for _, err in results]
    written = [int(out) for out, _ in results]
    assert seen == sorted(seen), "a later snapshot saw fewer rows than an earlier one"
    assert seen[-1] > seen[0] and min(written) > 3, (seen[0], seen[-1], written)
    assert len(titles) == 2, titles  # both plan versions were read while being swapped
    print(f"{reads} snapshots, {written[0]} receipt+undo pairs, {written[1]} reloads")
