"""The scale-out check of docs/deploy.md, run for real (slow: about a minute; DONDOC_SLOW=1)."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.paths import ROOT
from tests.processes import PYTHON

pytestmark = [
    pytest.mark.slow,
    pytest.mark.prefect,
    pytest.mark.db,
    pytest.mark.skipif(os.environ.get("DONDOC_SLOW") != "1", reason="slow: set DONDOC_SLOW=1"),
]


def test_a_prefect_server_on_postgresql_a_worker_and_both_deployments_run_the_seed_plan(
    postgres_server: object,
) -> None:
    done = subprocess.run(
        [str(PYTHON), str(ROOT / "scripts" / "scale_out_check.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "track-plan run" in done.stdout and "OK in" in done.stdout
