"""A real process run with what it cost: wall time and its own peak memory (not its siblings')."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# The command is started by this small launcher, not by the test process: a child forked from
# pytest (hundreds of MB by then) reports pytest's size as its own peak, since Linux keeps the
# high-water mark of the memory it had before exec. The launcher caps the virtual memory the
# command may take, waits for it alone (os.wait4) and writes down its exit code and peak.
LAUNCHER = """
import os, resource, subprocess, sys
cap = int(sys.argv[1]) << 20
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
child = subprocess.Popen(sys.argv[3:])
_, status, usage = os.wait4(child.pid, 0)
child.returncode = os.waitstatus_to_exitcode(status)
with open(sys.argv[2], "w") as report:
    report.write(f"{child.returncode} {usage.ru_maxrss}")
"""


@dataclass(frozen=True)
class Measured:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float  # the command's own high-water mark of resident memory


def run_measured(
    args: Sequence[str], *, env: dict[str, str], cwd: Path, timeout: float, address_space_mb: int
) -> Measured:
    """Run `args` under `address_space_mb` of virtual memory (so that a regression fails the
    test instead of exhausting a shared machine), killed with its launcher after `timeout`."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report"
        command = [sys.executable, "-c", LAUNCHER, str(address_space_mb), str(report), *args]
        started = time.monotonic()
        process = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
        seconds = time.monotonic() - started
        code, peak_kb = report.read_text().split()
    return Measured(int(code), stdout, stderr, seconds, int(peak_kb) / 1024)  # KB on Linux
