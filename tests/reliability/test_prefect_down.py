"""The Prefect API is down: the commands that do not need Prefect still work, in a process of
their own, pointed at a closed port; `dondoc track`, which does, fails with a clear message."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from flows.local_api import free_port
from tests.paths import ROOT, SEED_PLAN
from tests.processes import child_env

pytestmark = [pytest.mark.cli, pytest.mark.db]
DONDOC = ROOT / ".venv" / "bin" / "dondoc"
PLAN = "gap-mat-2023"


def commands(folder: Path) -> list[list[str]]:
    return [
        ["plan", "check", str(SEED_PLAN)],
        ["plan", "load", str(SEED_PLAN)],
        ["plan", "list"],
        ["plan", "show", PLAN],
        ["receive", PLAN, "bc-huyen", "huong-khe", "--at", "07/03/2023 10:00"],
        ["receive", PLAN, "bc-huyen", "huong-khe", "--at", "07/03/2023 11:00", "--undo"],
        ["waive", PLAN, "bc-huyen", "vu-quang", "--at", "07/03/2023 10:00"],
        ["status", PLAN, "--as-of", "10/03/2023 08:00", "--json"],
        ["board", PLAN, "--out", str(folder / "board"), "--as-of", "10/03/2023 08:00"],
        ["outbox", "list", PLAN],
    ]


def test_commands_that_do_not_need_prefect_work_while_its_api_refuses_connections(
    tmp_path: Path,
) -> None:
    api = f"http://127.0.0.1:{free_port()}/api"
    env = child_env(f"sqlite:///{tmp_path / 'dondoc.db'}", PREFECT_API_URL=api)
    slowest = 0.0
    for args in commands(tmp_path):
        started = time.monotonic()
        done = subprocess.run(
            [str(DONDOC), *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        slowest = max(slowest, time.monotonic() - started)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, args
    assert (tmp_path / "board" / PLAN / "board.html").exists() or any(
        (tmp_path / "board").rglob("board.html")
    )
    assert slowest < 15, slowest  # none waits on the API
    print(f"{len(commands(tmp_path))} commands, slowest {slowest:.1f} s")


def test_track_without_a_prefect_api_fails_at_once_naming_the_api(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{free_port()}/api"
    env = child_env(f"sqlite:///{tmp_path / 'dondoc.db'}", PREFECT_API_URL=api)
    load = [str(DONDOC), "plan", "load", str(SEED_PLAN)]
    assert subprocess.run(load, env=env, capture_output=True, timeout=60).returncode == 0
    started = time.monotonic()
    done = subprocess.run(
        [str(DONDOC), "track", PLAN, "--as-of", "10/03/2023 08:00"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 1
    assert f"Không kết nối được Prefect API: Failed to reach API at {api}/" in done.stderr
    assert "Traceback" not in done.stderr and "prefect server start" in done.stderr
    assert elapsed < 60, elapsed
