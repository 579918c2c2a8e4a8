"""SQL storage of plans, submissions, statuses and the audit trail (SQLModel, Alembic)."""
