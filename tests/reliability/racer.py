"""One coordinator in its own process, for the race tests: waits at a file barrier, then records
an arrival (or an undo) through the CLI (`dondoc receive`) or the `record-submission` flow, or
runs `dondoc track` ("via": "track", `at` being the as-of), or any dondoc command ("via": "cli"
with "args", e.g. ["plan", "load", "plans/gap-mat-2023.yaml"]), and prints one JSON line:
{"via", "code", "message"}.

Usage: python tests/reliability/racer.py '{"via": "cli"|"flow"|"track", "undo": false,
    "at": "2023-03-08T10:00", "ready": PATH, "go": PATH, "plan", "deliverable", "unit"}'
"""

from __future__ import annotations

import io
import json
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path


def wait_for_go(ready: Path, go: Path) -> None:
    ready.touch()
    deadline = time.monotonic() + 120
    while not go.exists():
        if time.monotonic() > deadline:
            raise TimeoutError("no go signal")
        time.sleep(0.001)


def via_cli(args: list[str]) -> tuple[int, str]:
    from flows.cli import app

    printed = io.StringIO()
    with redirect_stdout(printed), redirect_stderr(printed):
        try:
            app(args, prog_name="dondoc")
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, printed.getvalue().strip()


def via_flow(order: dict) -> tuple[int, str]:
    from flows.record import record_submission

    state = record_submission(
        order["plan"],
        order["deliverable"],
        order["unit"],
        "racer",
        received_at=datetime.fromisoformat(order["at"]),
        undo=order.get("undo", False),
        return_state=True,
    )
    return (0 if state.is_completed() else 2), state.message or ""


def main() -> None:
    order = json.loads(sys.argv[1])
    if "args" in order:
        args = order["args"]
    elif order["via"] == "track":
        args = ["track", order["plan"], "--as-of", order["at"]]
    else:
        args = ["receive", order["plan"], order["deliverable"], order["unit"], "--at", order["at"]]
    if order.get("undo"):
        args.append("--undo")
    if order["via"] == "flow":
        import flows.record
    else:
        import flows.cli  # noqa: F401
    wait_for_go(Path(order["ready"]), Path(order["go"]))
    if order["via"] == "flow":
        code, message = via_flow(order)
    else:
        code, message = via_cli(args)
    print(json.dumps({"via": order["via"], "code": code, "message": message}, ensure_ascii=False))


if __name__ == "__main__":
    main()
