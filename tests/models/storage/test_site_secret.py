"""The personal links' signing secret kept in the database: made once, even by racing
processes, and the same for every runtime on that database."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, func
from sqlmodel import select

from flows.settings import WebSettings
from models.storage.engine import session_scope
from models.storage.site_secret import read_kept_secret, rotate_kept_secret
from models.storage.tables import SettingRow
from tests.runtimes import runtime_on

pytestmark = pytest.mark.db
NOW = datetime(2026, 12, 16, 2, tzinfo=UTC)


def rows(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(SettingRow)).one()


def test_checking_a_link_before_any_was_signed_makes_no_secret(
    engine: Engine, database_url: str
) -> None:
    assert runtime_on(database_url).checking_secret() is None
    assert rows(engine) == 0


def test_the_secret_is_made_once_and_shared_by_two_runtimes(
    engine: Engine, database_url: str
) -> None:
    track, web = runtime_on(database_url), runtime_on(database_url)
    try:
        made = track.link_secret(NOW)
        assert len(made) >= 32
        assert web.checking_secret() == made == web.link_secret(NOW) == track.link_secret(NOW)
        assert rows(engine) == 1
    finally:
        track.close()
        web.close()


def test_racing_first_uses_agree_on_one_secret(engine: Engine, database_url: str) -> None:
    runtimes = [runtime_on(database_url) for _ in range(4)]
    start = threading.Barrier(len(runtimes))
    found: list[str] = []

    def first_use(index: int) -> None:
        runtimes[index].engine()  # migrated before the race
        start.wait()
        found.append(runtimes[index].link_secret(NOW))

    threads = [threading.Thread(target=first_use, args=(i,)) for i in range(len(runtimes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for runtime in runtimes:
        runtime.close()
    assert len(found) == len(runtimes) and len(set(found)) == 1
    assert rows(engine) == 1


def test_rotating_replaces_the_kept_secret(engine: Engine, database_url: str) -> None:
    runtime = runtime_on(database_url)
    try:
        before = runtime.link_secret(NOW)
        with session_scope(engine) as session:
            rotate_kept_secret(session, NOW)
        with session_scope(engine) as session:
            after = read_kept_secret(session)
        assert after is not None and after != before
        assert runtime.checking_secret() == after  # read anew: no restart needed
    finally:
        runtime.close()


def test_a_configured_secret_wins_and_nothing_is_kept(engine: Engine, database_url: str) -> None:
    given = "g" * 40
    runtime = runtime_on(database_url, web=WebSettings(secret=SecretStr(given)))
    try:
        assert runtime.link_secret(NOW) == given == runtime.checking_secret()
        assert rows(engine) == 0
    finally:
        runtime.close()
