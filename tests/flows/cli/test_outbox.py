"""`dondoc outbox list|show|retry|send` end to end on a real database, the file transport."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, update
from sqlmodel import col, select
from typer.testing import CliRunner

from models.evaluate import evaluate
from models.loader import LoadedPlan
from models.storage.engine import session_scope
from models.storage.store import append_submission, read_snapshot, save_plan
from models.storage.tables import NotificationRow
from notifications.dispatch import notify
from tests.builders import local

pytestmark = [pytest.mark.db, pytest.mark.cli]
PLAN = "gap-mat-2023"
FROM = "Văn phòng Tỉnh ủy <vptu@hatinh.example>"
REMINDER = "gap-mat-2023:reminder:bc-huyen:huong-khe:20230309T0000"
OTHER = "gap-mat-2023:reminder:bc-huyen:vu-quang:20230309T0000"


def dondoc_app() -> typer.Typer:
    """The command line as it will be: the outbox sub-app under `outbox` (built here, so the
    test does not depend on flows/cli.py wiring it in)."""
    from flows.cli._app import outbox_app

    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """dondoc (test)."""

    app.add_typer(outbox_app, name="outbox")
    return app


@pytest.fixture
def outbox_dir(tmp_path: Path) -> Path:
    return tmp_path / "outbox"


@pytest.fixture
def dondoc(database_url: str, outbox_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `dondoc outbox ARGS…` in-process on the test database, mail to .eml files."""
    monkeypatch.setenv("DONDOC_DATABASE_URL", database_url)
    monkeypatch.setenv("DONDOC_MAIL_TRANSPORT", "file")
    monkeypatch.setenv("DONDOC_OUTBOX_DIR", str(outbox_dir))
    monkeypatch.setenv("DONDOC_MAIL_FROM", FROM)
    monkeypatch.setenv("COLUMNS", "250")
    runner, app = CliRunner(), dondoc_app()

    def run(*args: str):
        return runner.invoke(app, ["outbox", *args], catch_exceptions=False)

    return run


@pytest.fixture
def queued(engine: Engine, seed: LoadedPlan) -> Iterator[Engine]:
    """The seed plan with the 35 reminders decided on Monday 06/03/2023, 07:30."""
    with session_scope(engine) as session:
        save_plan(session, seed)
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
    as_of = local(2023, 3, 6, 7, 30)
    statuses = evaluate(snapshot.plan, snapshot.submissions, as_of)
    with session_scope(engine) as session:
        assert len(notify(session, snapshot, statuses, as_of, mail_from=FROM).enqueued) == 35
    yield engine


def stored(engine: Engine, key: str) -> NotificationRow:
    with session_scope(engine) as session:
        row = session.exec(select(NotificationRow).where(NotificationRow.key == key)).one()
        session.expunge(row)
        return row


def set_status(engine: Engine, key: str, status: str, error: str | None = None) -> None:
    with session_scope(engine) as session:
        statement = update(NotificationRow).where(col(NotificationRow.key) == key)
        session.exec(statement.values(status=status, last_error=error))


def test_list_shows_every_message_with_vietnamese_headers(queued, dondoc):
    result = dondoc("list", PLAN)
    assert result.exit_code == 0, result.output
    for header in ("Mã", "Quy tắc", "Đơn vị", "Gửi tới", "Tiêu đề", "Trạng thái", "Lần thử"):
        assert header in result.stdout
    assert REMINDER in result.stdout and "Huyện ủy Hương Khê" in result.stdout
    assert "Nhắc việc" in result.stdout and "Chờ gửi" in result.stdout
    assert "35 thư." in result.stdout


def test_list_filters_by_status(queued, dondoc):
    set_status(queued, REMINDER, "failed", "550 no such mailbox")
    failed = dondoc("list", PLAN, "--status", "failed")
    assert failed.exit_code == 0
    assert REMINDER in failed.stdout and OTHER not in failed.stdout
    assert "550 no such mailbox" in failed.stdout and "1 thư." in failed.stdout
    assert "Không có thư nào." in dondoc("list", PLAN, "--status", "superseded").stdout
    assert dondoc("list", PLAN, "--status", "lost").exit_code == 2


def test_show_prints_the_headers_and_the_text_part(queued, dondoc):
    result = dondoc("show", REMINDER)
    assert result.exit_code == 0, result.output
    assert f"From: {FROM}" in result.stdout
    assert "Subject: [Nhắc việc]" in result.stdout and "Huyện ủy Hương Khê" in result.stdout
    assert "Message-ID: <gap-mat-2023.reminder.bc-huyen.huong-khe.20230309T0000@" in (result.stdout)
    assert "Trạng thái: Chờ gửi" in result.stdout
    assert "Kính gửi" in result.stdout


def test_show_eml_prints_the_stored_message_byte_for_byte(queued, dondoc):
    result = dondoc("show", REMINDER, "--eml")
    assert result.exit_code == 0
    assert result.stdout_bytes == stored(queued, REMINDER).eml
    mail = message_from_bytes(result.stdout_bytes, policy=policy.default)
    assert mail["X-Dondoc-Key"].strip() == REMINDER


def test_show_of_an_unknown_key_is_a_clear_error(queued, dondoc):
    result = dondoc("show", "gap-mat-2023:reminder:nope")
    assert result.exit_code == 2
    assert "không có thư nào có mã 'gap-mat-2023:reminder:nope'" in result.stderr


def test_send_delivers_the_pending_messages_into_the_outbox_folder(queued, dondoc, outbox_dir):
    result = dondoc("send", PLAN, "--as-of", "2023-03-06T08:00")
    assert result.exit_code == 0, result.output
    assert "Đã gửi: 35" in result.stdout
    files = sorted(outbox_dir.glob("*.eml"))
    assert len(files) == 35
    reminder = outbox_dir / (REMINDER.replace(":", "_") + ".eml")
    assert reminder.read_bytes() == stored(queued, REMINDER).eml
    assert "Đã gửi" in dondoc("list", PLAN, "--status", "sent").stdout
    assert "Không có thư nào chờ gửi." in dondoc("send", PLAN, "--as-of", "2023-03-06T09:00").stdout


def test_send_supersedes_a_reminder_whose_unit_has_submitted(queued, dondoc, outbox_dir):
    with session_scope(queued) as session:
        moment = local(2023, 3, 6, 9)
        append_submission(
            session,
            PLAN,
            deliverable="bc-huyen",
            unit="huong-khe",
            kind="received",
            received_at=moment,
            recorded_at=moment,
        )
    result = dondoc("send", PLAN, "--as-of", "2023-03-06T10:00")
    assert "Đã gửi: 34" in result.stdout and "Không cần gửi nữa: 1" in result.stdout
    assert stored(queued, REMINDER).status == "superseded"
    shown = dondoc("show", REMINDER).stdout
    assert "Lý do: phân công đã có kết quả: Hoàn thành đúng hạn" in shown


def test_send_waits_for_office_hours_unless_told(queued, dondoc, outbox_dir):
    held = dondoc("send", PLAN, "--as-of", "2023-03-06T19:00")
    assert held.exit_code == 0 and "Ngoài giờ làm việc" in held.stdout
    assert not outbox_dir.exists() or list(outbox_dir.glob("*.eml")) == []
    forced = dondoc("send", PLAN, "--as-of", "2023-03-06T19:00", "--any-time")
    assert forced.exit_code == 0 and "Đã gửi: 35" in forced.stdout


def test_send_reports_an_outbox_folder_it_cannot_create_and_sends_nothing(
    queued, dondoc, outbox_dir
):
    outbox_dir.parent.mkdir(parents=True, exist_ok=True)
    outbox_dir.write_text("a file where the folder should be")
    result = dondoc("send", PLAN, "--as-of", "2023-03-06T08:00")
    # The transport failed, not what was typed: exit 1, and the message stays pending.
    assert result.exit_code == 1 and "không tạo được thư mục" in result.stderr
    assert stored(queued, REMINDER).status == "pending"


def test_send_exits_1_when_a_message_cannot_be_handed_over(queued, dondoc, outbox_dir):
    outbox_dir.mkdir(parents=True)
    blocker = outbox_dir / (REMINDER.replace(":", "_") + ".eml")
    blocker.mkdir()  # a folder where the file should be: os.replace refuses
    result = dondoc("send", PLAN, "--as-of", "2023-03-06T08:00")
    assert result.exit_code == 1
    assert "Hoãn (lỗi tạm thời): 1" in result.stdout and f"Lỗi: {REMINDER}" in result.stderr
    assert (stored(queued, REMINDER).status, stored(queued, REMINDER).attempts) == ("pending", 1)


def test_retry_puts_failed_messages_back_to_pending(queued, dondoc):
    set_status(queued, REMINDER, "failed", "550 no such mailbox")
    set_status(queued, OTHER, "failed", "550 no such mailbox")
    result = dondoc("retry", PLAN, REMINDER)
    assert result.exit_code == 0 and "Đã đưa 1 thư về hàng chờ gửi." in result.stdout
    assert (stored(queued, REMINDER).status, stored(queued, OTHER).status) == ("pending", "failed")
    assert "Đã đưa 1 thư" in dondoc("retry", PLAN).stdout
    assert stored(queued, OTHER).status == "pending"


def test_retry_says_which_keys_were_not_failed_and_refuses_unknown_ones(queued, dondoc):
    skipped = dondoc("retry", PLAN, REMINDER)
    assert skipped.exit_code == 0 and "Đã đưa 0 thư" in skipped.stdout
    assert f"Bỏ qua: {REMINDER} (Chờ gửi, không phải thư gửi lỗi)" in skipped.stderr
    unknown = dondoc("retry", PLAN, REMINDER, "gap-mat-2023:nope")
    assert unknown.exit_code == 2
    assert "không có thư nào của kế hoạch 'gap-mat-2023' có mã 'gap-mat-2023:nope'" in (
        unknown.stderr
    )


def test_an_unknown_plan_is_a_clear_error_for_every_command(queued, dondoc):
    for command in (["list"], ["retry"], ["send"]):
        result = dondoc(*command, "gap-mat-2024")
        assert result.exit_code == 2, command
        assert "không có kế hoạch 'gap-mat-2024'" in result.stderr
