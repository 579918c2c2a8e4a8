"""Uncertain sends and per-recipient outcomes: status 'uncertain', `uncertain_since`,
`uncertain_sends`; `retry_to` and `refused_to`.

A message is marked uncertain, and committed, before its bytes go to the mail server; only
the server's "250 OK" (then the sent mark) or a refusal before the DATA ends that. A message
still uncertain after a crash, a lost database connection or a server that dropped the line
after DATA may have arrived: it is resent at most once, after a delay, with the same
Message-ID (see notifications/outbox.py). A recipient refused for now (4xx) is in `retry_to`
and gets the message at a later run, alone; one refused for good (5xx) is in `refused_to`
with the server's reply. Existing rows keep their status.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "ck_notification_status"
OLD_STATUSES = "status IN ('pending', 'sent', 'failed', 'superseded')"
NEW_STATUSES = "status IN ('pending', 'sent', 'failed', 'superseded', 'uncertain')"


def upgrade() -> None:
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("uncertain_since", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("uncertain_sends", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("retry_to", sa.JSON(none_as_null=True), nullable=True))
        batch.add_column(sa.Column("refused_to", sa.JSON(none_as_null=True), nullable=True))
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(NEW_STATUSES))


def downgrade() -> None:
    # An uncertain message may have arrived: 0003 knows no better than to call it sent.
    op.execute("UPDATE notification SET status = 'sent' WHERE status = 'uncertain'")
    with op.batch_alter_table("notification") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(OLD_STATUSES))
        batch.drop_column("refused_to")
        batch.drop_column("retry_to")
        batch.drop_column("uncertain_sends")
        batch.drop_column("uncertain_since")
