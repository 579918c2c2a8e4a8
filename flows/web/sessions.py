"""The console's sessions: what a browser holds between requests, in one signed cookie.

No session table: the cookie itself is the session, signed (itsdangerous, HMAC-SHA256) with
the site secret under a salt of its own, so a link token can never pass for a session nor
the reverse, and every `dondoc web` process sharing the secret accepts it. It holds a nonce
(what the CSRF tokens of its pages are bound to), once logged in the username and the moment
the account's password was last changed, and at most one short note for the next page (the
confirmation of a POST-redirect-GET). It is re-signed at each request, so it ends after the
idle time without one; the account is read again at every request (flows/web/console.py),
so a removed account or a changed password ends it at once. Logging out makes the browser
forget it; a copy taken before keeps working until the idle time ends or the password
changes (docs/deploy.md)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from notifications.signing import timed_serializer

COOKIE = "dondoc_phien"
SALT = "dondoc.console-session.v1"
NONCE_BYTES = 24
# A note rides in the cookie, which browsers cap at 4 KB: a confirmation quoting a long reason
# is cut (the whole reason is in the history).
NOTE_CHARACTERS = 300


@dataclass(frozen=True)
class ConsoleSession:
    """One browser's session; `username` empty before login."""

    nonce: str
    username: str = ""
    password_changed_at: str = ""  # ISO-8601, UTC: the account's when the login was made
    note: str = ""  # shown once by the next page

    @property
    def logged_in(self) -> bool:
        return bool(self.username)

    def with_note(self, note: str) -> ConsoleSession:
        cut = note if len(note) <= NOTE_CHARACTERS else note[: NOTE_CHARACTERS - 1] + "…"
        return replace(self, note=cut)


def new_session(username: str = "", password_changed_at: datetime | None = None) -> ConsoleSession:
    """A session with a fresh nonce: at the first visit, at login, at logout (a new nonce
    each time, so a token seen before a login is worthless after it)."""
    changed = password_changed_at.isoformat() if password_changed_at else ""
    return ConsoleSession(secrets.token_urlsafe(NONCE_BYTES), username, changed)


@dataclass(frozen=True)
class SessionCookies:
    """Writes and reads the session cookie: HttpOnly (no script reads it), SameSite=Lax (a
    POST from another site does not carry it), Secure when the site is reached over https,
    kept by the browser no longer than the idle time."""

    idle: timedelta
    secure: bool

    def read(self, secret: str | None, cookie: str | None, now: datetime) -> ConsoleSession | None:
        """The session the cookie holds, or None: none, forged, signed with another secret,
        malformed, or idle longer than allowed at `now`."""
        if not secret or not cookie:
            return None
        try:
            payload, signed_at = _serializer(secret).loads(cookie, return_timestamp=True)
        except (BadSignature, ValueError, json.JSONDecodeError):
            return None
        if now - signed_at > self.idle:
            return None
        return _session_of(payload)

    def write(
        self, response: Response, secret: str, session: ConsoleSession, now: datetime, path: str
    ) -> None:
        """Set the cookie on `response`, signed at `now` (the idle time starts again)."""
        payload = {
            "n": session.nonce,
            "u": session.username,
            "p": session.password_changed_at,
            "m": session.note,
        }
        response.set_cookie(
            COOKIE,
            _serializer(secret, now).dumps(payload),
            max_age=int(self.idle.total_seconds()),
            path=path,
            secure=self.secure,
            httponly=True,
            samesite="lax",
        )

    def clear(self, response: Response, path: str) -> None:
        """Make the browser forget the cookie (no secret to sign a new one with)."""
        response.delete_cookie(COOKIE, path=path, secure=self.secure, httponly=True)


def _session_of(payload: object) -> ConsoleSession | None:
    """A session from a verified payload, None for one of another shape (an older format)."""
    if not isinstance(payload, dict):
        return None
    parts = [payload.get(key) for key in ("n", "u", "p", "m")]
    if not all(isinstance(part, str) for part in parts) or not parts[0]:
        return None
    nonce, username, changed, note = (str(part) for part in parts)
    return ConsoleSession(nonce, username, changed, note)


def _serializer(secret: str, moment: datetime | None = None) -> URLSafeTimedSerializer:
    return timed_serializer(secret, SALT, moment)
