"""Renaming the running flow run once its outcome is known (the runs list shows it)."""

from __future__ import annotations

from prefect import get_client
from prefect.runtime import flow_run


def rename_run(name: str) -> None:
    """Give the running flow run a name computed from its results (visible in the runs list)."""
    with get_client(sync_client=True) as client:
        client.set_flow_run_name(flow_run.id, name)
