"""Initial schema: plans, units, groups, deliverables, edges, assignments, submissions, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.AutoString(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("timezone", sqlmodel.AutoString(), nullable=False),
        sa.Column("warning_days", sa.Integer(), nullable=False),
        sa.Column("coordinator", sqlmodel.AutoString(), nullable=True),
        sa.Column("leaders", sa.JSON(), nullable=False),
        sa.Column("spec_digest", sqlmodel.AutoString(), nullable=False),
        sa.Column("spec_yaml", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
        sa.UniqueConstraint("code", name=op.f("uq_plan_code")),
    )
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("deliverable_code", sqlmodel.AutoString(), nullable=False),
        sa.Column("unit_code", sqlmodel.AutoString(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_inferred", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_assignment_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
        sa.UniqueConstraint(
            "plan_id",
            "deliverable_code",
            "unit_code",
            name=op.f("uq_assignment_plan_id_deliverable_code_unit_code"),
        ),
    )
    op.create_table(
        "assignment_state",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("deliverable_code", sqlmodel.AutoString(), nullable=False),
        sa.Column("unit_code", sqlmodel.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.AutoString(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_assignment_state_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint(
            "plan_id", "deliverable_code", "unit_code", name=op.f("pk_assignment_state")
        ),
    )
    op.create_table(
        "deliverable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.AutoString(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner", sqlmodel.AutoString(), nullable=False),
        sa.Column("to_unit", sqlmodel.AutoString(), nullable=True),
        sa.Column("due_kind", sqlmodel.AutoString(), nullable=True),
        sa.Column("due_value", sqlmodel.AutoString(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "due_kind IN ('before', 'by', 'at', 'on')", name=op.f("ck_deliverable_due_kind")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_deliverable_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliverable")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_deliverable_plan_id_code")),
    )
    op.create_table(
        "edge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("prerequisite", sqlmodel.AutoString(), nullable=False),
        sa.Column("dependent", sqlmodel.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_edge_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edge")),
        sa.UniqueConstraint(
            "plan_id",
            "prerequisite",
            "dependent",
            name=op.f("uq_edge_plan_id_prerequisite_dependent"),
        ),
    )
    op.create_table(
        "group_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("group_code", sqlmodel.AutoString(), nullable=False),
        sa.Column("unit_code", sqlmodel.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_group_member_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_member")),
        sa.UniqueConstraint(
            "plan_id",
            "group_code",
            "unit_code",
            name=op.f("uq_group_member_plan_id_group_code_unit_code"),
        ),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.AutoString(), nullable=False),
        sa.Column("rule", sqlmodel.AutoString(), nullable=False),
        sa.Column("deliverable_code", sqlmodel.AutoString(), nullable=True),
        sa.Column("unit_code", sqlmodel.AutoString(), nullable=True),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.AutoString(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')", name=op.f("ck_notification_status")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_notification_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("key", name=op.f("uq_notification_key")),
    )
    op.create_index(
        "ix_notification_plan_status", "notification", ["plan_id", "status"], unique=False
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("deliverable_code", sqlmodel.AutoString(), nullable=False),
        sa.Column("unit_code", sqlmodel.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.AutoString(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sqlmodel.AutoString(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("undoes_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('received', 'waived', 'undo')", name=op.f("ck_submission_kind")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_submission_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["undoes_id"], ["submission.id"], name=op.f("fk_submission_undoes_id_submission")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
    )
    op.create_index(
        "ix_submission_assignment",
        "submission",
        ["plan_id", "deliverable_code", "unit_code"],
        unique=False,
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.AutoString(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sqlmodel.AutoString(), nullable=True),
        sa.Column("head_email", sqlmodel.AutoString(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_unit_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_unit_plan_id_code")),
    )


def downgrade() -> None:
    op.drop_table("unit")
    op.drop_index("ix_submission_assignment", table_name="submission")
    op.drop_table("submission")
    op.drop_index("ix_notification_plan_status", table_name="notification")
    op.drop_table("notification")
    op.drop_table("group_member")
    op.drop_table("edge")
    op.drop_table("deliverable")
    op.drop_table("assignment_state")
    op.drop_table("assignment")
    op.drop_table("plan")
