"""How Prefect tasks that touch the database retry: infrastructure faults yes, typos never."""

from __future__ import annotations

from typing import Any

from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun
from prefect.tasks import Task

from models.errors import InputError

# Backoff for database tasks: a locked SQLite file or a PostgreSQL failover usually clears fast.
DB_RETRY_DELAYS: list[float] = [1, 4, 10]


def retry_unless_input_error(task: Task[..., Any], task_run: TaskRun, state: State) -> bool:
    """Retry what the infrastructure did wrong, never what a person typed wrong."""
    try:
        state.result()
    except InputError:
        return False
    except Exception:
        return True
    return True


# Keyword arguments of @task for every task that reads or writes dondoc's database.
DATABASE_TASK: dict[str, Any] = {
    "retries": len(DB_RETRY_DELAYS),
    "retry_delay_seconds": DB_RETRY_DELAYS,
    "retry_condition_fn": retry_unless_input_error,
    "cache_policy": NO_CACHE,
}
