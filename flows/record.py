"""The `record-submission` flow: record an arrival, a waiver or an undo, exactly as the CLI does."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from prefect import flow, task
from prefect.client.schemas.objects import State
from prefect.states import Completed, Failed

from flows import runtime
from flows.task_policy import DATABASE_TASK
from models.errors import InputError
from models.recording import Recorded, RecordRequest, describe, record
from models.submissions import SubmissionKind


@task(name="record", **DATABASE_TASK)
def record_in_database(request: RecordRequest) -> Recorded:
    """One unit of work (a naive `at` is read in the plan's timezone by `record`)."""
    current = runtime.current()
    with current.session() as session:
        return record(session, request, current.settings.recording.future_tolerance)


def outcome_document(result: Recorded) -> dict[str, Any]:
    row = result.submission or result.already
    return {
        "submission_id": row.id if row else None,
        "kind": row.kind.value if row else None,
        "received_at": row.received_at.isoformat() if row else None,
        "already": result.already is not None,
        "data": dict(row.data) if row else {},
    }


@flow(name="record-submission", flow_run_name="{plan} · {deliverable} · {unit}")
def record_submission(
    plan: str,
    deliverable: str,
    unit: str,
    received_at: datetime | None = None,
    note: str = "",
    recorded_by: str = "prefect",
    undo: bool = False,
    kind: Literal["received", "waived"] = "received",
    data: dict[str, str] | None = None,
) -> State:
    """Ghi nhận một đơn vị đã nộp (hoặc được miễn, hoặc hủy ghi nhận) — như lệnh dondoc receive.

    `received_at` defaults to now; without a timezone it is read in the plan's timezone.
    `data` carries the figures the deliverable collects ({"so_dai_bieu": "12"}), as --set.
    A wrong code, time or figure fails the run with the CLI's message (and is not retried).
    """
    now = datetime.now(UTC)  # the edge reads the clock
    request = RecordRequest(
        plan=plan,
        deliverable=deliverable,
        unit=unit,
        kind=SubmissionKind(kind),
        at=received_at or now,
        now=now,
        recorded_by=recorded_by,
        note=note,
        undo=undo,
        data=data or {},
    )
    try:
        result = record_in_database(request)
    except InputError as error:
        return Failed(message=str(error), data=error)
    return Completed(message=describe(result, request), data=outcome_document(result))
