"""The record-submission flow: the CLI's recording path, run by Prefect."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import pytest
from prefect.client.schemas.objects import State
from prefect.states import Failed
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from flows.record import record_submission
from flows.task_policy import retry_unless_input_error
from models.errors import NotFoundError
from models.plan import Plan
from models.storage.engine import session_scope
from models.storage.store import read_snapshot
from models.submissions import SubmissionKind
from tests.builders import local

PLAN = "gap-mat-2023"
# Recording is the CLI's path, tested on both databases there; here it runs on SQLite only.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def result_of(state: State[Any]) -> dict[str, Any]:
    """What a finished record-submission run returned. The flow returns a State, which becomes
    the run's own; Prefect types `result()` of its state as that State, not as the data."""
    return cast(dict[str, Any], state.result())


def test_a_person_s_mistake_is_not_retried_but_a_database_hiccup_is() -> None:
    mistake: State[None] = Failed(data=NotFoundError("unit", "huong-khee", ["huong-khe"]))
    hiccup: State[None] = Failed(
        data=OperationalError("SELECT 1", {}, Exception("database is locked"))
    )
    assert retry_unless_input_error(None, None, mistake) is False  # type: ignore[arg-type]  # why: the hook reads only the state
    assert retry_unless_input_error(None, None, hiccup) is True  # type: ignore[arg-type]  # why: the hook reads only the state


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_an_unknown_unit_fails_the_run_with_the_cli_message(seeded: Plan) -> None:
    state = record_submission(PLAN, "bc-huyen", "huong-khee", return_state=True)
    assert state.is_failed()
    assert state.message == str(NotFoundError("unit", "huong-khee", seeded.units))
    assert state.message.startswith("không có đơn vị 'huong-khee' (có phải 'huong-khe'")
    with pytest.raises(NotFoundError):
        state.result()


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_an_arrival_is_recorded_in_plan_time_and_can_be_undone(
    seeded: Plan, engine: Engine
) -> None:
    arrived = datetime(2023, 3, 8, 10, 0)  # naive: plan time
    state = record_submission(
        PLAN, "bc-huyen", "huong-khe", received_at=arrived, note="bản giấy", return_state=True
    )
    assert state.is_completed()
    assert state.message == "Đã ghi nhận: bc-huyen · Huyện ủy Hương Khê lúc 08/03/2023 10:00."
    assert result_of(state)["already"] is False
    again = record_submission(
        PLAN, "bc-huyen", "huong-khe", received_at=local(2023, 3, 8, 11), return_state=True
    )
    assert (again.message or "").startswith("Đã có từ trước: bc-huyen · Huyện ủy Hương Khê")
    undone = record_submission(
        PLAN, "bc-huyen", "huong-khe", received_at=local(2023, 3, 9), undo=True, return_state=True
    )
    assert (undone.message or "").startswith("Đã hủy ghi nhận: bc-huyen · Huyện ủy Hương Khê")
    with session_scope(engine) as session:
        rows = read_snapshot(session, PLAN).submissions
    assert [(r.kind, r.received_at, r.note, r.recorded_by) for r in rows[:1]] == [
        (SubmissionKind.RECEIVED, local(2023, 3, 8, 10), "bản giấy", "prefect")
    ]
    assert [r.kind for r in rows] == [SubmissionKind.RECEIVED, SubmissionKind.UNDO]


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_figures_from_the_prefect_form_are_checked_and_stored(seeded: Plan, engine: Engine) -> None:
    arrived = datetime(2023, 3, 8, 10, 0)
    wrong = record_submission(
        PLAN,
        "bc-huyen",
        "ky-anh",
        received_at=arrived,
        data={"so_dai_bieu": "hai mươi"},
        return_state=True,
    )
    assert wrong.is_failed()
    assert "so_dai_bieu: giá trị 'hai mươi' không hợp lệ" in (wrong.message or "")
    state = record_submission(
        PLAN,
        "bc-huyen",
        "ky-anh",
        received_at=arrived,
        data={"so_dai_bieu": "20"},
        return_state=True,
    )
    assert state.is_completed() and (state.message or "").endswith("Số đại biểu dự gặp mặt: 20")
    assert result_of(state)["data"] == {"so_dai_bieu": 20}
    with session_scope(engine) as session:
        (row,) = [s for s in read_snapshot(session, PLAN).submissions if s.unit == "ky-anh"]
    assert row.data == {"so_dai_bieu": 20}
