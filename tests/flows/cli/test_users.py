"""`dondoc user add|passwd|remove|list|log` on a real database: accounts made and listed in
Vietnamese, passwords never on the command line, every mistake one line with exit code 2 and
nothing written, a lock and the login history shown as a coordinator reads them."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models.accounts import LoginOutcome
from models.storage.accounts import authenticate
from models.storage.engine import session_scope
from models.storage.tables import AccountRow
from tests.runtimes import cli_on

pytestmark = [pytest.mark.db, pytest.mark.cli]
PASSWORD = "hoa sen nở trên hồ"
AN = ("nguyen.van.an", "--role", "coordinator", "--full-name", "Nguyễn Văn An")
DATE_TIME = r"\d\d/\d\d/\d{4} \d\d:\d\d"


@pytest.fixture
def dondoc(database_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    return cli_on(database_url, monkeypatch)


@pytest.fixture
def added(dondoc):
    result = dondoc("user", "add", *AN, "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    return dondoc


def hashes(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        return list(session.exec(select(AccountRow.password_hash)).all())


def login(engine: Engine, password: str, at: datetime, username: str = "nguyen.van.an"):
    with session_scope(engine) as session:
        return authenticate(session, username, password, at, "203.0.113.9")


def test_the_first_coordinator_is_added_from_a_script_and_listed(added):
    listed = added("user", "list")
    assert listed.exit_code == 0, listed.output
    for header in ("Tên đăng nhập", "Họ tên", "Vai trò", "Tạo lúc", "Lần đăng nhập cuối"):
        assert header in listed.stdout
    row = next(line for line in listed.stdout.splitlines() if "nguyen.van.an" in line)
    assert "Nguyễn Văn An" in row and "Điều phối viên" in row and "Chưa đăng nhập" in row
    assert "Đang dùng" in row and re.search(DATE_TIME, row)
    assert listed.stdout.rstrip().endswith("1 tài khoản.")


def test_adding_says_who_was_added(dondoc, engine):
    result = dondoc("user", "add", *AN, "--password-stdin", input=PASSWORD + "\n")
    assert result.stdout == "Đã thêm tài khoản 'nguyen.van.an' (Nguyễn Văn An, Điều phối viên).\n"
    (stored,) = hashes(engine)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_password_typed_twice_at_a_hidden_prompt_is_kept(dondoc, engine):
    leader = ("tran.thi.binh", "--role", "leader", "--full-name", "Trần Thị Bình")
    result = dondoc("user", "add", *leader, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Mật khẩu mới:" in result.stdout and PASSWORD not in result.stdout
    assert "(Trần Thị Bình, Lãnh đạo)" in result.stdout
    assert login(engine, PASSWORD, datetime.now(UTC), "tran.thi.binh").succeeded


@pytest.mark.parametrize(
    ("args", "typed", "error"),
    [
        (AN, f"{PASSWORD}\nkhác hẳn mật khẩu\n", "hai lần nhập mật khẩu không khớp"),
        (("Nguyen", *AN[1:], "--password-stdin"), PASSWORD, "tên đăng nhập 'Nguyen' không hợp"),
        ((*AN[:1], "--role", "admin", *AN[3:], "--password-stdin"), PASSWORD, "không có vai trò"),
        ((*AN[:1], *AN[3:], "--password-stdin"), PASSWORD, "thiếu vai trò: --role coordinator"),
        ((*AN[:3], "--password-stdin"), PASSWORD, "thiếu họ tên"),
        ((*AN, "--password-stdin"), "ngắn quá\n", "mật khẩu quá ngắn (8 ký tự)"),
        ((*AN, "--password-stdin"), "nguyen.van.an\n", "không được trùng tên đăng nhập"),
        ((*AN, "--password-stdin"), "", "đầu vào chuẩn trống"),
    ],
)
def test_a_mistake_is_one_vietnamese_line_exit_2_and_nothing_written(
    dondoc, engine, args, typed, error
):
    result = dondoc("user", "add", *args, input=typed)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Lỗi: ") and error in result.stderr
    assert result.stderr.count("\n") == 1
    assert hashes(engine) == []


def test_a_taken_name_is_refused_before_the_password_is_asked(added, engine):
    result = added("user", "add", *AN)
    assert result.exit_code == 2 and "đã có tài khoản 'nguyen.van.an'" in result.stderr
    assert "Mật khẩu" not in result.stdout
    assert len(hashes(engine)) == 1


def test_passwd_sets_a_new_password(added, engine):
    (before,) = hashes(engine)
    result = added("user", "passwd", "nguyen.van.an", "--password-stdin", input="mật khẩu mới!!\n")
    assert result.stdout == "Đã đổi mật khẩu của tài khoản 'nguyen.van.an'.\n"
    assert hashes(engine) != [before]
    assert login(engine, "mật khẩu mới!!", datetime.now(UTC)).succeeded
    missing = added("user", "passwd", "nguyen.van.am", "--password-stdin", input="x" * 12)
    assert missing.exit_code == 2
    assert "không có tài khoản 'nguyen.van.am' (có phải 'nguyen.van.an'?)" in missing.stderr


def test_remove_keeps_the_name_in_the_list(added, engine):
    result = added("user", "remove", "nguyen.van.an")
    assert result.exit_code == 0, result.output
    assert "Đã xóa tài khoản 'nguyen.van.an' (Nguyễn Văn An)" in result.stdout
    row = next(line for line in added("user", "list").stdout.splitlines() if "nguyen.van" in line)
    assert re.search(f"Đã xóa {DATE_TIME}", row)
    again = added("user", "remove", "nguyen.van.an")
    assert again.exit_code == 2 and "tài khoản 'nguyen.van.an' đã xóa lúc" in again.stderr
    assert login(engine, PASSWORD, datetime.now(UTC)).outcome is LoginOutcome.UNKNOWN_USER


def test_five_wrong_passwords_show_as_a_lock_and_in_the_login_log(added, engine):
    start = datetime.now(UTC) - timedelta(minutes=1)
    results = [login(engine, "sai mật khẩu rồi", start + timedelta(seconds=i)) for i in range(5)]
    assert [r.message() for r in results] == ["Sai tên đăng nhập hoặc mật khẩu."] * 5
    locked = login(engine, PASSWORD, start + timedelta(seconds=10))
    assert locked.outcome is LoginOutcome.LOCKED
    assert locked.message().startswith(
        "Tài khoản đang tạm khóa vì đăng nhập sai 5 lần: thử lại sau "
    )
    row = next(line for line in added("user", "list").stdout.splitlines() if "nguyen.van" in line)
    assert re.search(f"Đang khóa đến {DATE_TIME}", row)
    shown = added("user", "log", "nguyen.van.an")
    assert shown.stdout.count("Đăng nhập sai mật khẩu") == 5
    assert "Đăng nhập bị chặn (đang tạm khóa)" in shown.stdout and "203.0.113.9" in shown.stdout
    assert shown.stdout.rstrip().endswith(
        "6 lần đăng nhập. Nhật ký chỉ để xem: dondoc không có lệnh sửa hay xóa."
    )
    document = json.loads(added("user", "log", "--json").stdout)
    assert [entry["action"] for entry in document["logins"]] == ["login_failed"] * 5 + [
        "login_locked"
    ]


def test_the_lists_say_when_there_is_nothing_yet(dondoc):
    assert "Chưa có tài khoản nào." in dondoc("user", "list").stdout
    assert dondoc("user", "log").stdout == "Chưa có lần đăng nhập nào.\n"
