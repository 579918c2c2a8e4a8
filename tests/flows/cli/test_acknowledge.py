"""`dondoc acknowledge` end to end on a real database: a coordinator records a unit's phone
call; status, the JSON, the log and a moved record show it, and nothing else changes."""

from __future__ import annotations

import json

import pytest

from tests.paths import SEED_PLAN
from tests.runtimes import cli_on

pytestmark = [pytest.mark.db, pytest.mark.cli]
PLAN = "gap-mat-2023"
ASSIGNMENT = (PLAN, "bc-huyen", "huong-khe")
CALLED = ("acknowledge", *ASSIGNMENT, "--at", "06/03/2023 09:30", "--by", "Nguyễn Thị Lan")


@pytest.fixture
def dondoc(database_url, monkeypatch):
    run = cli_on(database_url, monkeypatch)
    monkeypatch.setenv("COLUMNS", "200")
    assert run("plan", "load", str(SEED_PLAN)).exit_code == 0
    return run


def document(dondoc, as_of: str) -> dict:
    result = dondoc("status", PLAN, "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ours(found: dict) -> dict:
    (mine,) = [a for a in found["assignments"] if (a["deliverable"], a["unit"]) == ASSIGNMENT[1:]]
    return mine


def test_acknowledge_is_shown_from_its_moment_and_changes_no_status(dondoc):
    before = document(dondoc, "2023-03-10T09:00")
    result = dondoc(*CALLED)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Đã ghi: bc-huyen · Huyện ủy Hương Khê đã nhận nhiệm vụ lúc 06/03/2023 09:30."
    )
    after = document(dondoc, "2023-03-10T09:00")
    assert ours(after)["acknowledged_at"] == "2023-03-06T09:30:00+07:00"
    assert after["not_acknowledged"] == before["not_acknowledged"] - 1
    for key in ("summary", "extended"):
        assert after[key] == before[key]
    assert {**ours(after), "acknowledged_at": None} == ours(before)
    assert ours(document(dondoc, "2023-03-06T09:29"))["acknowledged_at"] is None
    table = dondoc("status", PLAN, "--as-of", "2023-03-10T09:00").stdout
    assert f"Chưa báo nhận việc: {after['not_acknowledged']}" in table


def test_acknowledging_twice_is_reported_and_recorded_once(dondoc):
    assert dondoc(*CALLED).exit_code == 0
    again = dondoc("acknowledge", *ASSIGNMENT, "--at", "07/03/2023 08:00")
    assert again.exit_code == 0
    assert "Đã có từ trước: bc-huyen · Huyện ủy Hương Khê (06/03/2023 09:30, #1)" in again.stdout
    entries = json.loads(dondoc("log", PLAN, "--json").stdout)["entries"]
    assert [e["action"] for e in entries] == ["acknowledged"]


def test_a_delivered_assignment_has_nothing_to_acknowledge(dondoc):
    assert dondoc("receive", *ASSIGNMENT, "--at", "05/03/2023 10:00").exit_code == 0
    result = dondoc(*CALLED)
    assert result.exit_code == 2
    assert "đã nộp từ 05/03/2023 10:00 (#1): không cần báo đã nhận nhiệm vụ nữa" in result.stderr


def test_the_log_says_who_recorded_it_and_an_undo_takes_it_back(dondoc):
    assert dondoc(*CALLED).exit_code == 0
    undone = dondoc("acknowledge", *ASSIGNMENT, "--undo", "--at", "07/03/2023 08:00")
    assert undone.exit_code == 0, undone.output
    log = dondoc("log", PLAN).stdout
    assert "Đã nhận nhiệm vụ" in log and "điều phối viên ghi lại (điện thoại, gặp" in log
    assert "Nguyễn Thị Lan" in log and "hủy đã nhận nhiệm vụ dòng #1" in log
    assert ours(document(dondoc, "2023-03-06T12:00"))["acknowledged_at"] is not None
    assert ours(document(dondoc, "2023-03-07T08:00"))["acknowledged_at"] is None


def test_acknowledgements_move_with_the_record_and_replay_the_same(
    dondoc, other_database_url, tmp_path, monkeypatch
):
    assert dondoc(*CALLED).exit_code == 0
    assert dondoc("acknowledge", PLAN, "bc-huyen", "ky-anh", "--at", "07/03/2023").exit_code == 0
    assert dondoc("receive", *ASSIGNMENT, "--at", "08/03/2023 16:00").exit_code == 0
    assert dondoc("plan", "export", PLAN, "--out", str(tmp_path)).exit_code == 0
    csv_file = tmp_path / f"{PLAN}.submissions.csv"
    assert ",acknowledged," in csv_file.read_text(encoding="utf-8")
    there = cli_on(other_database_url, monkeypatch)
    assert there("plan", "load", str(tmp_path / f"{PLAN}.yaml")).exit_code == 0
    result = there("plan", "import-submissions", PLAN, str(csv_file))
    assert result.exit_code == 0, result.output
    for as_of in ("2023-03-06T10:00", "2023-03-07T12:00", "2023-03-10T09:00"):
        here_doc = document(dondoc, as_of)
        assert json.loads(there("status", PLAN, "--json", "--as-of", as_of).stdout) == here_doc


def test_an_imported_acknowledgement_of_delivered_work_is_refused_with_its_line(
    dondoc, database_url, tmp_path
):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
        "1,bc-huyen,ky-anh,received,2023-03-07T15:00:00+07:00,2023-03-07T15:05:00+07:00,an,,,{}\n"
        "2,bc-huyen,ky-anh,acknowledged,2023-03-08T15:00:00+07:00,2023-03-08T15:05:00+07:00,"
        'an,,,"{""source"": ""web""}"\n',
        encoding="utf-8",
    )
    result = dondoc("plan", "import-submissions", PLAN, str(bad))
    assert result.exit_code == 2
    assert f"{bad}:3: bc-huyen/ky-anh đã nộp từ 07/03/2023 15:00 (#1)" in result.stderr


@pytest.fixture
def other_database_url(request, database_url, tmp_path):
    """A second empty database of the same kind as `database_url`."""
    from tests.databases import postgres_schema

    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    with postgres_schema(*request.getfixturevalue("postgres_server")) as url:
        yield url
