"""How Prefect tasks that touch the database retry: infrastructure faults yes, typos never."""

from __future__ import annotations

import logging
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


class MistakeInOneLine(logging.Filter):
    """A person's mistake, logged as its one-line message instead of with its traceback.

    A deployment's run is executed for its result: when the run ends Failed by a mistake
    (a typo'd code), Prefect's engine raises it again and logs "Engine execution exited with
    unexpected exception" with the whole traceback to the run's logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, InputError):
            record.msg, record.args = str(error), ()
            record.exc_info, record.exc_text = None, None
        return True


MISTAKE_IN_ONE_LINE = MistakeInOneLine()


def log_mistakes_in_one_line() -> None:
    """Install MistakeInOneLine on the loggers of flow runs (once; the flows' modules call it)."""
    logging.getLogger("prefect.flow_runs").addFilter(MISTAKE_IN_ONE_LINE)
