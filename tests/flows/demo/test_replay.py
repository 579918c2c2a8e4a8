"""The demo's bookkeeping: the run moments, and who went overdue when and how it ended."""

from __future__ import annotations

from flows.demo.console import day_line
from flows.demo.replay import Timeline, run_moments
from models.statuses import Status
from tests.builders import HCM, local


def document(status: str, submitted_at: str | None = None) -> dict:
    item = {"deliverable": "bc-huyen", "unit": "huong-khe", "status": status}
    summary = dict.fromkeys([key.value for key in Status], 0)  # as status_document gives it
    summary[status] = 1
    return {"assignments": [{**item, "submitted_at": submitted_at}], "summary": summary}


def test_the_replay_runs_every_morning_then_after_the_meeting():
    moments = list(run_moments(HCM))
    assert moments[0] == local(2023, 3, 1, 7, 30) and moments[-2] == local(2023, 3, 22, 7, 30)
    assert moments[-1] == local(2023, 3, 22, 18, 0) and len(moments) == 23


def test_timeline_keeps_the_first_overdue_run_and_the_arrival_that_cleared_it():
    timeline = Timeline()
    timeline.observe(document("due_soon"), local(2023, 3, 8, 7, 30))
    timeline.observe(document("overdue"), local(2023, 3, 9, 7, 30))
    timeline.observe(document("overdue"), local(2023, 3, 10, 7, 30))
    timeline.observe(document("done_late", "2023-03-10T16:00:00+07:00"), local(2023, 3, 11, 7, 30))
    ref = ("bc-huyen", "huong-khe")
    assert timeline.went_overdue == {ref: local(2023, 3, 9, 7, 30)}
    assert timeline.cleared == {ref: (local(2023, 3, 10, 16, 0), "done_late")}


def test_a_day_line_says_what_arrived_how_far_along_and_what_is_late():
    line = day_line(local(2023, 3, 9, 7, 30), [], document("overdue"), mails=12)
    assert line.startswith("09/03 07:30  + 0 nộp  xong  0/1  thư  12")
    assert line.endswith("Quá hạn: 1")
