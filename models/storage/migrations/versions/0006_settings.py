"""Settings dondoc keeps for itself: table `setting` (key, value, created_at).

Its first row is the signing secret of the units' personal links, created at first use when
DONDOC_WEB_SECRET is not given (models/storage/site_secret.py): `dondoc track` and `dondoc
web` on the same database then sign and check links with the same secret.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-16
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sqlmodel.AutoString(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )


def downgrade() -> None:
    # The links signed with a kept secret stop opening (a new one is made after an upgrade).
    op.drop_table("setting")
