"""The record-submission form in the real Prefect UI, filled in as a coordinator in Vietnam
would: a time typed as Vietnam time is stored as that time (not read as UTC), and a
mistake fails the run with one Vietnamese line and no traceback in the run's logs."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from models.evaluate import evaluate
from models.statuses import Status
from tests.flows.prefect_ui.coordinator import (
    choose,
    form_field,
    is_list,
    list_entries,
    log_lines,
    open_custom_run,
    open_tab,
    run_title,
    state_badge,
    submit_and_open_run,
    type_text,
)
from tests.flows.prefect_ui.expected import snapshot_of
from tests.flows.prefect_ui.servers import PLAN, Served, finished_run, run_logs

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.db]
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
RECORDER = "Nguyễn Thị Lan"
# bc-huyen is due "trước ngày 09/03/2023" (09/03 00:00 Vietnam time); Đức Thọ's arrives the
# evening before: 18:00 Vietnam time is 11:00 UTC. Read as UTC it would be 09/03 01:00: late.
TYPED = "08/03/2023 18:00"
ARRIVED = datetime(2023, 3, 8, 11, 0, tzinfo=UTC)


def fill_record_form(page: Page, unit: str, received_at: str) -> None:
    """bc-huyen from `unit`, received at `received_at`, recorded by a named coordinator."""
    choose(page, form_field(page, "Nhiệm vụ"), "bc-huyen")
    choose(page, form_field(page, "Đơn vị"), unit)
    type_text(form_field(page, "Thời điểm nộp"), received_at)
    type_text(form_field(page, "Người ghi nhận"), RECORDER)


def test_an_arrival_typed_as_vietnam_time_in_the_form_is_stored_on_time(
    page: Page, served: Served
) -> None:
    open_custom_run(page, served.ui.base, "record-submission")
    unit_field = form_field(page, "Đơn vị")
    if is_list(unit_field):  # the entry names the unit, so a person sees whom they pick
        assert "duc-tho — Huyện ủy Đức Thọ" in list_entries(page, unit_field, "duc-tho")
    fill_record_form(page, "duc-tho", TYPED)
    run_id = submit_and_open_run(page, served.ui.base)

    run = finished_run(served.ui, run_id)
    assert run["state_type"] == "COMPLETED", run["state"]["message"]
    page.reload()
    assert state_badge(page).inner_text() == "Completed"
    title = run_title(page)
    assert title.startswith("bc-huyen") and "Đức Thọ" in title and "08/03 18:00" in title

    snapshot = snapshot_of(served.database_url)
    stored = [s for s in snapshot.submissions if (s.deliverable, s.unit) == ("bc-huyen", "duc-tho")]
    assert len(stored) == 1
    assert stored[0].received_at == ARRIVED
    assert stored[0].recorded_by == RECORDER
    later = datetime(2023, 3, 10, 7, 30, tzinfo=HCM)
    status = {s.ref: s.status for s in evaluate(snapshot.plan, snapshot.submissions, later)}
    assert status[stored[0].ref] is Status.DONE_ON_TIME


def test_a_typo_fails_the_run_with_one_vietnamese_line_and_no_traceback(
    page: Page, served: Served
) -> None:
    """Typed as free text, the unit can be mistyped ("duc-thoo"); chosen from a list, it
    cannot (the search finds nothing), and the mistake left to make is the typed time."""
    before = len(snapshot_of(served.database_url).submissions)
    open_custom_run(page, served.ui.base, "record-submission")
    unit_field = form_field(page, "Đơn vị")
    if is_list(unit_field):
        assert list_entries(page, unit_field, "duc-thoo") == []
        fill_record_form(page, "duc-tho", "08/03/2023 18:60")
        said = "không đọc được thời điểm '08/03/2023 18:60'"
    else:
        fill_record_form(page, "duc-thoo", TYPED)
        said = "không có đơn vị 'duc-thoo' (có phải 'duc-tho'"
    run_id = submit_and_open_run(page, served.ui.base)

    run = finished_run(served.ui, run_id)
    assert run["state_type"] == "FAILED"
    assert said in run["state"]["message"]
    page.reload()
    assert state_badge(page).inner_text() == "Failed"
    shown = logs_once_they_say(page, said)
    assert any(said in line for line in shown), shown
    assert not any("Traceback" in line or 'File "' in line for line in shown), shown
    stored = run_logs(served.ui, run_id)  # every line, whatever the Logs tab scrolled past
    assert not any("Traceback" in line for line in stored), stored
    assert all(len(line) < 500 for line in stored), max(stored, key=len)
    assert len(snapshot_of(served.database_url).submissions) == before  # nothing written
    assert PLAN in run["parameters"]["plan"]


def logs_once_they_say(page: Page, said: str, timeout: float = 30.0) -> list[str]:
    """The Logs tab's lines, read again (page reloaded) until one says `said`: the run's last
    lines reach the server a moment after its state (Prefect's log worker sends in batches),
    so a busy machine can show the tab before them."""
    deadline = time.monotonic() + timeout
    while True:
        open_tab(page, "Logs")
        shown = log_lines(page)
        if any(said in line for line in shown) or time.monotonic() > deadline:
            return shown
        time.sleep(1)
        page.reload()
