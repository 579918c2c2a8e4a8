"""The demo replay: the seed plan lived day by day from 01/3 to 22/3/2023, tracked by Prefect."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from flows.demo.web_story import STORY, WebStep, typed_only
from models.files.arrivals_csv import Arrival, read_arrivals_csv
from models.loader import read_plan_file
from models.plan import Plan
from models.statuses import Status

if TYPE_CHECKING:
    from flows.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]
SEED_PLAN = ROOT / "plans" / "gap-mat-2023.yaml"
SEED_ARRIVALS = ROOT / "plans" / "gap-mat-2023.arrivals.csv"
FIRST_DAY, LAST_DAY = date(2023, 3, 1), date(2023, 3, 22)
MORNING_RUN = time(7, 30)
DEMO_WEB = "http://127.0.0.1:8765"  # where `dondoc web` listens by default: the e-mails' links
CLOSING_TIME = time(18, 0)  # a last look on the meeting day, after the meeting


@dataclass
class Timeline:
    """Per assignment, the first run that saw it overdue, and how it was cleared: the arrival
    time (or the run that saw it waived) and the status it ended in."""

    went_overdue: dict[tuple[str, str], datetime] = field(default_factory=dict)
    cleared: dict[tuple[str, str], tuple[datetime, str]] = field(default_factory=dict)

    def observe(self, document: dict[str, Any], as_of: datetime) -> None:
        for item in document["assignments"]:
            ref = (item["deliverable"], item["unit"])
            if item["status"] == Status.OVERDUE:
                self.went_overdue.setdefault(ref, as_of)
            elif ref in self.went_overdue and ref not in self.cleared:
                arrived = item["submitted_at"]
                when = datetime.fromisoformat(arrived) if arrived else as_of
                self.cleared[ref] = (when, item["status"])


def run_moments(tz: Any) -> Iterator[datetime]:
    """07:30 every day of the replay, then the evening of the meeting day."""
    day = FIRST_DAY
    while day <= LAST_DAY:
        yield datetime.combine(day, MORNING_RUN, tzinfo=tz)
        day += timedelta(days=1)
    yield datetime.combine(LAST_DAY, CLOSING_TIME, tzinfo=tz)


def prepare(workdir: Path) -> None:
    """A fresh SQLite database and e-mail folder in `workdir` (the runtime of
    `runtime.in_folder(workdir)` keeps everything there).

    Prefect's console logs are silenced (the demo prints its own progress); the runs and their
    logs still go to the Prefect API.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    for stale in [*workdir.glob("dondoc.db*"), *workdir.glob("outbox/*.eml")]:
        stale.unlink()
    # Before Prefect is imported: it configures its logging once, from the environment.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")


def demo_runtime(workdir: Path) -> Runtime:
    """Everything in `workdir` (`runtime.in_folder`); the e-mails carry the units' links to
    `dondoc web` at its default address unless DONDOC_WEB_BASE_URL names another."""
    from flows import runtime

    current = runtime.in_folder(workdir)
    settings = current.settings
    if settings.web.base_url is not None:
        return current
    web = settings.web.model_copy(update={"base_url": DEMO_WEB})
    return runtime.Runtime(settings.model_copy(update={"web": web}))


def record_all(plan: str, arrivals: list[Arrival], as_of: datetime) -> None:
    """Record the arrivals a coordinator would have typed in by `as_of`, as `dondoc receive`."""
    from flows import runtime
    from models.recording import RecordRequest, record
    from models.submissions import SubmissionKind

    with runtime.session() as session:
        for arrival in arrivals:
            request = RecordRequest(
                plan,
                arrival.deliverable,
                arrival.unit,
                SubmissionKind.RECEIVED,
                at=arrival.received_at,
                now=as_of,
                recorded_by="demo",
                note=arrival.note,
                data=arrival.data,
            )
            record(session, request)


@dataclass(frozen=True)
class Day:
    """What happened before one run (typed arrivals, steps on the web) and what it saw."""

    as_of: datetime
    typed: list[Arrival]
    on_web: list[tuple[datetime, WebStep]]
    document: dict[str, Any]


Track = Callable[[str, datetime], dict[str, Any]]  # one run: plan, as_of → status document


def replay(
    workdir: Path, on_day: Callable[[Day], None] = lambda _: None, track: Track | None = None
) -> tuple[Plan, dict[str, Any], Timeline]:
    """Load the seed plan, then each morning record what arrived (typed by a coordinator, or
    sent by the units through `dondoc web` in this process, web_story.STORY) and run
    `track` (the track-plan flow on a temporary Prefect API unless given), on the current
    runtime (`demo_runtime(workdir)`, set by the caller).
    Returns the plan, the last run's status document and who went overdue when."""
    prepare(workdir)  # first: it configures Prefect's logging, which importing Prefect sets up
    from flows import runtime
    from flows.demo.web_desk import web_desk
    from models.storage.store import save_plan

    loaded = read_plan_file(SEED_PLAN)
    plan = loaded.plan
    typed = typed_only(read_arrivals_csv(SEED_ARRIVALS, plan.tz), STORY)
    arrivals = sorted(typed, key=lambda a: a.received_at)
    steps = sorted(((step.moment(plan.tz), step) for step in STORY), key=lambda s: s[0])
    timeline = Timeline()
    document: dict[str, Any] = {}
    start = datetime.combine(FIRST_DAY, time(0), tzinfo=plan.tz)
    with runtime.session() as session:
        save_plan(session, loaded, loaded_at=start)
    with ExitStack() as stack:
        track = track or stack.enter_context(prefect_tracking())
        desk = stack.enter_context(
            web_desk(runtime.current(), plan.code, workdir / "outbox", start)
        )
        for as_of in run_moments(plan.tz):
            today = [a for a in arrivals if a.received_at <= as_of]
            arrivals = arrivals[len(today) :]
            on_web = [(at, step) for at, step in steps if at <= as_of]
            steps = steps[len(on_web) :]
            for at, step in on_web:
                desk.do(step, at)
                send_due(plan.code, at)  # the receipt, the return, the answer: at once
            record_all(plan.code, today, as_of)
            document = track(plan.code, as_of)
            timeline.observe(document, as_of)
            on_day(Day(as_of, today, on_web, document))
    return plan, document, timeline


@contextmanager
def prefect_tracking() -> Iterator[Track]:
    """The track-plan flow, its runs on a temporary Prefect API (unless PREFECT_API_URL)."""
    from flows.prefect_settings import local_api, local_runs
    from flows.track import track_plan

    def track(plan: str, as_of: datetime) -> dict[str, Any]:
        # Called without return_state, a flow that returns a State gives that State's data.
        return cast(dict[str, Any], track_plan(plan, as_of))

    with local_runs(), local_api():
        yield track


def send_due(plan: str, at: datetime) -> None:
    """What waits in the outbox, sent at `at`, as `dondoc outbox send` does."""
    from flows import runtime
    from notifications.dispatch import deliver_due

    current = runtime.current()
    sender = current.settings.mail.sender
    deliver_due(current.session, current.transport(), plan, at, mail_from=sender)
