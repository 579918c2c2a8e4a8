"""How the steps that touch the database or the mail server retry: infrastructure faults yes,
typos never; and a person's mistake logged in one line."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun
from prefect.tasks import Task

from models.errors import InputError

T = TypeVar("T")

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


def with_retries(name: str, step: Callable[[], T], delays: Sequence[float] | None = None) -> T:
    """`step()`, called again after each of `delays` (default DB_RETRY_DELAYS, read at call time)
    while it fails by the infrastructure; a person's mistake (InputError) is raised at once.

    track-plan's housekeeping steps are plain calls, not task runs, so that the run's graph is
    the plan's chain and nothing else; this is the retry policy their tasks had."""
    from prefect.logging import get_run_logger

    waits = list(DB_RETRY_DELAYS if delays is None else delays)
    while True:
        try:
            return step()
        except InputError:
            raise
        except Exception as error:
            if not waits:
                raise
            delay = waits.pop(0)
            get_run_logger().warning(
                "Bước %s lỗi (%s); thử lại sau %s giây", name, one_line_error(error), delay
            )
            time.sleep(delay)


def one_line_error(error: BaseException) -> str:
    """`OperationalError: unable to open database file`: what failed, on one line."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:300]}" if text else type(error).__name__


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
