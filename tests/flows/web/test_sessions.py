"""The console's session cookie: signed with the site key, read back only unaltered, within
the idle time, and protected from scripts and other sites."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from starlette.responses import Response

from flows.web.sessions import (
    COOKIE,
    NOTE_CHARACTERS,
    ConsoleSession,
    SessionCookies,
    _serializer,
    new_session,
)

KEY = "k" * 40
NOW = datetime(2023, 3, 10, 2, tzinfo=UTC)
IDLE = timedelta(hours=8)
COOKIES = SessionCookies(IDLE, secure=False)
CHANGED = datetime(2023, 3, 7, 1, 2, 3, 456789, tzinfo=UTC)


def written(session: ConsoleSession, cookies: SessionCookies = COOKIES, at: datetime = NOW) -> str:
    response = Response()
    cookies.write(response, KEY, session, at, "/")
    return response.headers["set-cookie"]


def value_of(header: str) -> str:
    return header.split(";")[0].removeprefix(f"{COOKIE}=")


def test_a_session_is_read_back_as_written() -> None:
    session = new_session("nguyen.van.an", CHANGED).with_note("Đã chấp nhận.")
    assert COOKIES.read(KEY, value_of(written(session)), NOW) == session
    assert session.password_changed_at == "2023-03-07T01:02:03.456789+00:00"


def test_the_cookie_is_http_only_same_site_lax_and_kept_for_the_idle_time() -> None:
    header = written(new_session())
    assert "HttpOnly" in header and "SameSite=lax" in header and "Max-Age=28800" in header
    assert "Secure" not in header
    assert "Secure" in written(new_session(), SessionCookies(IDLE, secure=True))


@pytest.mark.parametrize(
    ("later", "kept"),
    [(timedelta(0), True), (IDLE, True), (IDLE + timedelta(seconds=1), False)],
)
def test_a_session_ends_after_the_idle_time(later: timedelta, kept: bool) -> None:
    cookie = value_of(written(new_session("an")))
    assert (COOKIES.read(KEY, cookie, NOW + later) is not None) is kept


def test_a_session_signed_with_another_key_or_altered_is_none() -> None:
    cookie = value_of(written(new_session("an")))
    assert COOKIES.read("x" * 40, cookie, NOW) is None
    assert COOKIES.read(KEY, cookie.replace(".", "!", 1), NOW) is None
    assert COOKIES.read(KEY, "", NOW) is None and COOKIES.read(None, cookie, NOW) is None


@pytest.mark.parametrize(
    "payload", [["n", "u"], {"n": "", "u": "an", "p": "", "m": ""}, {"n": "x", "u": 3}]
)
def test_a_genuine_cookie_of_another_shape_is_none(payload: object) -> None:
    cookie = _serializer(KEY, NOW).dumps(payload)
    assert COOKIES.read(KEY, cookie, NOW) is None


def test_every_new_session_has_its_own_nonce() -> None:
    assert len({new_session().nonce for _ in range(100)}) == 100


def test_a_long_note_is_cut_to_fit_a_cookie() -> None:
    session = new_session("an").with_note("Lý do: " + "thiếu số liệu " * 200)
    assert len(session.note) == NOTE_CHARACTERS and session.note.endswith("…")
    assert len(written(session)) < 4000
