"""The `record-submission` flow: record an arrival, a waiver or an undo, exactly as the CLI does."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, cast

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.client.schemas.objects import State
from prefect.runtime import flow_run
from prefect.states import Completed, Failed
from pydantic import WithJsonSchema

from flows import runtime
from flows.artifacts import artifact_key, escape_markdown
from flows.form import described
from flows.record_form import code_of
from flows.run_names import rename_run
from flows.task_policy import DATABASE_TASK, log_mistakes_in_one_line
from models.errors import InputError
from models.figures_text import split_figures
from models.moments import FORMATS_HINT, local_text, parse_moment
from models.recording import Recorded, RecordRequest, describe, record
from models.submissions import SubmissionKind

log_mistakes_in_one_line()  # a typo fails the run in one line, even in a deployment


class Kind(StrEnum):
    """What the form records, in the coordinator's words; Python callers may still say
    `received` or `waived`."""

    RECEIVED = "đã nộp"
    WAIVED = "được miễn"

    @classmethod
    def _missing_(cls, value: object) -> Kind | None:
        return {"received": cls.RECEIVED, "waived": cls.WAIVED}.get(str(value))

    @property
    def submission_kind(self) -> SubmissionKind:
        return SubmissionKind.RECEIVED if self is Kind.RECEIVED else SubmissionKind.WAIVED


Plan = Annotated[str, described("Kế hoạch", "Mã kế hoạch, ví dụ gap-mat-2023.")]
# A code, or an entry of the list `dondoc serve` gives the form ("bc-huyen — Báo cáo …").
Deliverable = Annotated[
    str, described("Nhiệm vụ", "Mã nhiệm vụ (báo cáo, văn bản) đơn vị phải nộp, ví dụ bc-huyen.")
]
Unit = Annotated[str, described("Đơn vị", "Mã đơn vị đã nộp, ví dụ huong-khe.")]
RecordedBy = Annotated[
    str, described("Người ghi nhận", "Họ tên người ghi nhận (lưu vào nhật ký ghi nhận).")
]
# A plain text field in the form: Prefect's date-time picker reads a time as UTC, and a
# `str | None` shows as two tabs ("str" / "None", None chosen). A datetime (or None) is still
# accepted from Python.
TEXT_FIELD = WithJsonSchema({"type": "string"})
RECEIVED_AT = described(
    "Thời điểm nộp (giờ Việt Nam)",
    "Giờ Việt Nam (múi giờ của kế hoạch), viết dd/mm/yyyy HH:MM, ví dụ 08/03/2023 18:00; "
    "cũng nhận ISO-8601 (2023-03-08T18:00). Để trống: bây giờ.",
)
ReceivedAt = Annotated[str | datetime | None, TEXT_FIELD, RECEIVED_AT]
Note = Annotated[str, described("Ghi chú", "Ghi chú kèm theo, ví dụ: bản giấy.")]
Undo = Annotated[
    bool,
    described(
        "Hủy ghi nhận",
        "Chọn để hủy lần ghi nhận (hoặc lần miễn) gần nhất còn hiệu lực: ghi thêm một dòng hủy, "
        "không xóa gì.",
    ),
]
KindField = Annotated[
    Kind,
    described(
        "Loại ghi nhận", "Đã nộp: đơn vị đã nộp; được miễn: đơn vị không phải nộp nhiệm vụ này."
    ),
]
# One text field `tên=giá trị; tên=giá trị` (`dondoc serve` lists the plan's field names in
# its help); a mapping is still accepted from Python, as --set's pairs.
Figures = Annotated[
    str | Mapping[str, object] | None,
    TEXT_FIELD,
    described(
        "Số liệu kèm theo",
        "Viết tên=giá trị, nhiều số liệu cách nhau bằng dấu ; (ví dụ so_dai_bieu=12), như "
        "--set của dondoc receive. Chỉ đi kèm ghi nhận đã nộp; để trống nếu không có.",
    ),
]


@task(name="record", **DATABASE_TASK)
def record_in_database(request: RecordRequest) -> Recorded | State:
    """One unit of work (a naive `at` is read in the plan's timezone by `record`). A person's
    mistake ends the task Failed with its message, returned rather than raised: Prefect logs a
    traceback for a raised exception, and retries it (only infrastructure faults are)."""
    current = runtime.current()
    try:
        with current.session() as session:
            return record(session, request, current.settings.recording.future_tolerance)
    except InputError as error:
        return Failed(message=str(error), data=error)


def outcome_document(result: Recorded) -> dict[str, Any]:
    row = result.submission or result.already
    return {
        "submission_id": row.id if row else None,
        "kind": row.kind.value if row else None,
        "received_at": row.received_at.isoformat() if row else None,
        "already": result.already is not None,
        "data": dict(row.data) if row else {},
    }


def moment_given(received_at: str | datetime | None, now: datetime) -> datetime:
    """The time typed in the form (naive: read in the plan's timezone by `record`, as the
    CLI's --at), a datetime given from Python, or now when left empty."""
    if isinstance(received_at, datetime):
        return received_at
    if received_at is None or not received_at.strip():
        return now
    return parse_moment(received_at, None)


def figures_given(data: str | Mapping[str, object] | None) -> dict[str, object]:
    """The figures typed in the form (`tên=giá trị; …`) or given from Python as a mapping,
    as names and raw values: `recording` checks them against the deliverable's fields."""
    if data is None:
        return {}
    if isinstance(data, str):
        return dict(split_figures(data))
    return dict(data)


def first_name() -> str:
    """`gap-mat-2023 · bc-huyen · huong-khe`, the run's name until its outcome renames it (the
    form's list entries cut to their codes)."""
    given = flow_run.parameters
    return " · ".join(code_of(str(given.get(name, ""))) for name in ("plan", "deliverable", "unit"))


@flow(name="record-submission", flow_run_name=first_name)
def record_submission(
    plan: Plan,
    deliverable: Deliverable,
    unit: Unit,
    recorded_by: RecordedBy,
    received_at: ReceivedAt = "",
    note: Note = "",
    undo: Undo = False,
    kind: KindField = Kind.RECEIVED,
    data: Figures = "",
) -> State:
    """Ghi nhận một đơn vị đã nộp (hoặc được miễn, hoặc hủy ghi nhận) — như lệnh dondoc receive.

    `deliverable` and `unit` are codes or entries of the form's lists ("huong-khe — Huyện ủy
    Hương Khê"). `received_at` is text (dd/mm/yyyy HH:MM or ISO-8601) or a datetime, defaulting
    to now; without a timezone it is read in the plan's timezone. `data` carries the figures
    the deliverable collects ("so_dai_bieu=12", or {"so_dai_bieu": "12"} from Python), as
    --set. A wrong code, time or figure fails the run with the CLI's message (not retried, no
    traceback). The run is renamed after what it recorded and leaves a Markdown artifact saying
    it (or why nothing was recorded).
    """
    now = datetime.now(UTC)  # the edge reads the clock
    deliverable, unit = code_of(deliverable), code_of(unit)
    try:
        request = RecordRequest(
            plan=plan,
            deliverable=deliverable,
            unit=unit,
            kind=Kind(kind).submission_kind,
            at=moment_given(received_at, now),
            now=now,
            recorded_by=recorded_by,
            note=note,
            undo=undo,
            data=figures_given(data),
        )
        result = recorded(request)
    except InputError as error:
        return refused(plan, f"{deliverable} · {unit}", received_at, error)
    return accepted(result, request)


def recorded(request: RecordRequest) -> Recorded:
    """`request` recorded by the task run; a person's mistake raised as itself, a fault of the
    database (after the task's retries) as Prefect raises it."""
    return cast(Recorded, result_or_mistake(record_in_database(request, return_state=True)))


def result_or_mistake(state: State) -> Any:
    """What a task run returned; the person's mistake it ended Failed with, raised as itself;
    a fault of the infrastructure (after the task's retries), as Prefect raises it."""
    if isinstance(mistake := state.result(raise_on_failure=False), InputError):
        raise mistake
    return state.result()


def refused(plan: str, asked: str, received_at: str | datetime | None, error: InputError) -> State:
    """The run Failed with the mistake's one line, named for it, with an artifact saying it."""
    rename_run(f"{asked} · không ghi nhận được")
    told(plan, refusal_markdown(plan, asked, received_at, error), "Không ghi nhận được")
    return Failed(message=str(error), data=error)


def accepted(result: Recorded, request: RecordRequest) -> State:
    """The run Completed with what it recorded, named for it, with an artifact saying it."""
    message = describe(result, request)
    rename_run(run_name(result, request))
    told(request.plan, recorded_markdown(result, request, message), message)
    return Completed(message=message, data=outcome_document(result))


def run_name(result: Recorded, request: RecordRequest) -> str:
    """`bc-huyen · Huyện ủy Hương Khê · nộp 10/03 16:00`: what the run recorded, and when."""
    plan = result.plan
    row = result.already or result.submission
    assert row is not None
    verb = "nộp" if request.kind is SubmissionKind.RECEIVED else "miễn"
    if result.already:
        verb = f"đã có ({verb})"
    elif request.undo:
        verb = f"hủy {verb}"
    when = row.received_at.astimezone(plan.tz).strftime("%d/%m %H:%M")
    return f"{request.deliverable} · {plan.unit_name(request.unit)} · {verb} {when}"


def recorded_markdown(result: Recorded, request: RecordRequest, message: str) -> str:
    plan = result.plan
    row = result.submission or result.already
    assert row is not None
    deliverable = plan.deliverables[request.deliverable]
    unit_name = plan.unit_name(request.unit)
    lines = [
        f"## {escape_markdown(message)}",
        "",
        f"- Kế hoạch: {escape_markdown(plan.title)} ({escape_markdown(plan.code)})",
        f"- Nhiệm vụ: {escape_markdown(deliverable.title)} ({escape_markdown(deliverable.code)})",
        f"- Đơn vị: {escape_markdown(unit_name)} ({escape_markdown(request.unit)})",
        f"- Thời điểm: {local_text(row.received_at, plan.tz)} ({plan.tz.key})",
        f"- Người ghi nhận: {escape_markdown(request.recorded_by)}",
        f"- Dòng: #{row.id}",
    ]
    if request.note:
        lines.append(f"- Ghi chú: {escape_markdown(request.note)}")
    return "\n".join(lines)


def refusal_markdown(
    plan: str, asked: str, received_at: str | datetime | None, error: InputError
) -> str:
    asked = f"{plan} · {asked}"
    if received_at:
        asked += f" · {received_at}"
    return "\n".join(
        [
            "## Không ghi nhận được",
            "",
            escape_markdown(str(error)),
            "",
            f"Yêu cầu: {escape_markdown(asked)}. Không có gì được ghi vào cơ sở dữ liệu; sửa "
            f"lại rồi chạy lại (thời điểm: {FORMATS_HINT}).",
        ]
    )


def told(plan: str, markdown: str, description: str) -> None:
    """The run's artifact (`<plan>-record`) saying what it recorded or why not."""
    create_markdown_artifact(markdown, key=artifact_key(plan, "record"), description=description)
