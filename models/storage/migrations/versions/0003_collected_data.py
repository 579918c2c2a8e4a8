"""Collected data: a deliverable's `fields`, a submission's `data`, a plan's group titles.

Three nullable JSON columns; existing rows read as "no fields, no data, no titles", so the
upgrade moves no data. On SQLite `ALTER TABLE … ADD COLUMN` suffices (no table rebuild).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("plan", "group_titles"), ("deliverable", "fields"), ("submission", "data"))


def upgrade() -> None:
    for table, column in COLUMNS:
        op.add_column(table, sa.Column(column, sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
