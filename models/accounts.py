"""Coordinator and leader accounts: roles, the username and password rules, argon2 hashes, and
the lockout rule, read from the login history (pure: every moment is a parameter)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from models.control_characters import checked, printable
from models.errors import InvalidInputError, shown
from models.moments import local_text

# Accounts belong to the office, not to a plan: their times are shown in Vietnam's time.
ACCOUNT_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")

# argon2id with the library's defaults (RFC 9106's low-memory profile: 64 MiB, 3 passes). A
# stored hash names its own parameters, so raising these later re-hashes each password at
# its next successful login (`verify_password` hands back the new hash).
HASHER = PasswordHasher()


class Role(StrEnum):
    """What an account may do: coordinators record and decide, leaders read the board."""

    COORDINATOR = "coordinator"
    LEADER = "leader"

    @property
    def label(self) -> str:
        """The Vietnamese label a person reads."""
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {Role.COORDINATOR: "Điều phối viên", Role.LEADER: "Lãnh đạo"}


def parse_role(text: str | None) -> Role:
    """The role a command names, or an error listing both (the CLI's own words, not Click's)."""
    choices = " hoặc ".join(f"{role.value} ({role.label})" for role in Role)
    if not text:
        raise InvalidInputError(f"thiếu vai trò: --role {choices}")
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InvalidInputError(f"không có vai trò '{shown(text)}': chọn {choices}") from None


USERNAME = re.compile(r"[a-z0-9._-]{3,40}")
USERNAME_RULE = (
    "từ 3 đến 40 ký tự, chỉ gồm chữ thường không dấu (a-z), chữ số, dấu chấm, "
    "gạch ngang và gạch dưới"
)
# Of a name typed at the login form, kept in the login history: enough to recognize a
# mistyped name, never a whole pasted document.
TYPED_NAME_KEPT = 80


def check_username(username: str) -> str:
    """`username` if it follows the rule: plain ASCII, so it is typed alike on every keyboard
    and never looks like another name (no look-alike letters, no spaces to miss)."""
    if USERNAME.fullmatch(username):
        return username
    raise InvalidInputError(f"tên đăng nhập '{shown(username)}' không hợp lệ: {USERNAME_RULE}")


def login_name(typed: str) -> str:
    """A name typed at login as it is looked up and kept: spaces around it and capitals are
    forgiven (names are lower-case), control characters made visible, the length capped."""
    return printable(typed.strip().lower())[:TYPED_NAME_KEPT]


FULL_NAME_LONGEST = 120


def check_full_name(full_name: str | None) -> str:
    """The person's name on one line (runs of spaces and line breaks become one space)."""
    name = " ".join((full_name or "").split())
    if not name:
        raise InvalidInputError('thiếu họ tên: --full-name "Nguyễn Văn A"')
    if len(name) > FULL_NAME_LONGEST:
        raise InvalidInputError(f"họ tên dài {len(name)} ký tự: tối đa {FULL_NAME_LONGEST}")
    try:
        return checked(name)
    except ValueError as error:
        raise InvalidInputError(f"họ tên {error}") from None


# Length is what makes a password hard to guess (NIST SP 800-63B); no composition rules,
# which only push people towards "Matkhau@123". The ceiling keeps a form's body small.
PASSWORD_SHORTEST = 12
PASSWORD_LONGEST = 1024


def check_password(password: str, username: str) -> str:
    """`password` if the policy accepts it for `username`, else the rule it breaks."""
    if len(password) < PASSWORD_SHORTEST:
        raise InvalidInputError(
            f"mật khẩu quá ngắn ({len(password)} ký tự): cần ít nhất {PASSWORD_SHORTEST} ký tự"
        )
    if len(password) > PASSWORD_LONGEST:
        raise InvalidInputError(f"mật khẩu quá dài: tối đa {PASSWORD_LONGEST} ký tự")
    if password.strip().lower() == username.lower():
        raise InvalidInputError("mật khẩu không được trùng tên đăng nhập")
    return password


def hash_password(password: str, hasher: PasswordHasher = HASHER) -> str:
    """The argon2id hash to store (salted: the same password never hashes alike twice)."""
    return hasher.hash(password)


@dataclass(frozen=True)
class Verified:
    """Whether a password matched its hash; `new_hash` when the hash should be replaced,
    because it was made with other parameters than `HASHER`'s."""

    matches: bool
    new_hash: str | None = None


def verify_password(stored: str, password: str, hasher: PasswordHasher = HASHER) -> Verified:
    """Check `password` against `stored`. A hash that cannot be read lets nobody in."""
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):  # VerifyMismatchError is a VerificationError
        return Verified(matches=False)
    if hasher.check_needs_rehash(stored):
        return Verified(matches=True, new_hash=hasher.hash(password))
    return Verified(matches=True)


@functools.cache
def _decoy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("dondoc: no such account")


def spend_a_check(password: str, hasher: PasswordHasher = HASHER) -> None:
    """Do the work of a check for a name that has no account: answering faster would tell
    whether a name exists."""
    verify_password(_decoy_hash(hasher), password, hasher)


class LoginOutcome(StrEnum):
    """What one login attempt came to, as the login history keeps it."""

    SUCCESS = "success"
    FAILURE = "failure"  # the account exists, the password is wrong
    LOCKED = "locked"  # refused unread: the name was locked at that moment
    UNKNOWN_USER = "unknown_user"  # no such account (or a removed one)

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS: dict[LoginOutcome, str] = {
    LoginOutcome.SUCCESS: "Đăng nhập thành công",
    LoginOutcome.FAILURE: "Sai mật khẩu",
    LoginOutcome.LOCKED: "Bị chặn: đang tạm khóa",
    LoginOutcome.UNKNOWN_USER: "Tên đăng nhập không có",
}

# Five wrong tries in a quarter of an hour is no longer a typo but guessing; a quarter-hour
# lock costs a person who forgot little, and holds a guesser to 20 tries an hour. A try at an
# unknown name counts too, so the lock cannot tell which names exist. Tries refused while
# locked do not count: the lock ends on time whatever a guesser keeps sending.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)
# How far back the history can matter at a moment: a lock in force began less than
# LOCK_DURATION ago, on failures less than FAILURE_WINDOW before that.
HISTORY_NEEDED = FAILURE_WINDOW + LOCK_DURATION
COUNTED = frozenset({LoginOutcome.FAILURE, LoginOutcome.UNKNOWN_USER})


@dataclass(frozen=True)
class LoginAttempt:
    """One row of a name's login history."""

    at: datetime
    outcome: LoginOutcome


def locked_until(history: Iterable[LoginAttempt], at: datetime) -> datetime | None:
    """When the lock in force at `at` ends, or None. Replayable: only attempts at or before
    `at` count. A success clears the failures before it; the MAX_FAILURES-th failure within
    FAILURE_WINDOW locks the name for LOCK_DURATION from that failure."""
    failures: list[datetime] = []
    lock_end: datetime | None = None
    for attempt in sorted(history, key=lambda attempt: attempt.at):
        if attempt.at > at:
            break
        if attempt.outcome is LoginOutcome.SUCCESS:
            failures = []
        if attempt.outcome not in COUNTED or (lock_end is not None and attempt.at < lock_end):
            continue
        failures = [*(f for f in failures if attempt.at - f < FAILURE_WINDOW), attempt.at]
        if len(failures) >= MAX_FAILURES:
            lock_end, failures = attempt.at + LOCK_DURATION, []
    return lock_end if lock_end is not None and at < lock_end else None


@dataclass(frozen=True)
class Judgement:
    """What an attempt comes to, and the hash to store instead when a success asks for it."""

    outcome: LoginOutcome
    locked_until: datetime | None = None
    new_hash: str | None = None


def judge_attempt(
    history: Iterable[LoginAttempt],
    at: datetime,
    stored_hash: str | None,
    password: str,
    hasher: PasswordHasher = HASHER,
) -> Judgement:
    """An attempt at `at` on a name with this history; `stored_hash` None: no such account.
    The lock comes first: while locked the password is not even checked, so the right one
    does not get in (nor does a guesser learn, from the answer, whether it was right)."""
    until = locked_until(history, at)
    if until is not None:
        return Judgement(LoginOutcome.LOCKED, locked_until=until)
    if stored_hash is None:
        spend_a_check(password, hasher)
        return Judgement(LoginOutcome.UNKNOWN_USER)
    verified = verify_password(stored_hash, password, hasher)
    if not verified.matches:
        return Judgement(LoginOutcome.FAILURE)
    return Judgement(LoginOutcome.SUCCESS, new_hash=verified.new_hash)


@dataclass(frozen=True)
class Account:
    """An account as the rest of dondoc sees it (never its hash)."""

    username: str
    full_name: str
    role: Role
    created_at: datetime
    password_changed_at: datetime
    removed_at: datetime | None = None


@dataclass(frozen=True)
class LoginResult:
    """The answer to a login: the account on success; when a lock ends, if locked. Wrong name
    and wrong password read alike, so the answer never tells which names exist."""

    outcome: LoginOutcome
    account: Account | None = None
    locked_until: datetime | None = None

    @property
    def succeeded(self) -> bool:
        return self.outcome is LoginOutcome.SUCCESS

    def message(self, tz: ZoneInfo = ACCOUNT_TIMEZONE) -> str:
        """What the login page says, in Vietnamese."""
        if self.outcome is LoginOutcome.SUCCESS:
            return "Đăng nhập thành công."
        if self.outcome is LoginOutcome.LOCKED:
            return (
                f"Tài khoản đang tạm khóa vì đăng nhập sai {MAX_FAILURES} lần: thử lại sau "
                f"{local_text(self.locked_until, tz)}."
            )
        return "Sai tên đăng nhập hoặc mật khẩu."


@dataclass(frozen=True)
class AccountListing:
    """A row of `dondoc user list`: the account, its last successful login, its lock now."""

    account: Account
    last_login: datetime | None
    locked_until: datetime | None

    def standing(self, tz: ZoneInfo = ACCOUNT_TIMEZONE) -> str:
        """Đã xóa, Đang khóa đến …, or Đang dùng."""
        if self.account.removed_at is not None:
            return f"Đã xóa {local_text(self.account.removed_at, tz)}"
        if self.locked_until is not None:
            return f"Đang khóa đến {local_text(self.locked_until, tz)}"
        return "Đang dùng"
