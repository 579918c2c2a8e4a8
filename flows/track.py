"""The `track-plan` flow: every assignment's status at a moment, shown as the plan's chain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger
from prefect.client.schemas.objects import State
from prefect.states import Completed, Failed

from flows import artifacts, runtime
from flows.board_publish import publish_board_files
from flows.chain import run_chain
from flows.chain_view import chain_view
from flows.events import emit_run_events
from flows.form import described
from flows.notify import NO_LINK_NOTE, decide_messages, send_messages
from flows.run_names import rename_run
from flows.states import flow_run_name, summary_message
from flows.task_policy import log_mistakes_in_one_line, one_line_error, with_retries
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


def read_plan(plan: str) -> PlanReading:
    def read() -> PlanReading:
        with runtime.session() as session:
            return PlanReading(read_snapshot(session, plan), read_states(session, plan))

    return with_retries("read-plan", read)


def save_statuses(plan: str, statuses: dict[AssignmentRef, Status], as_of: datetime) -> int:
    def save() -> int:
        with runtime.session() as session:
            return save_states(session, plan, statuses, as_of)

    return with_retries("save-statuses", save)


def moment_of(as_of: datetime | None, tz: ZoneInfo) -> datetime:
    """The evaluation moment: now (aware UTC) by default; a naive time is in the plan's zone."""
    if as_of is None:
        return datetime.now(UTC)  # the edge reads the clock; nothing below does
    return aware_in(as_of, tz)


def publish(plan: Plan, statuses: list[AssignmentStatus], as_of: datetime) -> str:
    """The run's artifacts (late table, progress, summary, board link) and the board's files,
    created from the flow itself so that they hang on the flow run. Returns what failed
    (`bước publish-board thất bại: …`), empty when nothing did: a board not written is news,
    but the statuses and the e-mails still go out."""
    said = []
    for name, step in (
        ("publish-artifacts", lambda: artifacts.publish_sync(plan, statuses, as_of)),
        ("publish-board", lambda: publish_board_files(plan, statuses, as_of)),
    ):
        try:
            step()
        except Exception as error:
            get_run_logger().error("Bước %s thất bại: %s", name, one_line_error(error))
            said.append(f"bước {name} thất bại: {one_line_error(error)}")
    return "; ".join(said)


@flow(
    name="track-plan",
    flow_run_name="{plan}",
)
def track_plan(plan: str, as_of: datetime | None = None, preview: Preview = False) -> State:
    """Tình hình mọi phân công của kế hoạch tại một thời điểm (mặc định: bây giờ).

    The run's graph is the plan's chain: one subflow per deliverable, prerequisites first,
    each holding its assignments (flows/chain.py). With `preview`, the run evaluates and
    publishes (artifacts, board) but sends no e-mail (nothing enters the outbox), stores no
    status and emits no event.

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
    run_chain(chain_view(the_plan, statuses))
    broken = publish(the_plan, statuses, moment)
    if preview:
        mail = PREVIEW_MESSAGE
    else:
        changed = emit_run_events(the_plan, statuses, reading.previous, moment, run_name=name)
        if changed:
            save_statuses(plan, changed, moment)
        mail = tell_people(reading.snapshot, statuses, moment)
    document = status_document(the_plan, statuses, moment)
    message = f"{summary_message(statuses)} · {mail}"
    if broken:  # the statuses and the e-mails went out; what failed is named, and the run fails
        return Failed(message=f"{message} · {broken}", data=document)
    return Completed(message=message, data=document)


def tell_people(snapshot: Snapshot, statuses: Sequence[AssignmentStatus], as_of: datetime) -> str:
    """The ladder's e-mails: decided into the outbox once, then delivered (in office hours)."""
    decided = decide_messages(snapshot, statuses, as_of)
    if decided.enqueued and runtime.current().settings.web.base_url is None:
        get_run_logger().warning(NO_LINK_NOTE)
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
