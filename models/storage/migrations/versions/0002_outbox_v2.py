"""Outbox v2: the e-mail stored once, recipients in columns, status 'superseded'; plan ladders.

Upgrading a 0001 database keeps its outbox: `recipients` ({"to", "cc", "thread"} as JSON
text) is split into `mail_to`, `mail_cc` (JSON lists) and `thread_key`; `occurrence` is the
key's last part; rows stored as 'failed' with last_error "superseded: why" become status
'superseded' with last_error "why". Their `eml` and `message_id` stay NULL: the From address
is a setting, so the first delivery builds and stores them. Downgrading does the reverse
(the stored e-mails are dropped; 0001 rebuilds them at each send). The data moves in SQL,
so `alembic upgrade head --sql` prints a complete script for PostgreSQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUPERSEDED_PREFIX = "superseded: "  # how 0001 marked a superseded row (status 'failed')
OLD_STATUSES = "status IN ('pending', 'sent', 'failed')"
NEW_STATUSES = "status IN ('pending', 'sent', 'failed', 'superseded')"
CHECK = "ck_notification_status"

# Per dialect: the SQL that fills each new column from a 0001 row.
FROM_RECIPIENTS = {
    "sqlite": {
        # rtrim strips the trailing run of non-':' characters: what is left ends at the last ':'
        "occurrence": "substr(key, length(rtrim(key, replace(key, ':', ''))) + 1)",
        "mail_to": "coalesce(json_extract(recipients, '$.to'), '[]')",
        "mail_cc": "coalesce(json_extract(recipients, '$.cc'), '[]')",
        "thread_key": "json_extract(recipients, '$.thread')",
    },
    "postgresql": {
        "occurrence": "regexp_replace(key, '^.*:', '')",
        "mail_to": "coalesce(recipients::json -> 'to', '[]'::json)",
        "mail_cc": "coalesce(recipients::json -> 'cc', '[]'::json)",
        "thread_key": "recipients::json ->> 'thread'",
    },
}
TO_RECIPIENTS = {
    "sqlite": "json_object('to', json(mail_to), 'cc', json(mail_cc), 'thread', thread_key)",
    "postgresql": "json_build_object('to', mail_to, 'cc', mail_cc, 'thread', thread_key)::text",
}


def _dialect() -> str:
    name = op.get_context().dialect.name
    if name not in FROM_RECIPIENTS:
        raise NotImplementedError(f"revision 0002 knows SQLite and PostgreSQL, not {name}")
    return name


def upgrade() -> None:
    op.add_column("plan", sa.Column("ladder", sa.JSON(none_as_null=True), nullable=True))
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("occurrence", sqlmodel.AutoString(), nullable=True))
        batch.add_column(sa.Column("thread_key", sqlmodel.AutoString(), nullable=True))
        batch.add_column(sa.Column("message_id", sqlmodel.AutoString(), nullable=True))
        batch.add_column(sa.Column("mail_to", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("mail_cc", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("eml", sa.LargeBinary(), nullable=True))
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(NEW_STATUSES))
    filled = ", ".join(f"{column} = {sql}" for column, sql in FROM_RECIPIENTS[_dialect()].items())
    op.execute(f"UPDATE notification SET {filled}")
    op.execute(
        "UPDATE notification SET status = 'superseded', "
        f"last_error = substr(last_error, {len(SUPERSEDED_PREFIX) + 1}) "
        f"WHERE status = 'failed' "
        f"AND substr(last_error, 1, {len(SUPERSEDED_PREFIX)}) = '{SUPERSEDED_PREFIX}'"
    )
    with op.batch_alter_table("notification") as batch:
        for column in ("occurrence", "mail_to", "mail_cc"):
            batch.alter_column(column, existing_type=_type_of(column), nullable=False)
        batch.drop_column("recipients")


def downgrade() -> None:
    op.execute(
        f"UPDATE notification SET status = 'failed', "
        f"last_error = '{SUPERSEDED_PREFIX}' || coalesce(last_error, '') "
        "WHERE status = 'superseded'"
    )
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("recipients", sa.Text(), nullable=True))
    op.execute(f"UPDATE notification SET recipients = {TO_RECIPIENTS[_dialect()]}")
    with op.batch_alter_table("notification") as batch:
        batch.alter_column("recipients", existing_type=sa.Text(), nullable=False)
        for column in ("eml", "mail_cc", "mail_to", "message_id", "thread_key", "occurrence"):
            batch.drop_column(column)
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(OLD_STATUSES))
    op.drop_column("plan", "ladder")


def _type_of(column: str) -> sa.types.TypeEngine[object]:
    return sqlmodel.AutoString() if column == "occurrence" else sa.JSON()
