"""The database in trouble (issue 13, class 12), for real: a writer holding the lock, a full
disk, a read-only file system, an immutable file, a PostgreSQL database that does not
exist. Each is named for what it is, in Vietnamese, with what to do; exit 1; nothing written."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text
from typer.testing import CliRunner

import models.storage.engine
from flows.cli import app
from models.storage.engine import make_engine
from tests.paths import SEED_PLAN

pytestmark = pytest.mark.cli
RECEIVE = ["receive", "gap-mat-2023", "bc-huyen", "huong-khe", "--at", "08/03/2023 10:00"]


def dondoc(url: str, monkeypatch: pytest.MonkeyPatch, *args: str):
    from flows import runtime

    monkeypatch.setenv("DONDOC_DATABASE_URL", url)
    runtime.reset()
    return CliRunner().invoke(app, list(args))


def loaded_db(folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{folder / 'dondoc.db'}"
    assert dondoc(url, monkeypatch, "plan", "load", str(SEED_PLAN)).exit_code == 0
    from flows import runtime

    runtime.reset()  # no pooled connection left open on the file
    return url


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB file system (tmpfs), root only: skipped where it cannot be mounted."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def said(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stderr


def test_a_writer_holding_the_lock_is_named(tmp_path, monkeypatch) -> None:
    url = loaded_db(tmp_path, monkeypatch)
    monkeypatch.setattr(models.storage.engine, "SQLITE_BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(tmp_path / "dondoc.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, mid-transaction
    try:
        stderr = said(dondoc(url, monkeypatch, *RECEIVE))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "đang bị một tiến trình dondoc khác ghi" in stderr and "chạy lại" in stderr


def test_a_full_disk_is_named_and_nothing_is_half_written(small_disk, monkeypatch) -> None:
    url = loaded_db(small_disk, monkeypatch)
    filler = small_disk / "filler"
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=4k"], capture_output=True)
    stderr = said(dondoc(url, monkeypatch, *RECEIVE))
    assert "ổ đĩa chứa cơ sở dữ liệu đã đầy" in stderr
    filler.unlink()
    assert dondoc(url, monkeypatch, "status", "gap-mat-2023", "--json").exit_code == 0
    result = dondoc(url, monkeypatch, *RECEIVE)
    assert result.exit_code == 0 and "Đã ghi nhận" in result.stdout  # the first was not kept


def test_a_read_only_file_system_is_named(small_disk, monkeypatch) -> None:
    url = loaded_db(small_disk, monkeypatch)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    stderr = said(dondoc(url, monkeypatch, *RECEIVE))
    assert "chỉ đọc được, không ghi được" in stderr


def test_an_immutable_file_is_named(tmp_path, monkeypatch) -> None:
    url = loaded_db(tmp_path, monkeypatch)
    database = tmp_path / "dondoc.db"
    if subprocess.run(["chattr", "+i", str(database)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        stderr = said(dondoc(url, monkeypatch, *RECEIVE))
    finally:
        subprocess.run(["chattr", "-i", str(database)], check=False)
    assert "chỉ đọc được, không ghi được" in stderr or "không mở được tệp" in stderr


def test_a_postgresql_database_that_does_not_exist_is_named(postgres_server, monkeypatch) -> None:
    _, url = postgres_server
    missing = url.set(database="khong_co_dondoc").render_as_string(hide_password=False)
    stderr = said(dondoc(missing, monkeypatch, "status", "gap-mat-2023"))
    assert "không có cơ sở dữ liệu hoặc người dùng" in stderr and "createdb" in stderr


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_postgresql_connection_cut_during_a_plan_load_is_said_once(
    database_url, postgres_server, monkeypatch, caplog
) -> None:
    """A real cut (pg_terminate_backend) just before the plan's executemany INSERTs, which
    psycopg sends in pipeline mode: the coordinator reads dondoc's one line, and not psycopg's
    'error ignored terminating <psycopg.Pipeline [BAD]>' repeating it; nothing is written."""
    admin, _ = postgres_server
    cuts: list[str] = []

    def cut_before_the_first_executemany(connection, _cursor, statement, _params, _ctx, many):
        if many and statement.startswith("INSERT") and not cuts:
            cuts.append(statement)
            pid = connection.connection.dbapi_connection.info.backend_pid
            with admin.connect() as other:  # waits up to 5 s until the backend is gone
                other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})

    event.listen(Engine, "before_cursor_execute", cut_before_the_first_executemany)
    try:
        stderr = said(dondoc(database_url, monkeypatch, "plan", "load", str(SEED_PLAN)))
    finally:
        event.remove(Engine, "before_cursor_execute", cut_before_the_first_executemany)
    assert len(cuts) == 1
    assert "đóng kết nối giữa chừng" in stderr and "Pipeline" not in stderr
    assert not [r for r in caplog.records if "error ignored terminating" in r.getMessage()]
    assert dondoc(database_url, monkeypatch, "plan", "list").stdout.count("gap-mat-2023") == 0


def test_psycopg_s_other_warnings_still_reach_the_log(caplog) -> None:
    """The filter drops only the pipeline's echo of an error being raised."""
    make_engine("postgresql+psycopg://dondoc@127.0.0.1:1/dondoc")  # installs the filter
    psycopg_log = logging.getLogger("psycopg")
    psycopg_log.warning("error ignored terminating %r: %s", "<psycopg.Copy [BAD]>", "lost")
    psycopg_log.warning("connection pool exhausted")
    assert [r.getMessage() for r in caplog.records] == [
        "error ignored terminating '<psycopg.Copy [BAD]>': lost",
        "connection pool exhausted",
    ]
