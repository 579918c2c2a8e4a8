"""Fixtures for the reliability tests: coordinators racing in their own processes, fast retries
(the database, Prefect's server, the SMTP server and `seeded` come from tests/conftest.py)."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from flows import task_policy
from tests.paths import ROOT
from tests.processes import FAST_DELAYS, PLAN, PYTHON, Outcome, Race

RACER = Path(__file__).with_name("racer.py")


@pytest.fixture
def fast_retries() -> Iterator[None]:
    """Shorter backoff for a test (same number of retries); the tasks hold the policy's list
    itself, so it is edited in place."""
    kept = list(task_policy.DB_RETRY_DELAYS)
    assert len(kept) == len(FAST_DELAYS)
    task_policy.DB_RETRY_DELAYS[:] = FAST_DELAYS
    yield
    task_policy.DB_RETRY_DELAYS[:] = kept


@pytest.fixture
def race(tmp_path: Path) -> Race:
    """Start one process per order (see racer.py), release them together, collect outcomes.

    Every order needs `env` (child_env); the others are racer.py's."""

    def run(orders: Sequence[dict[str, Any]]) -> list[Outcome]:
        go = tmp_path / f"go-{time.monotonic_ns()}"
        processes = []
        for i, order in enumerate(orders):
            ready = tmp_path / f"ready-{go.name}-{i}"
            spec = {k: v for k, v in order.items() if k != "env"}
            spec.update(ready=str(ready), go=str(go), plan=spec.get("plan", PLAN))
            processes.append(
                (
                    ready,
                    subprocess.Popen(
                        [str(PYTHON), str(RACER), json.dumps(spec)],
                        env=order["env"],
                        cwd=ROOT,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        text=True,
                    ),
                )
            )
        deadline = time.monotonic() + 90
        while not all(ready.exists() for ready, _ in processes):
            assert time.monotonic() < deadline, "a racer never got ready"
            assert all(p.poll() is None for _, p in processes), "a racer died before the start"
            time.sleep(0.01)
        go.touch()
        outcomes = []
        for _, process in processes:
            stdout, stderr = process.communicate(timeout=120)
            assert process.returncode == 0, stderr
            outcomes.append(Outcome(**json.loads(stdout.strip().splitlines()[-1])))
        return outcomes

    return run
