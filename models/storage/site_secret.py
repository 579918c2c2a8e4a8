"""The signing secret of the units' personal links when none is configured: made once, kept in
the database, so every process on that database (`dondoc track`, `dondoc web`, workers) signs
and checks links alike with no setting to share."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from models.storage.locks import begin_write
from models.storage.tables import SettingRow

LINK_SECRET_KEY = "link_signing_secret"
SECRET_BYTES = 32  # 256 bits, as URL-safe text


def read_kept_secret(session: Session) -> str | None:
    """The kept secret, None before its first use (a read: a page view writes nothing)."""
    return session.exec(select(SettingRow.value).where(SettingRow.key == LINK_SECRET_KEY)).first()


def make_kept_secret(session: Session, now: datetime) -> str:
    """The kept secret, made now unless another process made it first. Call it in a fresh
    transaction (on SQLite it starts by taking the write lock).

    Race-safe: two processes at first use both try an insert that yields to an existing row
    (ON CONFLICT DO NOTHING: on PostgreSQL the second waits for the first to commit), then both
    read the one row that won."""
    begin_write(session)
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.exec(
        insert(SettingRow)
        .values(key=LINK_SECRET_KEY, value=secrets.token_urlsafe(SECRET_BYTES), created_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    kept = read_kept_secret(session)
    assert kept is not None  # inserted now, or by the process that won
    return kept


def rotate_kept_secret(session: Session, now: datetime) -> None:
    """Replace the kept secret: every link signed with it stops opening at once; the e-mails
    composed from now on carry links signed with the new one."""
    row = session.get(SettingRow, LINK_SECRET_KEY)
    value = secrets.token_urlsafe(SECRET_BYTES)
    if row is None:
        session.add(SettingRow(key=LINK_SECRET_KEY, value=value, created_at=now))
        return
    row.value, row.created_at = value, now
    session.add(row)
