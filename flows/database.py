"""The shell's database access: one session on the configured database, schema up to date."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session


@contextmanager
def database() -> Iterator[Session]:
    """One session (one transaction) on DONDOC_DATABASE_URL, migrated to the latest schema."""
    from models.db import ensure_schema, make_engine, session_scope
    from models.settings import Settings

    engine = make_engine(Settings().database_url.get_secret_value())
    try:
        ensure_schema(engine)
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()
