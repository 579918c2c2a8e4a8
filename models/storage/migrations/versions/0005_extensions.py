"""Extensions (gia hạn): submission kind 'extended'.

An extension is one more append-only row of the submissions history: `received_at` is when it
was granted, `data` the new deadline (`{"due_kind": "by", "due": "2023-03-12"}`, see
models/extensions.py). Only the CHECK on `kind` changes; no row moves.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "ck_submission_kind"
OLD_KINDS = "kind IN ('received', 'waived', 'undo')"
NEW_KINDS = "kind IN ('received', 'waived', 'undo', 'extended')"


def upgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(NEW_KINDS))


def downgrade() -> None:
    # 0004 knows no extension, and the history is append-only: rather than drop granted
    # extensions (and change past statuses), refuse while there are any.
    count = (
        op.get_bind()
        .execute(sa.text("SELECT count(*) FROM submission WHERE kind = 'extended'"))
        .scalar()
    )
    if count:
        raise RuntimeError(
            f"{count} lần gia hạn đã ghi: phiên bản 0004 không đọc được, không hạ cấp được "
            "(xuất kế hoạch trước: dondoc plan export)"
        )
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(OLD_KINDS))
