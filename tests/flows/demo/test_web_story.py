"""The demo's units answer through `dondoc web` (flows/demo/web_story.py): the story keeps the
demo's record, and the replay carried out with it (the runs' steps without Prefect, the web
app in process) shows each step where a coordinator and a leader look: the statuses, the
e-mails in the outbox folder, `dondoc log`."""

from __future__ import annotations

import json
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from flows import runtime
from flows.cli import app
from flows.demo.replay import SEED_ARRIVALS, Timeline, demo_runtime, replay, send_due
from flows.demo.web_story import STORY, Act, sent_through_web, typed_only
from models.evaluate import evaluate
from models.files.arrivals_csv import read_arrivals_csv
from models.status_document import status_document
from models.storage.store import read_snapshot
from notifications.dispatch import notify
from tests.builders import HCM

pytestmark = pytest.mark.db
REPORT = "bc-huyen"


def test_the_web_sends_the_records_own_reports_at_their_time_with_their_figures():
    record = read_arrivals_csv(SEED_ARRIVALS, HCM)
    web = sent_through_web(STORY)
    left = typed_only(record, STORY)
    assert len(left) == len(record) - len(web) and len(web) == 5
    for arrival in record:
        ref = (arrival.deliverable, arrival.unit)
        if ref not in web:
            continue
        first = next(s for s in STORY if s.act is Act.SUBMIT and (s.deliverable, s.unit) == ref)
        assert first.moment(HCM) == arrival.received_at
        assert first.figures == {k: str(v) for k, v in arrival.data.items()}


def track_without_prefect(plan: str, as_of: datetime) -> dict[str, Any]:
    """What a track-plan run does for the people it tells, without Prefect: evaluate, decide
    into the outbox (with the units' links), deliver."""
    current = runtime.current()
    with current.session() as session:
        snapshot = read_snapshot(session, plan)
    statuses = evaluate(snapshot.plan, snapshot.submissions, as_of)
    with current.session() as session:
        links = current.personal_links(datetime.now(HCM))
        notify(session, snapshot, statuses, as_of, mail_from="vptu@x.vn", links=links)
    send_due(plan, as_of)
    return status_document(snapshot.plan, statuses, as_of)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Timeline]:
    folder = tmp_path_factory.mktemp("demo")
    with runtime.use(demo_runtime(folder)):
        _, document, timeline = replay(folder, track=track_without_prefect)
    return folder, document, timeline


def mails_to(folder: Path, unit_address: str) -> list[tuple[str, str]]:
    """(subject, text) of every e-mail the unit got, in the order they were sent."""
    found = []
    for eml in folder.glob("outbox/*.eml"):
        message = message_from_bytes(eml.read_bytes(), policy=policy.default)
        if unit_address in str(message["To"]):
            body = message.get_body(("plain",))
            text = body.get_content() if body is not None else ""
            found.append((message["Date"].datetime, str(message["Subject"]), text))
    return [(subject, text) for _, subject, text in sorted(found)]


def item(document: dict[str, Any], unit: str) -> dict[str, Any]:
    found = document["assignments"]
    return next(a for a in found if (a["deliverable"], a["unit"]) == (REPORT, unit))


def test_the_returned_unit_hears_why_at_once_and_its_second_report_is_accepted(replayed):
    folder, document, _ = replayed
    mails = [
        (subject.split("]")[0] + "]", text)
        for subject, text in mails_to(folder, "huyenuy.huongson@")
        if "Báo cáo khó khăn" in subject
    ]
    assert [tag for tag, _ in mails] == [
        "[Nhắc việc]",
        "[Nhắc lần cuối]",
        "[Xác nhận đã nhận]",
        "[Trả lại, yêu cầu bổ sung]",
        "[Xác nhận đã nhận]",
    ]
    assert "Thiếu danh sách đại biểu theo thành phần" in mails[3][1]
    assert "http://127.0.0.1:8765/n/" in mails[3][1]  # its link, to send again
    assert item(document, "huong-son")["status"] == "done_on_time"


def test_the_extension_makes_the_two_days_later_report_on_time_and_counted_apart(replayed):
    folder, document, timeline = replayed
    khe = item(document, "huong-khe")
    assert khe["status"] == "done_on_time" and khe["original_due"] is not None
    assert document["extended"]["done_on_time"] == 1
    assert (REPORT, "huong-khe") not in timeline.went_overdue
    subjects = [subject for subject, _ in mails_to(folder, "huyenuy.huongkhe@")]
    assert sum(s.startswith("[Đồng ý gia hạn]") for s in subjects) == 1


def test_dondoc_log_tells_the_story_in_order(replayed):
    folder, _, _ = replayed
    with runtime.use(demo_runtime(folder)):
        args = ["log", "gap-mat-2023", "--unit", "huong-son", "--deliverable", REPORT, "--json"]
        result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)["entries"]
    told = [entry.get("rule", entry["action"]) for entry in entries]
    assert told == [
        "reminder",  # 06/03 07:30, with the link
        "acknowledged",  # 09:00, from the page
        "final_reminder",  # 08/03 07:30
        "received",  # 09:00, with a PDF and the seat count
        "receipt",
        "returned",  # 10:30, by the coordinator in the console
        "returned",  # the e-mail saying why, at once
        "received",  # 15:30, again
        "receipt",
        "accepted",  # 09/03 08:15
    ]
    by = {entry["recorded_by"] for entry in entries if entry["action"] != "message"}
    assert by == {"huong-son (trang cá nhân)", "vptu.dieuphoi"}
