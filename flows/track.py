"""The `track-plan` flow: every assignment's status as a Prefect task graph shaped like the plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar, cast
from zoneinfo import ZoneInfo

from prefect import allow_failure, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State
from prefect.futures import PrefectFuture, wait
from prefect.states import Completed, Failed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows import artifacts, runtime
from flows.board_publish import publish_board
from flows.events import emit_run_events
from flows.form import described
from flows.notify import decide_messages, send_messages
from flows.run_names import rename_run
from flows.states import Verdict, flow_run_name, summary_message, verdict_for
from flows.task_policy import DATABASE_TASK, log_mistakes_in_one_line
from models.errors import InputError
from models.evaluate import AssignmentStatus, evaluate
from models.moments import aware_in
from models.plan import AssignmentRef, Plan
from models.status_document import status_document
from models.statuses import Status
from models.storage.state_store import read_states, save_states
from models.storage.store import Snapshot, read_snapshot
from notifications.outbox import RESEND_UNCERTAIN_AFTER, DeliveryReport, Outcome

log_mistakes_in_one_line()  # a typo fails the run in one line, even in a deployment

# Prefect's default pool is unbounded: it starts a thread for almost every submission (about
# 6 ms each on two cores). A few threads suffice for task runs that only report a state. No
# deadlock: submissions are in topological order and the pool is FIFO, so whatever a running
# task waits on was picked up before it.
TASK_THREADS = 8
T = TypeVar("T")
PREVIEW_MESSAGE = "chỉ xem: không gửi thư"
Preview = Annotated[
    bool,
    described(
        "Chỉ xem, không gửi thư",
        "Đánh giá và đăng bảng theo dõi, nhưng không gửi thư nào, không lưu trạng thái và "
        "không phát sự kiện: để xem lại một thời điểm đã qua mà không làm phiền ai.",
    ),
]


@dataclass(frozen=True)
class PlanReading:
    """What the flow reads in one transaction: the plan, its submissions, the last statuses."""

    snapshot: Snapshot
    previous: dict[AssignmentRef, Status]


@task(name="read-plan", **DATABASE_TASK)
def read_plan(plan: str) -> PlanReading:
    with runtime.session() as session:
        return PlanReading(read_snapshot(session, plan), read_states(session, plan))


@task(name="save-statuses", **DATABASE_TASK)
def save_statuses(plan: str, statuses: dict[AssignmentRef, Status], as_of: datetime) -> int:
    with runtime.session() as session:
        return save_states(session, plan, statuses, as_of)


@task(name="publish-artifacts", cache_policy=NO_CACHE)
async def publish_artifacts(plan: Plan, statuses: list[AssignmentStatus], as_of: datetime) -> None:
    """The late table, progress and summary of this run, under the plan's stable keys."""
    await artifacts.publish(plan, statuses, as_of)


@task(name="assess", task_run_name="{verdict.run_name}", cache_policy=NO_CACHE)
def assess(verdict: Verdict) -> State:
    """One assignment: ends in the state its status calls for (decided by `evaluate`)."""
    return verdict.to_state()


def as_is(value: T) -> T:
    """`value` handed to a task as it is: Prefect would otherwise walk a whole plan looking for
    futures in the inputs. The task receives `value` itself (typed as such)."""
    return cast(T, quote(value))


def moment_of(as_of: datetime | None, tz: ZoneInfo) -> datetime:
    """The evaluation moment: now (aware UTC) by default; a naive time is in the plan's zone."""
    if as_of is None:
        return datetime.now(UTC)  # the edge reads the clock; nothing below does
    return aware_in(as_of, tz)


def submit_graph(plan: Plan, statuses: Sequence[AssignmentStatus]) -> list[PrefectFuture[Any]]:
    """One `assess` run per assignment, prerequisites first, each waiting on its prerequisites.

    `allow_failure`: an overdue prerequisite is news for its dependents, not a reason to stop.
    """
    futures: dict[AssignmentRef, PrefectFuture[Any]] = {}
    for item in statuses:
        upstream = [allow_failure(futures[ref]) for ref in plan.prerequisites_of(item.ref)]
        # why: Prefect's typed overloads of submit() do not accept wait_for with positional args
        futures[item.ref] = assess.submit(verdict_for(plan, item), wait_for=upstream)  # type: ignore[call-overload]
    return list(futures.values())


@flow(
    name="track-plan",
    flow_run_name="{plan}",
    # why: Prefect's own types call its thread pool incompatible with the decorator's parameter
    task_runner=ThreadPoolTaskRunner(max_workers=TASK_THREADS),  # type: ignore[arg-type]
)
def track_plan(plan: str, as_of: datetime | None = None, preview: Preview = False) -> State:
    """Tình hình mọi phân công của kế hoạch tại một thời điểm (mặc định: bây giờ).

    With `preview`, the run evaluates and publishes (artifacts, board) but sends no e-mail
    (nothing enters the outbox), stores no status and emits no event.

    Ends Completed even when assignments are overdue: lateness is news, not a crash. The
    result is the status document (models.status_document.status_document). An unknown plan fails
    the run with the same message the CLI prints.
    """
    try:
        reading = read_plan(plan)
    except InputError as error:
        return Failed(message=str(error), data=error)
    the_plan = reading.snapshot.plan
    moment = moment_of(as_of, the_plan.tz)
    statuses = evaluate(the_plan, reading.snapshot.submissions, moment)
    name = flow_run_name(the_plan, moment, statuses)
    rename_run(f"{name} · chỉ xem" if preview else name)
    published = publish_artifacts.submit(as_is(the_plan), as_is(statuses), moment)
    board = publish_board.submit(as_is(the_plan), as_is(statuses), moment)
    futures: list[PrefectFuture[Any]] = [published, board, *submit_graph(the_plan, statuses)]
    if preview:
        mail = PREVIEW_MESSAGE
    else:
        changed = emit_run_events(the_plan, statuses, reading.previous, moment, run_name=name)
        if changed:
            save_statuses(plan, changed, moment)
        mail = tell_people(reading.snapshot, statuses, moment)
    wait(futures)
    document = status_document(the_plan, statuses, moment)
    message = f"{summary_message(statuses)} · {mail}"
    broken = failed_steps({"publish-board": board, "publish-artifacts": published})
    if broken:  # the statuses and the e-mails went out; what failed is named, and the run fails
        return Failed(message=f"{message} · {broken}", data=document)
    return Completed(message=message, data=document)


def failed_steps(steps: Mapping[str, PrefectFuture[Any]]) -> str:
    """`bước publish-board thất bại: …` for each step whose task run did not complete; empty
    when all did. A step's own failure must fail the run: a board not written is news."""
    said = []
    for name, future in steps.items():
        state = future.state
        if not state.is_completed():
            said.append(f"bước {name} thất bại: {state.message or state.name}")
    return "; ".join(said)


def tell_people(snapshot: Snapshot, statuses: Sequence[AssignmentStatus], as_of: datetime) -> str:
    """The ladder's e-mails: decided into the outbox once, then delivered (in office hours)."""
    decided = decide_messages(as_is(snapshot), as_is(statuses), as_of)
    delivered = send_messages(snapshot.plan.code, as_of)
    if delivered.refusals:
        artifacts.publish_refusals(snapshot.plan, delivered.refusals, as_of)
    if delivered.held:
        return f"thư mới: {len(decided.enqueued)} (chờ giờ hành chính để gửi)"
    return f"thư mới: {len(decided.enqueued)}, {delivery_summary(delivered)}"


def delivery_summary(delivered: DeliveryReport) -> str:
    """`đã gửi: 12`, and when the server did not take everything, why and what happens next:
    a temporary failure (server down, 4xx) is sent again at the next run; a refusal for good
    waits for `dondoc outbox retry`."""
    said = f"đã gửi: {delivered.count(Outcome.SENT)}"
    failed = delivered.count(Outcome.FAILED)
    if failed:
        said += f", gửi lỗi: {failed} (xem `dondoc outbox list`)"
    refused = delivered.refused_recipients(temporary=False)
    if refused:
        said += f", người nhận từ chối hẳn: {refused} (xem `dondoc outbox list`)"
    later = delivered.refused_recipients(temporary=True)
    if later:
        said += f", người nhận hẹn lại: {later} (gửi lại cho riêng họ ở lượt chạy sau)"
    uncertain = delivered.count(Outcome.UNCERTAIN)
    if uncertain:
        wait = int(RESEND_UNCERTAIN_AFTER.total_seconds() // 60)
        said += f", chưa rõ đã tới: {uncertain} (gửi lại một lần, sau {wait} phút)"
    deferred = [delivered.errors[k] for k, o in delivered.outcomes.items() if o is Outcome.DEFERRED]
    if deferred:
        said += f"; chưa gửi được: {deferred[0]} — sẽ gửi lại ở lượt chạy sau"
    return said
