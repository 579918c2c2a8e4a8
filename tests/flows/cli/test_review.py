"""`dondoc review` end to end on a real database: a return reopens the assignment (with a new
deadline when given), the resubmission is accepted, the log and the status show it, mistakes
are refused in one Vietnamese line."""

from __future__ import annotations

import json

import pytest

from tests.paths import SEED_PLAN
from tests.runtimes import cli_on

pytestmark = [pytest.mark.db, pytest.mark.cli]
PLAN = "gap-mat-2023"
ASSIGNMENT = (PLAN, "bc-huyen", "huong-khe")
REASON = ("--note", "thiếu số liệu đại biểu, yêu cầu bổ sung", "--by", "vptu")


@pytest.fixture
def dondoc(database_url, monkeypatch):
    run = cli_on(database_url, monkeypatch)
    monkeypatch.setenv("COLUMNS", "220")
    assert run("plan", "load", str(SEED_PLAN)).exit_code == 0
    # The invitations bc-huyen waits on are out: nothing upstream makes it at risk.
    invited = run("receive", PLAN, "moi-dai-bieu", "huong-khe", "--at", "05/03/2023 09:00")
    assert invited.exit_code == 0, invited.output
    arrived = run("receive", *ASSIGNMENT, "--at", "07/03/2023 09:00")
    assert arrived.exit_code == 0, arrived.output
    return run


def assignment(dondoc, as_of: str) -> dict:
    result = dondoc("status", PLAN, "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    (found,) = [
        a for a in document["assignments"] if (a["deliverable"], a["unit"]) == ASSIGNMENT[1:]
    ]
    return found


def test_a_return_reopens_the_assignment_and_a_replay_before_it_is_unchanged(dondoc):
    result = dondoc("review", *ASSIGNMENT, "--return", *REASON, "--at", "08/03/2023 10:00")
    assert result.exit_code == 0, result.output
    assert "Đã trả lại: bc-huyen · Huyện ủy Hương Khê (lần nộp #2)" in result.stdout
    before = assignment(dondoc, "2023-03-08T09:59")
    after = assignment(dondoc, "2023-03-08T10:00")
    late = assignment(dondoc, "2023-03-10T09:00")
    assert before["status"] == "done_on_time"
    assert (after["status"], after["return_note"], after["submitted_at"]) == (
        "returned",
        "thiếu số liệu đại biểu, yêu cầu bổ sung",
        None,
    )
    assert (late["status"], late["days_late"]) == ("returned", 2)
    table = dondoc("status", PLAN, "--as-of", "2023-03-08T10:00").stdout
    assert "Bị trả lại" in table
    again = dondoc("receive", *ASSIGNMENT, "--at", "10/03/2023 09:00")
    assert again.exit_code == 0, again.output
    assert assignment(dondoc, "2023-03-10T09:00")["status"] == "done_late"
    accepted = dondoc("review", *ASSIGNMENT, "--accept", "--at", "10/03/2023 11:00")
    assert accepted.exit_code == 0 and "Đã chấp nhận" in accepted.stdout
    log = dondoc("log", PLAN, "--unit", "huong-khe", "--deliverable", "bc-huyen").stdout
    assert "Trả lại" in log and "lý do: thiếu số liệu đại biểu" in log
    assert "Chấp nhận" in log and "lần nộp dòng #4" in log
    entries = json.loads(dondoc("log", PLAN, "--json", "--deliverable", "bc-huyen").stdout)
    # Rows are logged when recorded (now), the e-mail at the moment it was decided for: the
    # return's, 08/03/2023 10:00 (--at), so it comes first.
    assert [(e["action"], e.get("undoes", e.get("rule"))) for e in entries["entries"]] == [
        ("message", "returned"),  # the reason, to the unit, decided with the return
        ("received", None),
        ("returned", 2),
        ("received", None),
        ("accepted", 4),
    ]


def test_a_return_may_set_a_new_deadline_and_be_undone(dondoc):
    result = dondoc(
        "review", *ASSIGNMENT, "--return", *REASON, "--until", "12/03/2023", "--at",
        "08/03/2023 10:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Đã gia hạn" in result.stdout
    reopened = assignment(dondoc, "2023-03-10T09:00")
    assert (reopened["status"], reopened["due"]) == ("returned", "2023-03-13T00:00:00+07:00")
    assert reopened["days_late"] is None
    undone = dondoc("review", *ASSIGNMENT, "--return", "--undo", "--at", "08/03/2023 12:00")
    assert undone.exit_code == 0, undone.output
    assert assignment(dondoc, "2023-03-08T12:00")["status"] == "done_on_time"
    assert assignment(dondoc, "2023-03-08T11:00")["status"] == "returned"  # replayed as it was


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("review", *ASSIGNMENT), "chọn đúng một trong --accept"),
        (("review", *ASSIGNMENT, "--accept", "--return", *REASON), "chọn đúng một trong"),
        (("review", *ASSIGNMENT, "--return"), "trả lại cần ghi lý do (--note)"),
        (("review", *ASSIGNMENT, "--accept", "--until", "12/03/2023"), "chỉ đi kèm --return"),
        (("review", PLAN, "bc-huyen", "ky-anh", "--accept"), "không có lần nộp nào"),
        (("review", *ASSIGNMENT, "--accept", "--undo"), "không có lần chấp nhận nào"),
        (
            ("review", *ASSIGNMENT, "--return", *REASON, "--until", "01/03/2023"),
            "phải sau hạn gốc",
        ),
    ],
)
def test_a_mistake_exits_2_with_one_line_and_writes_nothing(dondoc, args, says):
    result = dondoc(*args)
    assert result.exit_code == 2, result.output
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    entries = json.loads(dondoc("log", PLAN, "--json").stdout)["entries"]
    assert [e["action"] for e in entries] == ["received", "received"]


def test_a_return_puts_its_reason_in_the_outbox_at_once_as_the_console_does(dondoc):
    result = dondoc("review", *ASSIGNMENT, "--return", *REASON, "--at", "08/03/2023 10:00")
    assert result.exit_code == 0, result.output
    assert "Đã xếp thư báo cho đơn vị" in result.stdout
    listed = " ".join(dondoc("outbox", "list", PLAN).stdout.split())
    assert "gap-mat-2023:returned:bc-huyen:huong-khe:202303" in listed, listed
    assert "Chờ gửi" in listed and listed.endswith("1 thư."), listed
    accepted = dondoc("review", *ASSIGNMENT, "--accept", "--by", "vptu")
    assert "Đã xếp thư" not in accepted.stdout  # nothing to tell of an acceptance
