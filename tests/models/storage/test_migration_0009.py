"""Revision 0009 lets the history hold acknowledgements (kind 'acknowledged') and adds the rows
that link uploaded files to submissions; it will not go back while it holds either."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from models.storage.engine import alembic_config, make_engine, migrate, migration_connection

pytestmark = pytest.mark.db

AT = datetime(2023, 3, 6, 2, 30, tzinfo=UTC)
SHA = "ab" * 32
PLAN_ROW = (
    "INSERT INTO plan (id, code, title, source, timezone, warning_days, leaders, spec_digest, "
    "spec_yaml, loaded_at) VALUES (1, 'p', 't', '', 'Asia/Ho_Chi_Minh', 3, '[]', 'd', 'code: p', "
    ":at)"
)
RECEIPT_ROW = (
    "INSERT INTO submission (plan_id, deliverable_code, unit_code, kind, received_at, "
    "recorded_at, recorded_by, note) VALUES (1, 'report', 'd1', 'received', :at, :at, 'vp', '')"
)
ACKNOWLEDGEMENT_ROW = (
    "INSERT INTO submission (plan_id, deliverable_code, unit_code, kind, received_at, "
    "recorded_at, recorded_by, note, data) VALUES (1, 'report', 'd2', 'acknowledged', :at, :at, "
    "'d2 (trang cá nhân)', '', '{\"source\": \"web\"}')"
)
FILE_ROW = (
    "INSERT INTO submission_file (submission_id, sha256, size, name, file_type, uploaded_at) "
    "VALUES ((SELECT min(id) FROM submission), :sha, :size, 'Báo cáo.pdf', :type, :at)"
)


@pytest.fixture
def engine_0008(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine, "0008")
    with engine.begin() as connection:
        connection.execute(text(PLAN_ROW), {"at": AT})
        connection.execute(text(RECEIPT_ROW), {"at": AT})
    yield engine
    engine.dispose()


def _downgrade(engine: Engine) -> None:
    with migration_connection(engine) as connection:
        command.downgrade(alembic_config(connection), "0008")


def _insert(engine: Engine, statement: str, **values: object) -> None:
    with engine.begin() as connection:
        connection.execute(text(statement), {"at": AT, **values})


def test_0008_refuses_an_acknowledgement_and_0009_accepts_it(engine_0008: Engine) -> None:
    with pytest.raises(IntegrityError):
        _insert(engine_0008, ACKNOWLEDGEMENT_ROW)
    migrate(engine_0008)
    _insert(engine_0008, ACKNOWLEDGEMENT_ROW)


def test_0009_adds_the_file_rows_and_checks_them(engine_0008: Engine) -> None:
    assert "submission_file" not in inspect(engine_0008).get_table_names()
    migrate(engine_0008)
    _insert(engine_0008, FILE_ROW, sha=SHA, size=1200, type="pdf")
    for bad in ({"sha": "ab", "size": 1, "type": "pdf"}, {"sha": SHA, "size": 0, "type": "pdf"}):
        with pytest.raises(IntegrityError):
            _insert(engine_0008, FILE_ROW, **bad)
    with pytest.raises(IntegrityError):  # an executable is no kept format
        _insert(engine_0008, FILE_ROW, sha="cd" * 32, size=1, type="exe")
    with pytest.raises(IntegrityError):  # the same content twice on one submission
        _insert(engine_0008, FILE_ROW, sha=SHA, size=1200, type="pdf")
    with pytest.raises(IntegrityError):  # a file needs its submission
        orphan = FILE_ROW.replace("(SELECT min(id) FROM submission)", "99")
        _insert(engine_0008, orphan, sha="ef" * 32, size=1, type="pdf")


def test_an_empty_0009_goes_back_to_0008_and_up_again(engine_0008: Engine) -> None:
    migrate(engine_0008)
    _downgrade(engine_0008)
    assert "submission_file" not in inspect(engine_0008).get_table_names()
    with pytest.raises(IntegrityError):
        _insert(engine_0008, ACKNOWLEDGEMENT_ROW)
    with engine_0008.connect() as connection:
        assert connection.execute(text("SELECT kind FROM submission")).scalars().all() == [
            "received"
        ]
    migrate(engine_0008)
    _insert(engine_0008, ACKNOWLEDGEMENT_ROW)


@pytest.mark.parametrize(
    ("statement", "said"),
    [
        (ACKNOWLEDGEMENT_ROW, "1 lần báo đã nhận nhiệm vụ và 0 tệp"),
        (FILE_ROW, "0 lần báo đã nhận nhiệm vụ và 1 tệp"),
    ],
)
def test_downgrade_is_refused_while_acknowledgements_or_files_are_kept(
    engine_0008: Engine, statement: str, said: str
) -> None:
    migrate(engine_0008)
    _insert(engine_0008, statement, sha=SHA, size=10, type="docx")
    with pytest.raises(RuntimeError, match=said):
        _downgrade(engine_0008)
    assert "submission_file" in inspect(engine_0008).get_table_names()
