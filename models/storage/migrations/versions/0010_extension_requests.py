"""Requests for more time: submission kinds 'extension_requested' and 'extension_refused'.

A unit's request (xin gia hạn) and a coordinator's refusal are two more append-only rows of
the submissions history (see models/extension_requests.py); a grant is the `extended` row
that already exists. Only the CHECK on `kind` widens; no existing row moves.

Revision ID: 0010
Revises: 0009
Create Date: 2027-01-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "ck_submission_kind"
OLD_KINDS = (
    "kind IN ('received', 'waived', 'extended', 'accepted', 'returned', 'acknowledged', 'undo')"
)
NEW_KINDS = (
    "kind IN ('received', 'waived', 'extended', 'accepted', 'returned', 'acknowledged', "
    "'extension_requested', 'extension_refused', 'undo')"
)


def upgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(NEW_KINDS))


def downgrade() -> None:
    # 0009 knows neither kind, and the history is append-only: rather than drop what units
    # asked and what coordinators answered (and change what a replay shows), refuse while
    # there is any.
    bind = op.get_bind()
    asked = bind.execute(
        sa.text(
            "SELECT count(*) FROM submission "
            "WHERE kind IN ('extension_requested', 'extension_refused')"
        )
    ).scalar()
    if asked:
        raise RuntimeError(
            f"{asked} đề nghị gia hạn và lần từ chối gia hạn đã ghi: phiên bản 0009 không đọc "
            "được, không hạ cấp được (xuất kế hoạch trước: dondoc plan export)"
        )
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(OLD_KINDS))
