"""Review (duyệt): submission kinds 'accepted' and 'returned', the plan's `review:`.

A review decision is one more append-only row of the submissions history: `received_at` is
when it was decided, `undoes_id` the receipt decided on (the column that already names the
row an undo cancels), `note` the reason (see models/review.py). The CHECK on `kind` widens;
the plan gains a nullable `review` column (NULL: on arrival, as before). No row moves.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "ck_submission_kind"
OLD_KINDS = "kind IN ('received', 'waived', 'undo', 'extended')"
NEW_KINDS = "kind IN ('received', 'waived', 'extended', 'accepted', 'returned', 'undo')"


def upgrade() -> None:
    op.add_column("plan", sa.Column("review", sa.String(), nullable=True))
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(NEW_KINDS))


def downgrade() -> None:
    # 0006 knows no review, and the history is append-only: rather than drop decisions (and
    # change past statuses), refuse while there are any.
    count = (
        op.get_bind()
        .execute(sa.text("SELECT count(*) FROM submission WHERE kind IN ('accepted', 'returned')"))
        .scalar()
    )
    if count:
        raise RuntimeError(
            f"{count} quyết định duyệt đã ghi: phiên bản 0006 không đọc được, không hạ cấp được "
            "(xuất kế hoạch trước: dondoc plan export)"
        )
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(OLD_KINDS))
    with op.batch_alter_table("plan") as batch:
        batch.drop_column("review")
