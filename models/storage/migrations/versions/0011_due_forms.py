"""Deadline forms 'month', 'quarter', 'year', 'days_before', 'days_after', 'within_days'.

A deliverable's `due_kind` may now be a period or a count of days from another deliverable
(docs/plan-format.md, "Deadlines"); `due_value` keeps the period as written (2023-Q2) or the
count as its JSON mapping. Only the CHECK on `due_kind` widens; no existing row moves.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "ck_deliverable_due_kind"
OLD_FORMS = "due_kind IN ('before', 'by', 'at', 'on')"
NEW_FORMS = (
    "due_kind IN ('before', 'by', 'at', 'on', 'month', 'quarter', 'year', 'days_before', "
    "'days_after', 'within_days')"
)


def upgrade() -> None:
    with op.batch_alter_table("deliverable") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(NEW_FORMS))


def downgrade() -> None:
    # 0010 cannot read a plan written with the new forms: rather than change what a stored
    # plan says, refuse while one is there (the plan file can be loaded again afterwards).
    bind = op.get_bind()
    written = bind.execute(
        sa.text(
            "SELECT count(*) FROM deliverable WHERE due_kind NOT IN ('before', 'by', 'at', 'on')"
        )
    ).scalar()
    if written:
        raise RuntimeError(
            f"{written} nhiệm vụ có hạn theo tháng, quý, năm hoặc tính theo số ngày: phiên bản "
            "0010 không đọc được, không hạ cấp được (xuất kế hoạch trước: dondoc plan export)"
        )
    with op.batch_alter_table("deliverable") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(OLD_FORMS))
