"""The `record-step-by-step` flow: choose a deliverable, then one of the units that still owe it.

Prefect's human-in-the-loop: the run reads who still owes the deliverable, and suspends with
a form (a `RunInput` built for that deliverable) that lists only those units and asks for the
deliverable's own figures as named, typed fields; the coordinator fills it in behind the run's
"Resume" button, and the run records it through the same path as record-submission.

Suspend, not pause: a suspended run holds no process while it waits (a coordinator may take an
hour, `dondoc serve` may restart), and on "Resume" the server reschedules it; the runner then
runs the flow again from the start, the suspension answers at once with the input given, and
only then is anything written. Nothing before the suspension writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, cast

from prefect import flow, task
from prefect.client.schemas.objects import State
from prefect.context import FlowRunContext
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput
from prefect.runtime import deployment, flow_run
from prefect.states import Completed, Failed
from pydantic import Field, ValidationError, WithJsonSchema, create_model

from flows import runtime
from flows.form import described
from flows.record import (
    RECEIVED_AT,
    Kind,
    KindField,
    Note,
    Plan,
    RecordedBy,
    accepted,
    moment_given,
    recorded,
    refused,
    result_or_mistake,
    told,
)
from flows.record_form import code_of, deliverable_entry, field_help, unit_entries
from flows.run_names import rename_run
from flows.task_policy import DATABASE_TASK, log_mistakes_in_one_line
from models.errors import InputError, InvalidInputError, NotFoundError
from models.evaluate import AssignmentStatus, evaluate
from models.fields import DataField, FieldType
from models.moments import local_text
from models.plan import Plan as PlanModel
from models.recording import RecordRequest

log_mistakes_in_one_line()

# The one suspension of a run: a fixed key, so the run knows when it runs again after "Resume".
ASK_KEY = "don-vi"
# A form left unanswered this long fails the run (Prefect's pause expirations service).
ANSWER_WITHIN_SECONDS = 24 * 3600
# The text above the form names at most this many units (the list itself offers them all).
MAX_LISTED_UNITS = 20
# The units' field and the fixed fields; a figure of the same name is shown as `so_lieu_<name>`.
FIXED_FIELDS = frozenset({"unit", "received_at", "kind", "note"})

Deliverable = Annotated[
    str,
    described(
        "Nhiệm vụ",
        "Mã nhiệm vụ, ví dụ bc-huyen. Bước sau liệt kê các đơn vị còn chưa nộp nhiệm vụ này.",
    ),
]


class Answer(RunInput):
    """What the second step asks whatever the deliverable; `answer_form` lists the units and
    adds the deliverable's figures."""

    unit: Annotated[str, described("Đơn vị đã nộp", "Chỉ có các đơn vị còn chưa nộp.")]
    received_at: Annotated[str, RECEIVED_AT] = ""
    kind: KindField = Kind.RECEIVED
    note: Note = ""


@dataclass(frozen=True)
class Owing:
    """Who still owes `deliverable` at `as_of`, and the plan they were read from."""

    plan: PlanModel
    deliverable: str
    as_of: datetime
    statuses: tuple[AssignmentStatus, ...]  # the unsettled assignments, in the plan's order


@task(name="who-still-owes", **DATABASE_TASK)
def read_owing(plan: str, deliverable: str, as_of: datetime) -> Owing | State:
    """`still_owing`, as a task run retried on a database fault; a mistake (an unknown plan or
    deliverable) returned as the Failed state it ends with, as record-submission's task does."""
    try:
        return still_owing(plan, deliverable, as_of)
    except InputError as error:
        return Failed(message=str(error), data=error)


def still_owing(plan: str, deliverable: str, as_of: datetime) -> Owing:
    """The units of `deliverable` neither delivered nor excused at `as_of`."""
    from models.storage.store import read_snapshot

    with runtime.session() as session:
        snapshot = read_snapshot(session, plan)
    stored = snapshot.plan
    if deliverable not in stored.deliverables:
        raise NotFoundError("deliverable", deliverable, stored.deliverables)
    statuses = evaluate(stored, snapshot.submissions, as_of)
    unsettled = tuple(
        s for s in statuses if s.deliverable == deliverable and not s.status.is_settled
    )
    return Owing(stored, deliverable, as_of, unsettled)


def figure_field(field: DataField) -> tuple[Any, Any]:
    """One figure as a typed field of the form: a number box for numbers, có/không as a list,
    text (a date as dd/mm/yyyy: a date picker would bring its own timezone) otherwise. Left
    empty it is not given (no default in the form: Prefect's form would send it as null);
    `recording` checks what is given, and what is required, as for --set."""
    shown = {"title": field.label, "description": field_help(field)}
    if field.type is FieldType.INT or field.type is FieldType.NUMBER:
        bounds = {"minimum": field.minimum, "maximum": field.maximum}
        kind = "integer" if field.type is FieldType.INT else "number"
        schema = {"type": kind, **shown, **{k: v for k, v in bounds.items() if v is not None}}
        return Annotated[float | int | None, WithJsonSchema(schema)], NOT_GIVEN
    if field.type is FieldType.BOOL:
        schema = {"type": "string", "enum": ["có", "không"], **shown}
    else:
        schema = {"type": "string", **shown}
    return Annotated[str | None, WithJsonSchema(schema)], NOT_GIVEN


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


NOT_GIVEN = Field(default=None, json_schema_extra=_without_default)


def figure_key(name: str) -> str:
    return f"so_lieu_{name}" if name in FIXED_FIELDS else name


def answer_form(owing: Owing) -> type[Answer]:
    """The form of the run's second step: the units that still owe (all the deliverable's
    units when it runs again after "Resume" and none is left), when, how, the figures."""
    deliverable = owing.plan.deliverables[owing.deliverable]
    owing_codes = [s.unit for s in owing.statuses] or list(deliverable.owners)
    unit_schema = {
        "type": "string",
        "enum": unit_entries(owing.plan, owing_codes),
        "title": "Đơn vị đã nộp",
        "description": "Chỉ có các đơn vị còn chưa nộp (chưa được miễn) nhiệm vụ này; gõ vài "
        "chữ để tìm.",
    }
    fields: dict[str, Any] = {"unit": (Annotated[str, WithJsonSchema(unit_schema)], ...)}
    for field in deliverable.fields.values():
        fields[figure_key(field.name)] = figure_field(field)
    form = create_model("GhiNhan", __base__=Answer, **fields)
    form._description = form_description(owing)  # the Markdown Prefect shows above the form
    return form


def form_description(owing: Owing) -> str:
    """Markdown above the form: the deliverable, its deadline, who still owes and how."""
    plan = owing.plan
    deliverable = plan.deliverables[owing.deliverable]
    deadline = deliverable.deadline_text()
    owners = len(deliverable.owners)
    listed = owing.statuses[:MAX_LISTED_UNITS]
    rest = len(owing.statuses) > len(listed)
    lines = [
        f"**{deliverable_entry(deliverable)}**",
        "",
        f"Hạn: {deadline}. Tại {local_text(owing.as_of, plan.tz)} (giờ Việt Nam) còn "
        f"{len(owing.statuses)}/{owners} đơn vị chưa nộp:",
        "",
        *(f"- {plan.unit_name(s.unit)} ({s.unit}): {s.status.label}" for s in listed),
        *([f"- … và {len(owing.statuses) - len(listed)} đơn vị khác"] if rest else []),
        "",
        "Chọn đơn vị đã nộp, điền thời điểm (để trống: bây giờ) và số liệu, rồi bấm Resume.",
    ]
    return "\n".join(lines)


def figures_answered(answer: Answer, owing: Owing) -> dict[str, object]:
    """The figures filled in, by field name (those left empty are not given)."""
    fields = owing.plan.deliverables[owing.deliverable].fields
    given = {name: getattr(answer, figure_key(name)) for name in fields}
    return {name: value for name, value in given.items() if value not in (None, "")}


def asked_before() -> bool:
    """Whether this run already suspended for its form (it runs again after "Resume")."""
    context = FlowRunContext.get()
    keys = context.flow_run.empirical_policy.pause_keys if context and context.flow_run else None
    return ASK_KEY in (keys or set())


def ask(owing: Owing) -> Answer:
    """Suspend the run with the form; what the coordinator filled in, once resumed. A form
    that no longer fits what it was filled in for (the plan reloaded meanwhile) is a mistake
    to say in one line, not a traceback."""
    try:
        return suspend_flow_run(
            wait_for_input=answer_form(owing), timeout=ANSWER_WITHIN_SECONDS, key=ASK_KEY
        )
    except ValidationError as error:
        raise InvalidInputError(
            f"biểu mẫu đã điền không còn khớp với kế hoạch (nạp lại trong lúc chờ?): chạy lại "
            f"({error.error_count()} lỗi)"
        ) from None


def first_name() -> str:
    """`gap-mat-2023 · bc-huyen · chọn đơn vị` until the run renames itself after its outcome."""
    given = flow_run.parameters
    return f"{given.get('plan', '')} · {code_of(str(given.get('deliverable', '')))} · chọn đơn vị"


@flow(name="record-step-by-step", flow_run_name=first_name)
def record_step_by_step(plan: Plan, deliverable: Deliverable, recorded_by: RecordedBy) -> State:
    """Ghi nhận theo bước: chọn nhiệm vụ; lượt chạy dừng chờ (Suspended) với biểu mẫu chỉ liệt kê
    các đơn vị còn chưa nộp nhiệm vụ đó; bấm Resume, điền, và lượt chạy ghi nhận.

    Runs as a deployment only (a suspended run is rescheduled by its deployment)."""
    now = datetime.now(UTC)  # the edge reads the clock (again when the run resumes)
    code = code_of(deliverable)
    try:
        if deployment.id is None:
            raise InvalidInputError(
                "ghi nhận theo bước chạy như một deployment (dondoc serve); từ Python hay dòng "
                "lệnh, dùng record-submission hoặc dondoc receive"
            )
        owing = cast(Owing, result_or_mistake(read_owing(plan, code, now, return_state=True)))
    except InputError as error:
        return refused(plan, code, None, error)
    if not owing.statuses and not asked_before():
        message = f"{code}: mọi đơn vị đã nộp hoặc được miễn, không còn gì để ghi nhận."
        rename_run(f"{code} · không còn đơn vị nào chưa nộp")
        told(plan, f"## {message}", message)
        return Completed(message=message)
    asked, when = code, None
    try:
        answer = ask(owing)
        unit = code_of(answer.unit)
        asked, when = f"{code} · {unit}", answer.received_at
        request = RecordRequest(
            plan=plan,
            deliverable=code,
            unit=unit,
            kind=Kind(answer.kind).submission_kind,
            at=moment_given(answer.received_at, now),
            now=now,
            recorded_by=recorded_by,
            note=answer.note,
            data=figures_answered(answer, owing),
        )
        result = recorded(request)
    except InputError as error:
        return refused(plan, asked, when, error)
    return accepted(result, request)
