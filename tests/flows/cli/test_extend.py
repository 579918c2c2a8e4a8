"""`dondoc extend` end to end on a real database: the grant, status before and after it, the
log, an undo, and mistakes refused in one Vietnamese line."""

from __future__ import annotations

import json

import pytest

from tests.paths import SEED_PLAN
from tests.runtimes import cli_on

pytestmark = [pytest.mark.db, pytest.mark.cli]
PLAN = "gap-mat-2023"
GRANT = ("extend", PLAN, "bc-huyen", "huong-khe", "--until", "12/03/2023")
REASON = ("--note", "huyện xin thêm thời gian tổng hợp", "--by", "vptu")


@pytest.fixture
def dondoc(database_url, monkeypatch):
    run = cli_on(database_url, monkeypatch)
    monkeypatch.setenv("COLUMNS", "200")
    assert run("plan", "load", str(SEED_PLAN)).exit_code == 0
    # The invitations bc-huyen waits on are out: nothing upstream makes it at risk.
    invited = run("receive", PLAN, "moi-dai-bieu", "huong-khe", "--at", "05/03/2023 09:00")
    assert invited.exit_code == 0, invited.output
    return run


def assignment(dondoc, as_of: str) -> dict:
    result = dondoc("status", PLAN, "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    (found,) = [a for a in document["assignments"] if (a["deliverable"], a["unit"]) == GRANT[2:4]]
    return found | {"extended_summary": document["extended"]}


def test_extend_moves_the_deadline_from_the_grant_on(dondoc):
    result = dondoc(*GRANT, *REASON, "--at", "08/03/2023 14:00")
    assert result.exit_code == 0, result.output
    assert "Đã gia hạn: bc-huyen · Huyện ủy Hương Khê: gia hạn đến 12/03/2023" in result.stdout
    before = assignment(dondoc, "2023-03-08T13:59")
    after = assignment(dondoc, "2023-03-10T09:00")
    assert (before["status"], before["due"], before["original_due"]) == (
        "due_soon",
        "2023-03-09T00:00:00+07:00",
        None,
    )
    assert (after["status"], after["due"], after["original_due"]) == (
        "due_soon",
        "2023-03-13T00:00:00+07:00",
        "2023-03-09T00:00:00+07:00",
    )
    assert after["extended_summary"] == {"due_soon": 1}
    table = dondoc("status", PLAN, "--as-of", "2023-03-10T09:00").stdout
    assert "gia hạn đến 12/03/2023 (hạn gốc: trước ngày 09/03/2023)" in table
    assert "Được gia hạn: 1 (Sắp đến hạn: 1)" in table


def test_the_log_shows_the_extension_and_its_undo(dondoc):
    dondoc(*GRANT, *REASON, "--at", "2023-03-08T14:00")
    undone = dondoc(*GRANT[:4], "--undo", "--at", "2023-03-10T08:00")
    assert undone.exit_code == 0, undone.output
    assert assignment(dondoc, "2023-03-10T09:00")["status"] == "overdue"
    assert assignment(dondoc, "2023-03-09T09:00")["status"] == "not_due"  # replayed as it was
    log = dondoc("log", PLAN, "--unit", "huong-khe").stdout
    assert "Gia hạn" in log and "gia hạn đến 12/03/2023" in log
    assert "hủy gia hạn dòng #2" in log
    entries = json.loads(dondoc("log", PLAN, "--json", "--deliverable", "bc-huyen").stdout)
    assert [(e["action"], e["data"]) for e in entries["entries"]] == [
        ("extended", {"due_kind": "by", "due": "2023-03-12"}),
        ("undo", {}),
    ]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (GRANT, "gia hạn cần ghi lý do (--note)"),
        ((*GRANT[:4], *REASON), "gia hạn cần hạn mới"),
        ((*GRANT[:4], "--until", "31/02/2023", *REASON), "không đọc được thời điểm '31/02/2023'"),
        ((*GRANT[:4], "--until", "05/03/2023", *REASON), "phải sau hạn gốc"),
        ((*GRANT, "--kind", "on", *REASON), "kiểu hạn gia hạn 'on' không dùng được"),
        (("extend", PLAN, "bc-huyen", "vptu", "--until", "12/03/2023", *REASON), "không được giao"),
    ],
)
def test_a_mistake_exits_2_with_one_line_and_writes_nothing(dondoc, args, says):
    result = dondoc(*args)
    assert result.exit_code == 2
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    entries = json.loads(dondoc("log", PLAN, "--json").stdout)["entries"]
    assert [e["action"] for e in entries] == ["received"]


def test_nothing_is_extended_after_the_unit_delivered(dondoc):
    dondoc("receive", PLAN, "bc-huyen", "huong-khe", "--at", "07/03/2023 09:00")
    result = dondoc(*GRANT, *REASON, "--at", "08/03/2023 09:00")
    assert result.exit_code == 2 and "không còn gì để gia hạn" in result.stderr


def test_a_grant_answering_a_unit_request_tells_the_unit_at_once(dondoc, engine):
    """The unit asked from its page; `dondoc extend` grants it: the answer goes into the
    outbox as from the console (one e-mail, the key of the request)."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    from models.unit_actions import request_extension

    asked = datetime(2023, 3, 8, 2, tzinfo=UTC)  # 09:00 plan time
    with Session(engine) as session:
        request_extension(session, PLAN, "bc-huyen", "huong-khe", "12/03/2023", "chờ xã", asked)
        session.commit()
    result = dondoc(*GRANT, *REASON, "--at", "08/03/2023 10:00")
    assert result.exit_code == 0, result.output
    assert "Đã xếp thư báo cho đơn vị" in result.stdout
    listed = " ".join(dondoc("outbox", "list", PLAN).stdout.split())
    assert "Đồng ý gia hạn" in listed and listed.endswith("1 thư."), listed
    plain = dondoc(*GRANT[:4], "--until", "14/03/2023", *REASON)  # no request left to answer
    assert plain.exit_code == 0 and "Đã xếp thư" not in plain.stdout
