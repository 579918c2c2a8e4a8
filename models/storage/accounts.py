"""Accounts on the database: add one, change its password, remove it (softly), list them, and
log in, every attempt kept in the append-only login history that the lockout rule reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from argon2 import PasswordHasher
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.accounts import (
    ACCOUNT_TIMEZONE,
    HASHER,
    HISTORY_NEEDED,
    Account,
    AccountListing,
    LoginAttempt,
    LoginOutcome,
    LoginResult,
    Role,
    check_full_name,
    check_password,
    check_username,
    hash_password,
    judge_attempt,
    locked_until,
    login_name,
)
from models.control_characters import printable
from models.errors import InvalidInputError, NotFoundError
from models.moments import local_text
from models.storage.locks import lock_login
from models.storage.tables import AccountRow, LoginEventRow, as_utc

REMOTE_KEPT = 100  # characters of a client address: an IPv6 address with a port fits


def add_account(
    session: Session,
    username: str,
    full_name: str | None,
    role: Role,
    password: str,
    at: datetime,
    hasher: PasswordHasher = HASHER,
) -> Account:
    """A new account, checked by the rules. A name is never reused, not even a removed one's:
    the login history and the audit trail name people by it."""
    username = check_username(username)
    name = check_full_name(full_name)
    check_password(password, username)
    check_new_name(session, username)
    row = AccountRow(
        username=username,
        full_name=name,
        role=role.value,
        password_hash=hash_password(password, hasher),
        created_at=at,
        password_changed_at=at,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # another process added the same name meanwhile
        raise InvalidInputError(f"đã có tài khoản '{username}'") from None
    return _account(row)


def check_new_name(session: Session, username: str) -> None:
    """Refuse a name that an account has, or had: the CLI asks before the password is typed."""
    row = _row(session, username)
    if row is None:
        return
    if row.removed_at is None:
        raise InvalidInputError(f"đã có tài khoản '{row.username}'")
    removed = local_text(row.removed_at, ACCOUNT_TIMEZONE)
    raise InvalidInputError(
        f"tên đăng nhập '{row.username}' thuộc một tài khoản đã xóa lúc {removed}; nhật ký vẫn "
        "ghi tên này, nên không dùng lại được: chọn tên khác"
    )


def active_account(session: Session, username: str) -> Account:
    """The account in use by that name, or an error saying there is none (or no longer)."""
    return _account(_active_row(session, username))


def change_password(
    session: Session,
    username: str,
    password: str,
    at: datetime,
    hasher: PasswordHasher = HASHER,
) -> Account:
    """Set a new password (checked by the policy) on an account in use."""
    row = _active_row(session, username)
    check_password(password, row.username)
    row.password_hash = hash_password(password, hasher)
    row.password_changed_at = at
    session.add(row)
    return _account(row)


def remove_account(session: Session, username: str, at: datetime) -> Account:
    """Remove an account from `at` on: it can no longer log in; its row and history stay."""
    row = _active_row(session, username)
    row.removed_at = at
    session.add(row)
    return _account(row)


def list_accounts(session: Session, at: datetime) -> list[AccountListing]:
    """Every account, removed ones too, by name; with its last successful login and whether
    it is locked at `at`. Three queries, whatever the number of accounts."""
    rows = session.exec(select(AccountRow).order_by(col(AccountRow.username))).all()
    names = [row.username for row in rows]
    last_logins = dict(
        session.exec(
            select(LoginEventRow.username, func.max(LoginEventRow.at))
            .where(col(LoginEventRow.username).in_(names))
            .where(LoginEventRow.outcome == LoginOutcome.SUCCESS.value)
            .where(LoginEventRow.at <= at)
            .group_by(col(LoginEventRow.username))
        ).all()
    )
    histories: defaultdict[str, list[LoginAttempt]] = defaultdict(list)
    for event in _recent_events(session, names, at, until=at):
        histories[event.username].append(_attempt(event))
    return [
        AccountListing(
            account=_account(row),
            last_login=_aware(last_logins.get(row.username)),
            locked_until=locked_until(histories[row.username], at),
        )
        for row in rows
    ]


def authenticate(
    session: Session,
    username: str,
    password: str,
    at: datetime,
    remote: str | None,
    hasher: PasswordHasher = HASHER,
) -> LoginResult:
    """One login attempt at `at` from `remote`: the lockout rule first, then the password;
    one login_event row whatever the outcome. Call it in a fresh transaction (it begins by
    locking the name). A success re-hashes a password hashed with older parameters."""
    name = login_name(username)
    lock_login(session, name)
    history = [_attempt(event) for event in _recent_events(session, [name], at, until=None)]
    # Another process's clock may run ahead of this one's: judge at the latest attempt seen,
    # so that no attempt already recorded is ignored by a replay-minded rule.
    judged_at = max([at, *(attempt.at for attempt in history)])
    row = _row(session, name)
    active = row if row is not None and row.removed_at is None else None
    stored = active.password_hash if active is not None else None
    judgement = judge_attempt(history, judged_at, stored, password, hasher)
    if active is not None and judgement.new_hash is not None:
        active.password_hash = judgement.new_hash
        session.add(active)
    session.add(
        LoginEventRow(
            username=name,
            at=at,
            outcome=judgement.outcome.value,
            remote=printable(remote)[:REMOTE_KEPT] if remote else None,
        )
    )
    succeeded = judgement.outcome is LoginOutcome.SUCCESS
    return LoginResult(
        outcome=judgement.outcome,
        account=_account(active) if succeeded and active is not None else None,
        locked_until=judgement.locked_until,
    )


def login_events(
    session: Session, username: str | None = None, since: datetime | None = None
) -> list[LoginEventRow]:
    """The login history, oldest first: of one name (as a login would look it up) or all,
    from `since` on."""
    query = select(LoginEventRow)
    if username is not None:
        query = query.where(LoginEventRow.username == login_name(username))
    if since is not None:
        query = query.where(LoginEventRow.at >= since)
    return list(session.exec(query.order_by(col(LoginEventRow.at), col(LoginEventRow.id))).all())


def _recent_events(
    session: Session, names: Sequence[str], at: datetime, until: datetime | None
) -> Sequence[LoginEventRow]:
    """The attempts at `names` that can still matter to a lock at `at` (HISTORY_NEEDED back),
    up to `until` (None: every later one too)."""
    query = (
        select(LoginEventRow)
        .where(col(LoginEventRow.username).in_(names))
        .where(LoginEventRow.at >= at - HISTORY_NEEDED)
    )
    if until is not None:
        query = query.where(LoginEventRow.at <= until)
    return session.exec(query.order_by(col(LoginEventRow.at), col(LoginEventRow.id))).all()


def _row(session: Session, username: str) -> AccountRow | None:
    return session.exec(select(AccountRow).where(AccountRow.username == username)).first()


def _active_row(session: Session, username: str) -> AccountRow:
    """The account in use by that name, or an error a coordinator can act on."""
    row = _row(session, username)
    if row is None:
        known = session.exec(
            select(AccountRow.username).where(col(AccountRow.removed_at).is_(None))
        ).all()
        raise NotFoundError("account", username, known)
    if row.removed_at is not None:
        removed = local_text(row.removed_at, ACCOUNT_TIMEZONE)
        raise InvalidInputError(f"tài khoản '{username}' đã xóa lúc {removed}")
    return row


def _account(row: AccountRow) -> Account:
    return Account(
        username=row.username,
        full_name=row.full_name,
        role=Role(row.role),
        created_at=as_utc(row.created_at),
        password_changed_at=as_utc(row.password_changed_at),
        removed_at=_aware(row.removed_at),
    )


def _attempt(event: LoginEventRow) -> LoginAttempt:
    return LoginAttempt(at=as_utc(event.at), outcome=LoginOutcome(event.outcome))


def _aware(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment is not None else None
