"""Accounts on SQLite and PostgreSQL: unique names, soft removal, the append-only login history,
the lockout and the re-hash as `authenticate` applies them."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models.accounts import LoginOutcome, Role
from models.errors import InvalidInputError, NotFoundError
from models.storage.accounts import (
    active_account,
    add_account,
    authenticate,
    change_password,
    list_accounts,
    login_events,
    remove_account,
)
from models.storage.audit import AuditAction, login_entries
from models.storage.engine import session_scope
from models.storage.tables import AccountRow, LoginEventRow
from tests.passwords import FAST, STRONGER

pytestmark = pytest.mark.db

T0 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
MINUTE = timedelta(minutes=1)
PASSWORD = "hoa sen nở trên hồ"
WRONG = "hoa sen tàn trên hồ"


@pytest.fixture
def an(engine: Engine) -> Engine:
    """The database with one coordinator, nguyen.van.an, added at T0."""
    with session_scope(engine) as session:
        add_account(session, "nguyen.van.an", "Nguyễn Văn An", Role.COORDINATOR, PASSWORD, T0, FAST)
    return engine


def login(engine, password, at, username="nguyen.van.an", remote="10.0.0.7", hasher=FAST):
    with session_scope(engine) as session:
        return authenticate(session, username, password, at, remote, hasher)


def events(engine) -> list[tuple[int, str, datetime, str, str | None]]:
    with session_scope(engine) as session:
        return [(e.id or 0, e.username, e.at, e.outcome, e.remote) for e in login_events(session)]


def test_an_added_account_is_listed_with_its_role_and_aware_utc_times(an):
    with session_scope(an) as session:
        (listing,) = list_accounts(session, T0 + MINUTE)
        stored = session.exec(select(AccountRow.password_hash)).one()
    assert listing.account.full_name == "Nguyễn Văn An"
    assert listing.account.role is Role.COORDINATOR
    assert listing.account.created_at == T0 and listing.account.created_at.tzinfo is not None
    assert (listing.last_login, listing.locked_until, listing.standing()) == (
        None,
        None,
        "Đang dùng",
    )
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_name_is_unique_in_the_domain_and_in_the_table(an):
    taken = re.escape("đã có tài khoản 'nguyen.van.an'")
    with pytest.raises(InvalidInputError, match=taken), session_scope(an) as session:
        add_account(session, "nguyen.van.an", "Người khác", Role.LEADER, PASSWORD, T0, FAST)
    with pytest.raises(IntegrityError), session_scope(an) as session:
        session.add(
            AccountRow(
                username="nguyen.van.an",
                full_name="Người khác",
                role="leader",
                password_hash="x",
                created_at=T0,
                password_changed_at=T0,
            )
        )
    with session_scope(an) as session:
        assert len(list_accounts(session, T0)) == 1


def test_a_bad_account_writes_nothing(engine):
    for username, full_name, password in [
        ("An", "Nguyễn Văn An", PASSWORD),
        ("nguyen.van.an", "", PASSWORD),
        ("nguyen.van.an", "Nguyễn Văn An", "ngắn quá"),
    ]:
        with pytest.raises(InvalidInputError), session_scope(engine) as session:
            add_account(session, username, full_name, Role.LEADER, password, T0, FAST)
    with session_scope(engine) as session:
        assert list_accounts(session, T0) == []


def test_removal_is_soft_keeps_the_name_and_stops_logins(an):
    assert login(an, PASSWORD, T0 + MINUTE).succeeded
    with session_scope(an) as session:
        removed = remove_account(session, "nguyen.van.an", T0 + 2 * MINUTE)
    assert removed.removed_at == T0 + 2 * MINUTE
    after = login(an, PASSWORD, T0 + 3 * MINUTE)
    assert after.outcome is LoginOutcome.UNKNOWN_USER
    assert after.message() == "Sai tên đăng nhập hoặc mật khẩu."
    with session_scope(an) as session:
        (listing,) = list_accounts(session, T0 + 4 * MINUTE)
        assert listing.standing() == "Đã xóa 07/12/2026 09:02"
        assert listing.last_login == T0 + MINUTE  # the history still names the person
        with pytest.raises(InvalidInputError, match="đã xóa lúc 07/12/2026 09:02"):
            change_password(session, "nguyen.van.an", "mật khẩu mới đủ dài", T0, FAST)
    with (
        pytest.raises(InvalidInputError, match="không dùng lại được"),
        session_scope(an) as session,
    ):
        add_account(session, "nguyen.van.an", "Người khác", Role.LEADER, PASSWORD, T0, FAST)


def test_a_missing_account_is_named_with_close_matches(an):
    said = re.escape("không có tài khoản 'nguyen.van.am' (có phải 'nguyen.van.an'?)")
    with pytest.raises(NotFoundError, match=said), session_scope(an) as session:
        active_account(session, "nguyen.van.am")


def test_every_attempt_appends_one_row_and_changes_none_before_it(an):
    seen: list[tuple[int, str, datetime, str, str | None]] = []
    tries = [(PASSWORD, "nguyen.van.an"), (WRONG, "nguyen.van.an"), (PASSWORD, "  Ai.Do ")]
    for minute, (password, username) in enumerate(tries, start=1):
        login(an, password, T0 + minute * MINUTE, username=username)
        now_seen = events(an)
        assert now_seen[: len(seen)] == seen and len(now_seen) == len(seen) + 1
        seen = now_seen
    assert [(name, outcome) for _, name, _, outcome, _ in seen] == [
        ("nguyen.van.an", "success"),
        ("nguyen.van.an", "failure"),
        ("ai.do", "unknown_user"),
    ]
    assert all(at.tzinfo is not None for _, _, at, _, _ in seen)


def test_five_failures_lock_the_account_and_the_right_password_waits_15_minutes(an):
    results = [login(an, WRONG, T0 + i * MINUTE) for i in range(5)]
    assert {r.outcome for r in results} == {LoginOutcome.FAILURE}
    locked = login(an, PASSWORD, T0 + 5 * MINUTE)
    assert locked.outcome is LoginOutcome.LOCKED and locked.account is None
    assert locked.locked_until == T0 + 19 * MINUTE
    assert locked.message() == (
        "Tài khoản đang tạm khóa vì đăng nhập sai 5 lần: thử lại sau 07/12/2026 09:19."
    )
    with session_scope(an) as session:
        (listing,) = list_accounts(session, T0 + 6 * MINUTE)
    assert listing.standing() == "Đang khóa đến 07/12/2026 09:19"
    assert login(an, PASSWORD, T0 + 19 * MINUTE - timedelta(seconds=1)).outcome is (
        LoginOutcome.LOCKED
    )
    back = login(an, PASSWORD, T0 + 19 * MINUTE)
    assert back.succeeded and back.account is not None
    assert back.account.username == "nguyen.van.an"


def test_a_clock_running_behind_does_not_miss_the_failures_recorded_ahead_of_it(an):
    for i in range(5):
        login(an, WRONG, T0 + (10 + i) * MINUTE)
    behind = login(an, PASSWORD, T0)
    assert behind.outcome is LoginOutcome.LOCKED
    assert behind.locked_until == T0 + 29 * MINUTE


def test_an_unknown_name_is_locked_alike(an):
    for i in range(5):
        assert login(an, WRONG, T0 + i * MINUTE, username="khong.co").outcome is (
            LoginOutcome.UNKNOWN_USER
        )
    assert login(an, WRONG, T0 + 5 * MINUTE, username="khong.co").outcome is LoginOutcome.LOCKED
    assert login(an, PASSWORD, T0 + 5 * MINUTE).succeeded  # other names are not locked


def test_attempts_at_once_cannot_slip_under_the_lockout(an):
    """Ten wrong guesses sent together, from clocks a few seconds apart: the first five to
    get the name fail, the rest find it locked, whatever time each of them thinks it is."""
    outcomes: list[LoginOutcome] = []
    start = threading.Barrier(10)

    def guess(index: int) -> None:
        start.wait()
        outcomes.append(login(an, WRONG, T0 + index * timedelta(seconds=1)).outcome)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted([LoginOutcome.FAILURE] * 5 + [LoginOutcome.LOCKED] * 5)


def test_a_success_rehashes_a_password_hashed_with_older_parameters(an):
    def stored() -> tuple[str, datetime]:
        with session_scope(an) as session:
            row = session.exec(select(AccountRow)).one()
            return row.password_hash, row.password_changed_at

    old_hash, changed_at = stored()
    assert login(an, PASSWORD, T0 + MINUTE, hasher=STRONGER).succeeded
    new_hash, changed_after = stored()
    assert new_hash != old_hash and not STRONGER.check_needs_rehash(new_hash)
    assert changed_after == changed_at  # the same password: not a change
    assert login(an, PASSWORD, T0 + 2 * MINUTE, hasher=STRONGER).succeeded


def test_a_new_password_replaces_the_old_one(an):
    with session_scope(an) as session:
        changed = change_password(
            session, "nguyen.van.an", "mật khẩu mới đủ dài", T0 + MINUTE, FAST
        )
    assert changed.password_changed_at == T0 + MINUTE
    assert login(an, PASSWORD, T0 + 2 * MINUTE).outcome is LoginOutcome.FAILURE
    assert login(an, "mật khẩu mới đủ dài", T0 + 3 * MINUTE).succeeded
    with pytest.raises(InvalidInputError, match="trùng tên đăng nhập"), session_scope(an) as s:
        change_password(s, "nguyen.van.an", "nguyen.van.an", T0, FAST)


def test_the_login_trail_names_each_attempt_in_vietnamese(an):
    login(an, PASSWORD, T0 + MINUTE)
    login(an, WRONG, T0 + 2 * MINUTE, remote=None)
    login(an, WRONG, T0 + 3 * MINUTE, username="khong.co")
    with session_scope(an) as session:
        entries = login_entries(login_events(session, since=T0 + 2 * MINUTE))
        mine = login_entries(login_events(session, username=" Nguyen.Van.An"))
    assert [(e.action, e.by, e.remote) for e in entries] == [
        (AuditAction.LOGIN_FAILED, "nguyen.van.an", None),
        (AuditAction.LOGIN_UNKNOWN_USER, "khong.co", "10.0.0.7"),
    ]
    assert [e.action.label for e in mine] == ["Đăng nhập", "Đăng nhập sai mật khẩu"]


def test_the_table_refuses_an_outcome_it_does_not_know(an):
    with pytest.raises(IntegrityError), an.begin() as connection:
        connection.execute(
            text("INSERT INTO login_event (username, at, outcome) VALUES ('x', :at, 'maybe')"),
            {"at": T0},
        )
    with session_scope(an) as session:
        assert session.exec(select(LoginEventRow)).all() == []
