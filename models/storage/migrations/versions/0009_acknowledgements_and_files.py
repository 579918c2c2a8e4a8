"""Acknowledgements and uploaded files: submission kind 'acknowledged', table `submission_file`.

An acknowledgement (đã nhận nhiệm vụ) is one more append-only row of the submissions history
(see models/acknowledgement.py): only the CHECK on `kind` widens. `submission_file` links the
files a unit sent to the receipt they came with; their content is kept outside the database,
by sha256, in the content store (DONDOC_FILES_DIR). No existing row moves.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-18
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "ck_submission_kind"
OLD_KINDS = "kind IN ('received', 'waived', 'extended', 'accepted', 'returned', 'undo')"
NEW_KINDS = (
    "kind IN ('received', 'waived', 'extended', 'accepted', 'returned', 'acknowledged', 'undo')"
)
FILE_TYPES = "file_type IN ('pdf', 'doc', 'docx', 'xls', 'xlsx', 'odt', 'ods', 'jpeg', 'png')"


def upgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(NEW_KINDS))
    op.create_table(
        "submission_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.AutoString(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("file_type", sqlmodel.AutoString(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(FILE_TYPES, name=op.f("ck_submission_file_file_type")),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_submission_file_sha256")),
        sa.CheckConstraint("size > 0", name=op.f("ck_submission_file_size")),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_submission_file_submission_id_submission"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_file")),
        sa.UniqueConstraint(
            "submission_id", "sha256", name=op.f("uq_submission_file_submission_id_sha256")
        ),
    )
    op.create_index("ix_submission_file_sha256", "submission_file", ["sha256"])


def downgrade() -> None:
    # 0008 knows neither, and the history is append-only: rather than drop what units said
    # and sent (and change what a replay shows), refuse while there is any.
    bind = op.get_bind()
    acknowledged = bind.execute(
        sa.text("SELECT count(*) FROM submission WHERE kind = 'acknowledged'")
    ).scalar()
    files = bind.execute(sa.text("SELECT count(*) FROM submission_file")).scalar()
    if acknowledged or files:
        raise RuntimeError(
            f"{acknowledged} lần báo đã nhận nhiệm vụ và {files} tệp đính kèm đã ghi: phiên bản "
            "0008 không đọc được, không hạ cấp được (xuất kế hoạch trước: dondoc plan export)"
        )
    op.drop_index("ix_submission_file_sha256", table_name="submission_file")
    op.drop_table("submission_file")
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.text(OLD_KINDS))
