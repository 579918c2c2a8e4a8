"""The account rules: usernames, passwords, roles, argon2 hashes, and the lockout read from the
login history (5 failures within 15 minutes lock the name for 15 minutes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.accounts import (
    FAILURE_WINDOW,
    HISTORY_NEEDED,
    LOCK_DURATION,
    MAX_FAILURES,
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
    parse_role,
    verify_password,
)
from models.errors import InvalidInputError
from tests.passwords import FAST, STRONGER

T0 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
MINUTE = timedelta(minutes=1)
SECOND = timedelta(seconds=1)
RIGHT = "mật khẩu đủ dài"
HASH = FAST.hash(RIGHT)


def attempts(outcome: LoginOutcome, *moments: datetime) -> list[LoginAttempt]:
    return [LoginAttempt(moment, outcome) for moment in moments]


def failures(count: int, start: datetime = T0, every: timedelta = MINUTE) -> list[LoginAttempt]:
    return attempts(LoginOutcome.FAILURE, *(start + i * every for i in range(count)))


# --- usernames, full names, roles -------------------------------------------------------------


@pytest.mark.parametrize("name", ["nguyen.van.a", "vp_tu-01", "abc", "a" * 40, "0.9"])
def test_plain_lower_case_names_of_3_to_40_characters_are_accepted(name):
    assert check_username(name) == name


@pytest.mark.parametrize(
    "name",
    ["ab", "a" * 41, "Nguyen", "nguyễn", "van a", "an@vp", "", "an\n", "аn"],  # Cyrillic а
)
def test_other_names_are_refused_naming_the_rule(name):
    with pytest.raises(InvalidInputError, match="từ 3 đến 40 ký tự, chỉ gồm chữ thường không dấu"):
        check_username(name)


def test_a_name_typed_at_login_forgives_capitals_and_spaces_and_is_capped():
    assert login_name("  Nguyen.Van.A ") == "nguyen.van.a"
    assert login_name("x\x1b[2J") == "x␛[2j"
    assert len(login_name("a" * 5000)) == 80


def test_a_full_name_is_one_line_and_required():
    assert check_full_name("  Nguyễn   Văn\nA ") == "Nguyễn Văn A"
    with pytest.raises(InvalidInputError, match="thiếu họ tên"):
        check_full_name("   ")
    with pytest.raises(InvalidInputError, match="ký tự điều khiển ESC"):
        check_full_name("An\x1b[2J")


@pytest.mark.parametrize(
    ("text", "role"),
    [("coordinator", Role.COORDINATOR), ("leader", Role.LEADER), (" Leader ", Role.LEADER)],
)
def test_roles_are_read_by_their_english_keys(text, role):
    assert parse_role(text) is role


def test_roles_have_vietnamese_labels_and_a_wrong_one_lists_both():
    assert [role.label for role in Role] == ["Điều phối viên", "Lãnh đạo"]
    message = "chọn coordinator \\(Điều phối viên\\) hoặc leader \\(Lãnh đạo\\)"
    with pytest.raises(InvalidInputError, match=message):
        parse_role("admin")
    with pytest.raises(InvalidInputError, match="thiếu vai trò"):
        parse_role(None)


# --- passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("", "mật khẩu quá ngắn \\(0 ký tự\\): cần ít nhất 12 ký tự"),
        ("a" * 11, "mật khẩu quá ngắn \\(11 ký tự\\)"),
        ("x" * 1025, "mật khẩu quá dài"),
        ("nguyen.van.an", "mật khẩu không được trùng tên đăng nhập"),
        ("Nguyen.Van.An", "mật khẩu không được trùng tên đăng nhập"),
    ],
)
def test_passwords_breaking_the_policy_are_refused_in_vietnamese(password, error):
    with pytest.raises(InvalidInputError, match=error):
        check_password(password, "nguyen.van.an")


@pytest.mark.parametrize("password", ["a" * 12, "mật khẩu dài!", "x" * 1024])
def test_passwords_of_12_to_1024_characters_are_accepted(password):
    assert check_password(password, "nguyen.van.an") == password


def test_a_hash_is_salted_and_verifies_only_its_password():
    first, second = hash_password(RIGHT, FAST), hash_password(RIGHT, FAST)
    assert first != second and first.startswith("$argon2id$")
    assert verify_password(first, RIGHT, FAST).matches
    assert not verify_password(first, RIGHT + " ", FAST).matches


def test_an_unreadable_hash_lets_nobody_in():
    assert verify_password("not a hash", RIGHT, FAST).matches is False
    assert verify_password("", "", FAST).matches is False


def test_a_hash_made_with_older_parameters_is_replaced_at_a_successful_check():
    old = hash_password(RIGHT, FAST)
    verified = verify_password(old, RIGHT, STRONGER)
    assert verified.matches and verified.new_hash is not None
    assert verify_password(verified.new_hash, RIGHT, STRONGER).new_hash is None  # current now
    assert verify_password(old, "sai mật khẩu rồi", STRONGER).new_hash is None  # never on failure


def test_a_success_with_current_parameters_keeps_the_hash():
    assert verify_password(HASH, RIGHT, FAST).new_hash is None
    judged = judge_attempt([], T0, HASH, RIGHT, STRONGER)
    assert judged.outcome is LoginOutcome.SUCCESS and judged.new_hash is not None


# --- the lockout rule, at its boundaries --------------------------------------------------------


def test_four_failures_do_not_lock():
    assert locked_until(failures(MAX_FAILURES - 1), T0 + 5 * MINUTE) is None


def test_the_fifth_failure_within_15_minutes_locks_for_15_minutes_from_it():
    fifth = T0 + 4 * MINUTE
    assert locked_until(failures(5), fifth) == fifth + LOCK_DURATION == T0 + 19 * MINUTE


@pytest.mark.parametrize(
    ("span", "locked"),
    [(FAILURE_WINDOW - SECOND, True), (FAILURE_WINDOW, False), (FAILURE_WINDOW + SECOND, False)],
)
def test_five_failures_lock_only_when_the_first_is_less_than_15_minutes_before_the_fifth(
    span, locked
):
    history = failures(5, every=span / 4)
    fifth = T0 + span
    assert (locked_until(history, fifth) is not None) is locked


@pytest.mark.parametrize(
    ("after_fifth", "locked"),
    [
        (timedelta(0), True),
        (LOCK_DURATION - SECOND, True),
        (LOCK_DURATION, False),
        (LOCK_DURATION + SECOND, False),
    ],
)
def test_the_lock_ends_exactly_15_minutes_after_the_fifth_failure(after_fifth, locked):
    fifth = T0 + 4 * MINUTE
    assert (locked_until(failures(5), fifth + after_fifth) is not None) is locked


@pytest.mark.parametrize("outcome", [LoginOutcome.LOCKED, LoginOutcome.FAILURE])
def test_attempts_while_locked_do_not_prolong_the_lock(outcome):
    """`authenticate` records them as locked; a failure kept during a lock (written by hand,
    or by another version) does not count either."""
    fifth = T0 + 4 * MINUTE
    history = failures(5) + attempts(outcome, *(fifth + i * MINUTE for i in range(1, 15)))
    assert locked_until(history, fifth + 14 * MINUTE) == fifth + LOCK_DURATION
    assert locked_until(history, fifth + LOCK_DURATION) is None


def test_one_failure_after_a_lock_ends_does_not_lock_again():
    end = T0 + 4 * MINUTE + LOCK_DURATION
    history = failures(5) + failures(1, start=end)
    assert locked_until(history, end) is None
    assert locked_until(history + failures(4, start=end + MINUTE), end + 4 * MINUTE) is not None


def test_a_success_clears_the_failures_before_it():
    history = failures(4) + attempts(LoginOutcome.SUCCESS, T0 + 4 * MINUTE)
    history += failures(4, start=T0 + 5 * MINUTE)
    assert locked_until(history, T0 + 9 * MINUTE) is None


def test_attempts_at_an_unknown_name_count_so_a_lock_shows_no_name_exists():
    history = attempts(LoginOutcome.UNKNOWN_USER, *(T0 + i * MINUTE for i in range(5)))
    assert locked_until(history, T0 + 5 * MINUTE) == T0 + 19 * MINUTE


def test_a_replay_before_the_fifth_failure_is_not_locked():
    assert locked_until(failures(5), T0 + 4 * MINUTE - SECOND) is None


def test_a_locked_name_is_refused_with_the_right_password_and_the_hash_unread():
    judged = judge_attempt(failures(5), T0 + 5 * MINUTE, "not even a hash", RIGHT, FAST)
    assert judged.outcome is LoginOutcome.LOCKED
    assert judged.locked_until == T0 + 19 * MINUTE


# --- what the login page says -------------------------------------------------------------------


def test_a_wrong_name_and_a_wrong_password_read_alike():
    wrong_name = LoginResult(judge_attempt([], T0, None, RIGHT, FAST).outcome)
    wrong_password = LoginResult(judge_attempt([], T0, HASH, "sai rồi", FAST).outcome)
    assert wrong_name.outcome is LoginOutcome.UNKNOWN_USER
    assert wrong_password.outcome is LoginOutcome.FAILURE
    assert wrong_name.message() == wrong_password.message() == "Sai tên đăng nhập hoặc mật khẩu."


def test_a_locked_answer_says_until_when_in_vietnam_time():
    result = LoginResult(LoginOutcome.LOCKED, locked_until=T0 + 19 * MINUTE)
    assert result.message() == (
        "Tài khoản đang tạm khóa vì đăng nhập sai 5 lần: thử lại sau 07/12/2026 09:19."
    )
    assert not result.succeeded


def test_an_account_listing_says_removed_locked_or_in_use():
    account = Account("an", "Nguyễn Văn An", Role.COORDINATOR, T0, T0)
    assert AccountListing(account, None, None).standing() == "Đang dùng"
    locked = AccountListing(account, None, T0 + 19 * MINUTE)
    assert locked.standing() == "Đang khóa đến 07/12/2026 09:19"
    removed = Account("an", "Nguyễn Văn An", Role.COORDINATOR, T0, T0, removed_at=T0)
    assert AccountListing(removed, None, None).standing() == "Đã xóa 07/12/2026 09:00"


# --- properties over simulated login histories --------------------------------------------------

gaps = st.one_of(
    st.integers(1, 120),
    st.integers(1, 1800),
    st.sampled_from([225, 899, 900, 901]),  # around the boundaries (900 s = 15 minutes)
).map(lambda seconds: timedelta(seconds=seconds))
sessions = st.lists(st.tuples(gaps, st.booleans()), max_size=40)


def simulate(steps: list[tuple[timedelta, bool]]) -> list[tuple[LoginAttempt, bool]]:
    """Attempts as `authenticate` makes them, each judged on the history before it; with
    whether the right password was typed."""
    history: list[LoginAttempt] = []
    made: list[tuple[LoginAttempt, bool]] = []
    at = T0
    for gap, right in steps:
        at += gap
        judged = judge_attempt(history, at, HASH, RIGHT if right else "sai mật khẩu rồi", FAST)
        history.append(LoginAttempt(at, judged.outcome))
        made.append((history[-1], right))
    return made


def five_failures_lock(history: list[LoginAttempt], at: datetime) -> bool:
    """The rule as a person states it, independently of `locked_until`: some 5 failures in a
    row, the first less than 15 minutes before the fifth, no success among them, and `at`
    less than 15 minutes after the fifth."""
    failed = [a.at for a in history if a.outcome is LoginOutcome.FAILURE and a.at <= at]
    succeeded = [a.at for a in history if a.outcome is LoginOutcome.SUCCESS]
    for first, fifth in zip(failed, failed[MAX_FAILURES - 1 :], strict=False):
        cleared = any(first <= s <= fifth for s in succeeded)
        if fifth - first < FAILURE_WINDOW and at < fifth + LOCK_DURATION and not cleared:
            return True
    return False


@settings(max_examples=200, deadline=None)
@given(steps=sessions)
def test_a_locked_name_never_gets_in_even_with_the_right_password(steps):
    made = simulate(steps)
    for index, (attempt, right) in enumerate(made):
        before = [earlier for earlier, _ in made[:index]]
        if locked_until(before, attempt.at) is not None:
            assert attempt.outcome is LoginOutcome.LOCKED
        else:
            wanted = LoginOutcome.SUCCESS if right else LoginOutcome.FAILURE
            assert attempt.outcome is wanted


@settings(max_examples=200, deadline=None)
@given(steps=sessions, later=gaps)
def test_the_lock_is_the_rule_as_stated(steps, later):
    history = [attempt for attempt, _ in simulate(steps)]
    at = (history[-1].at if history else T0) + later
    for moment in [*(a.at for a in history), at]:
        assert (locked_until(history, moment) is not None) == five_failures_lock(history, moment)


@settings(max_examples=200, deadline=None)
@given(steps=sessions, later=gaps)
def test_the_last_half_hour_of_history_decides_the_lock(steps, later):
    """Storage reads only HISTORY_NEEDED back; nothing older may change the answer."""
    history = [attempt for attempt, _ in simulate(steps)]
    at = (history[-1].at if history else T0) + later
    recent = [a for a in history if a.at >= at - HISTORY_NEEDED]
    assert locked_until(recent, at) == locked_until(history, at)
