"""`dondoc log`: the audit trail on a real database, and proof that nothing can edit it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
import typer
from sqlmodel import Session
from typer.core import TyperGroup
from typer.testing import CliRunner

from flows.cli import app
from models.storage.store import plan_row
from models.storage.tables import NotificationRow
from tests.paths import ROOT

pytestmark = [pytest.mark.db, pytest.mark.cli]
SEED = str(ROOT / "plans" / "gap-mat-2023.yaml")
PLAN = "gap-mat-2023"


@pytest.fixture
def dondoc(database_url, monkeypatch):
    monkeypatch.setenv("DONDOC_DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "220")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    assert run("plan", "load", SEED).exit_code == 0
    return run


@pytest.fixture
def recorded(dondoc, engine):
    """An arrival, its undo, a waiver by another person, and one failed e-mail."""
    dondoc(
        "receive",
        PLAN,
        "bc-huyen",
        "huong-khe",
        "--at",
        "08/03/2023 16:30",
        "--by",
        "an",
        "--set",
        "so_dai_bieu=19",
    )
    dondoc("receive", PLAN, "bc-huyen", "huong-khe", "--undo", "--at", "09/03/2023 08:00")
    dondoc("waive", PLAN, "bc-huyen", "vu-quang", "--at", "09/03/2023 10:00", "--note", "ốm")
    with Session(engine) as session:
        plan_id = plan_row(session, PLAN).id
        assert plan_id is not None
        session.add(
            NotificationRow(
                plan_id=plan_id,
                key="k-overdue",
                rule="overdue",
                deliverable_code="bc-huyen",
                unit_code="vu-quang",
                occurrence="20230309T0000",
                mail_to=["bithu.vuquang@hatinh.example"],
                mail_cc=["vptu@hatinh.example"],
                subject="[Quá hạn 1 ngày] Báo cáo",
                body_text="",
                body_html="",
                status="failed",
                attempts=3,
                created_at=datetime(2023, 3, 10, 0, 30, tzinfo=UTC),
                last_error="550 mailbox unavailable",
            )
        )
        session.commit()
    return dondoc


def test_log_shows_who_recorded_undid_and_waived_and_what_was_sent(recorded):
    result = recorded("log", PLAN)
    assert result.exit_code == 0, result.output
    text = result.stdout
    for expected in (
        "Thời điểm",
        "Người ghi / Gửi tới",
        "Ghi nhận đã nộp",
        "Hủy ghi nhận",
        "Miễn",
        "Thư: Thông báo quá hạn",
        "hiệu lực từ 08/03/2023 16:30",
        "Số đại biểu dự gặp mặt: 19",
        "10/03/2023 07:30",  # the e-mail's creation, plan time
        "Gửi lỗi",
        "550 mailbox unavailable",
        "4 mục",
    ):
        assert expected in text, expected
    assert re.search(r"│ an\s", text)


def test_log_json_is_in_time_order_with_every_field(recorded):
    document = json.loads(recorded("log", PLAN, "--json").stdout)
    entries = document["entries"]
    assert [e["action"] for e in entries] == ["message", "received", "undo", "waived"]
    assert entries[0]["last_error"] == "550 mailbox unavailable" and entries[0]["attempts"] == 3
    assert entries[2]["undoes"] == entries[1]["submission"]
    assert entries[1]["received_at"] == "2023-03-08T16:30:00+07:00"
    assert entries[3]["note"] == "ốm"
    times = [e["at"] for e in entries]
    assert times == sorted(times, key=datetime.fromisoformat)


def test_log_narrows_to_a_unit_and_to_a_deliverable(recorded):
    by_unit = json.loads(recorded("log", PLAN, "--unit", "vu-quang", "--json").stdout)
    assert {e["unit"] for e in by_unit["entries"]} == {"vu-quang"}
    assert len(by_unit["entries"]) == 2
    other = json.loads(recorded("log", PLAN, "--deliverable", "giay-moi", "--json").stdout)
    assert other["entries"] == []
    assert "Nhật ký trống" in recorded("log", PLAN, "--deliverable", "giay-moi").stdout


def test_log_of_an_unknown_unit_or_plan_exits_2_with_a_suggestion(recorded):
    result = recorded("log", PLAN, "--unit", "huong-kh")
    assert result.exit_code == 2
    assert "không có đơn vị 'huong-kh' (có phải 'huong-khe'" in result.stderr
    result = recorded("log", "gap-mat-2032")
    assert result.exit_code == 2 and "không có kế hoạch 'gap-mat-2032'" in result.stderr


def command_paths(command: Any, prefix: tuple[str, ...] = ()) -> list[str]:
    if hasattr(command, "commands"):  # a group (typer's own click, or click's)
        return [
            path
            for name, sub in command.commands.items()
            for path in command_paths(sub, (*prefix, name))
        ]
    return [" ".join(prefix)]


def test_the_cli_offers_no_command_that_edits_or_deletes_a_submission():
    commands = command_paths(typer.main.get_command(app))
    assert "log" in commands and "receive" in commands
    editing = re.compile(r"\b(delete|remove|rm|edit|update|change|purge|drop|amend|fix)\b")
    # `user remove` is about accounts, not submissions, and soft: the row and its login
    # history stay (tests/models/storage/test_accounts.py).
    allowed = {"user remove"}
    assert [c for c in commands if editing.search(c.replace("-", " ")) and c not in allowed] == []
    # The only commands that write submissions append them (undo is a new row).
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    for name in ("receive", "waive", "extend"):
        options = {p.name for p in root.commands[name].params}
        assert options >= {"undo"} and not options & {"id", "row", "delete"}


def test_no_code_updates_or_deletes_submission_rows():
    """Append-only is a property of the code: no UPDATE or DELETE names the submission table,
    except the no-op write that takes SQLite's lock (WHERE 0 = 1)."""
    offenders = []
    for folder in ("models", "notifications", "flows"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            for pattern in (
                r"(delete|update)\(\s*SubmissionRow",
                r"(DELETE FROM|UPDATE) submission",
            ):
                for match in re.finditer(pattern, source):
                    line = source[match.start() : source.find("\n", match.start())]
                    if "WHERE 0 = 1" not in line:
                        offenders.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert offenders == []


def test_log_shows_a_request_for_more_time_and_its_refusal(dondoc, engine):
    from models.recording import RecordRequest, record
    from models.submissions import SubmissionKind
    from models.unit_actions import request_extension

    asked = datetime(2023, 3, 8, 2, tzinfo=UTC)  # 09:00 plan time
    with Session(engine) as session:
        request_extension(
            session, PLAN, "bc-huyen", "huong-khe", "20/03/2023", "chờ số liệu xã", asked
        )
        refusal = RecordRequest(
            PLAN, "bc-huyen", "huong-khe", SubmissionKind.EXTENSION_REFUSED, asked, asked,
            "an", "hạn đã chốt",
        )  # fmt: skip
        record(session, refusal)
        session.commit()
    result = dondoc("log", PLAN)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Xin gia hạn" in text and "xin gia hạn đến 20/03/2023" in text
    assert "lý do: chờ số liệu xã" in text
    assert "Từ chối gia hạn" in text and "đề nghị dòng #1" in text and "lý do: hạn đã chốt" in text
    entries = json.loads(dondoc("log", PLAN, "--json").output)["entries"]
    assert [e["action"] for e in entries] == ["extension_requested", "extension_refused"]
