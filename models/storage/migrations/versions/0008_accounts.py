"""Accounts: tables `account` (coordinators and leaders, soft removal) and `login_event` (the
append-only login history the lockout rule reads, see models/accounts.py).

Both are new; no existing row moves.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-17
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.AutoString(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("role", sqlmodel.AutoString(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role IN ('coordinator', 'leader')", name=op.f("ck_account_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("username", name=op.f("uq_account_username")),
    )
    op.create_table(
        "login_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.AutoString(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sqlmodel.AutoString(), nullable=False),
        sa.Column("remote", sqlmodel.AutoString(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('success', 'failure', 'locked', 'unknown_user')",
            name=op.f("ck_login_event_outcome"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_event")),
    )
    op.create_index("ix_login_event_username_at", "login_event", ["username", "at"])
    op.create_index("ix_login_event_at", "login_event", ["at"])


def downgrade() -> None:
    # 0007 has no accounts; dropping them would lock the coordinators out and erase who logged
    # in when (an audit trail): refuse while there is any.
    bind = op.get_bind()
    accounts = bind.execute(sa.text("SELECT count(*) FROM account")).scalar()
    logins = bind.execute(sa.text("SELECT count(*) FROM login_event")).scalar()
    if accounts or logins:
        raise RuntimeError(
            f"{accounts} tài khoản và {logins} lần đăng nhập đã ghi: phiên bản 0007 không có "
            "tài khoản, không hạ cấp được"
        )
    op.drop_index("ix_login_event_at", table_name="login_event")
    op.drop_index("ix_login_event_username_at", table_name="login_event")
    op.drop_table("login_event")
    op.drop_table("account")
