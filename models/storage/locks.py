"""The write locks that serialize dondoc's writers, on SQLite and PostgreSQL alike.

Each must be the first statement of its transaction: once a SQLite transaction has read, it
cannot wait for the write lock any more (SQLite refuses the upgrade at once)."""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlmodel import Session

# pg_advisory_xact_lock(class, key) namespaces, one per kind of thing locked.
ASSIGNMENT_LOCK_CLASS = 0x737562  # "sub": the recording of one assignment
PLAN_LOCK_CLASS = 0x646F6E  # "don": the decide-and-enqueue of one plan's e-mails
PLAN_LOAD_LOCK_CLASS = 0x706C6E  # "pln": the load of one plan code, new or not
SCHEMA_LOCK_CLASS = 0x736368  # "sch": the migration of one schema
LOGIN_LOCK_CLASS = 0x6C6F67  # "log": the login attempts at one name


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def begin_write(session: Session) -> None:
    """On SQLite, take the database write lock now, for a transaction that reads then writes:
    a write that changes nothing makes SQLite take it, waiting up to the busy timeout, as
    BEGIN IMMEDIATE would. PostgreSQL: nothing (its row locks and MVCC need no such step)."""
    if is_postgresql(session):
        return
    session.connection().exec_driver_sql("UPDATE submission SET note = note WHERE 0 = 1")


def lock_assignment(session: Session, plan_code: str, deliverable: str, unit: str) -> None:
    """Serialize the recording of one assignment: a second coordinator waits, then reads the
    first one's row. PostgreSQL: an advisory lock on (plan, deliverable, unit); SQLite: the
    database write lock."""
    _advisory_or_write_lock(
        session,
        "SELECT pg_advisory_xact_lock(:class_id, hashtext(:key))",
        {"class_id": ASSIGNMENT_LOCK_CLASS, "key": f"{plan_code}/{deliverable}/{unit}"},
    )


def lock_plan(session: Session, plan_code: str) -> None:
    """Serialize the decide-and-enqueue of one plan: a second run waits, then sees the first's
    rows. PostgreSQL: an advisory lock on the plan; SQLite: the database write lock."""
    _advisory_or_write_lock(
        session,
        "SELECT pg_advisory_xact_lock(:class_id, (SELECT id FROM plan WHERE code = :code))",
        {"class_id": PLAN_LOCK_CLASS, "code": plan_code},
    )


def lock_plan_load(session: Session, plan_code: str) -> None:
    """Serialize the loads of one plan code, a plan not stored yet included: a second load waits,
    then finds the first's plan (unchanged, or reloaded). PostgreSQL: an advisory lock on the
    code (a row lock cannot hold a row that does not exist); SQLite: the database write lock."""
    _advisory_or_write_lock(
        session,
        "SELECT pg_advisory_xact_lock(:class_id, hashtext(:code))",
        {"class_id": PLAN_LOAD_LOCK_CLASS, "code": plan_code},
    )


def lock_login(session: Session, username: str) -> None:
    """Serialize the login attempts at one name: a second attempt waits, then reads the first
    one's row, so two guesses at once cannot both slip under the lockout. PostgreSQL: an
    advisory lock on the name; SQLite: the database write lock."""
    _advisory_or_write_lock(
        session,
        "SELECT pg_advisory_xact_lock(:class_id, hashtext(:name))",
        {"class_id": LOGIN_LOCK_CLASS, "name": username},
    )


def lock_schema(connection: Connection) -> None:
    """On PostgreSQL, serialize the migrations of the current schema (other schemas of the same
    database do not wait). SQLite's migrations begin with the write lock instead (see
    engine.migration_connection)."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(
        text("SELECT pg_advisory_xact_lock(:class_id, hashtext(coalesce(current_schema(), '')))"),
        {"class_id": SCHEMA_LOCK_CLASS},
    )


def _advisory_or_write_lock(session: Session, statement: str, params: dict[str, object]) -> None:
    if not is_postgresql(session):
        begin_write(session)
        return
    session.connection().execute(text(statement), params)
