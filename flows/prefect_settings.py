"""Prefect settings for runs started from this process (`dondoc track`, the demo, tests)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# The temporary (ephemeral) server records task runs one event per transaction by default and
# falls seconds behind a run of a hundred tasks, delaying the next run; batching keeps it up.
# No telemetry: these machines may have no network. No flow-run heartbeats for runs started
# here: their thread sleeps in 1 s steps and is joined at the end of every run, and they only
# serve to detect crashed runs of deployments (`dondoc serve` keeps Prefect's default).
LOCAL_RUN_SETTINGS: dict[str, Any] = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": False,
    "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": None,
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": 200,
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": 200,
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": 1,
}
# Prefect waits 20 s for its temporary server to answer; on a busy two-core machine it can take
# longer (seen: a `dondoc track` failing while the test suite ran beside it). A value set in
# the environment is kept.
EPHEMERAL_STARTUP = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
EPHEMERAL_STARTUP_SECONDS = 90


@contextmanager
def local_runs(**overrides: Any) -> Iterator[None]:
    """Apply LOCAL_RUN_SETTINGS (and `overrides`, e.g. PREFECT_LOGGING_LEVEL) meanwhile."""
    from prefect.settings import temporary_settings

    waits = (
        {} if EPHEMERAL_STARTUP in os.environ else {EPHEMERAL_STARTUP: EPHEMERAL_STARTUP_SECONDS}
    )
    updates = {**LOCAL_RUN_SETTINGS, **waits, **overrides}
    with temporary_settings(updates=updates):
        yield


@contextmanager
def local_api() -> Iterator[None]:
    """Runs started meanwhile talk to PREFECT_API_URL when it is set, else to dondoc's
    temporary API (flows/local_api.py: Prefect's server, without its 2 s pauses on SQLite),
    started now and stopped at the end, where Prefect would start its ephemeral server.
    Enter inside `local_runs()`, so that the server gets the same settings."""
    from prefect.settings import get_current_settings, temporary_settings

    from flows.local_api import drain_prefect_workers, temporary_api

    settings = get_current_settings()
    if settings.api.url or not settings.server.ephemeral.enabled:
        yield
        return
    startup = settings.server.ephemeral.startup_timeout_seconds
    with temporary_api(startup) as url, temporary_settings(updates={"PREFECT_API_URL": url}):
        try:
            yield
        finally:  # what the runs logged and emitted, sent while the server still answers
            drain_prefect_workers()
