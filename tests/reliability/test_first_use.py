"""Concurrent first use (issue 13, class 9): dondoc processes started together on a database
that has no schema yet, each in its own process, released at once. The schema is created once
(the others wait for it) and a new plan is stored once (the other loads find it unchanged)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from prefect.settings import PREFECT_API_URL
from sqlalchemy import text

from models.storage.engine import SCHEMA_REVISION, make_engine
from tests.paths import SEED_PLAN
from tests.processes import PLAN, Outcome, Race, child_env

pytestmark = [pytest.mark.db, pytest.mark.cli]
LOAD = {"via": "cli", "args": ["plan", "load", str(SEED_PLAN)]}
STATUS = {"via": "cli", "args": ["status", PLAN, "--as-of", "2023-03-08T10:00"]}
RECEIVE = {"via": "cli", "deliverable": "bc-huyen", "unit": "huong-khe", "at": "2023-03-08T10:00"}
TRACK = {"via": "track", "at": "2023-03-10T08:00"}
LOADED = "Đã nạp kế hoạch"
UNCHANGED = "Không thay đổi kế hoạch"
# What a command that ran before the plan was loaded says: expected, exit 2.
NO_PLAN = f"Lỗi: không có kế hoạch '{PLAN}'"


def stored(database_url: str) -> tuple[list[str], list[str], int]:
    """The schema's revisions, the plans' codes and the receipts, as the database holds them."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version"))
            codes = connection.execute(text("SELECT code FROM plan"))
            receipts = connection.execute(text("SELECT count(*) FROM submission")).scalar_one()
            return list(versions.scalars()), list(codes.scalars()), receipts
    finally:
        engine.dispose()


def assert_no_trouble(outcomes: Sequence[Outcome]) -> None:
    for outcome in outcomes:
        assert "Traceback" not in outcome.message and "Error" not in outcome.message, outcome
        assert "locked" not in outcome.message and "Pipeline" not in outcome.message, outcome


def loads_said(outcomes: Sequence[Outcome]) -> Counter[str]:
    return Counter(o.message.split(f" {PLAN}")[0] for o in outcomes)


def orders(env: dict[str, str], *kinds: tuple[dict[str, Any], int]) -> list[dict[str, Any]]:
    return [{**kind, "env": env} for kind, times in kinds for _ in range(times)]


def test_six_plan_loads_on_a_new_database_create_the_schema_and_the_plan_once(
    database_url: str, race: Race
) -> None:
    outcomes = race(orders(child_env(database_url), (LOAD, 6)))
    assert_no_trouble(outcomes)
    assert [o.code for o in outcomes] == [0] * 6, outcomes
    assert loads_said(outcomes) == {LOADED: 1, UNCHANGED: 5}, outcomes
    assert stored(database_url) == ([SCHEMA_REVISION], [PLAN], 0)


@pytest.mark.prefect
def test_ten_mixed_commands_on_a_new_database_all_work_or_say_the_plan_is_not_there_yet(
    database_url: str, race: Race, prefect_server: None, tmp_path: Path
) -> None:
    """Plan loads, status, receive and track at once: each does its work, or (having looked
    before the plan was stored) says there is no such plan yet; none fails on the schema."""
    env = child_env(
        database_url,
        PREFECT_API_URL=str(PREFECT_API_URL.value()),
        DONDOC_OUTBOX_DIR=str(tmp_path / "outbox"),
        DONDOC_BOARD_DIR=str(tmp_path / "board"),
    )
    outcomes = race(orders(env, (LOAD, 3), (STATUS, 3), (RECEIVE, 2), (TRACK, 2)))
    assert_no_trouble(outcomes)
    loads, others = outcomes[:3], outcomes[3:]
    assert [o.code for o in loads] == [0] * 3, loads
    assert loads_said(loads) == {LOADED: 1, UNCHANGED: 2}, loads
    too_early = [o for o in others if o.code != 0]
    assert all(o.code == 2 and o.message.startswith(NO_PLAN) for o in too_early), too_early
    receipts = [o for o in outcomes[6:8] if o.code == 0]
    assert stored(database_url) == ([SCHEMA_REVISION], [PLAN], min(len(receipts), 1))
    assert sum("Đã ghi nhận" in o.message for o in receipts) == min(len(receipts), 1)
