"""feedback snapshot: each person's feedback as shown, frozen when the feedback phase closes

Revision ID: 0005_feedback_snapshot
Revises: 0004_notify
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision: str = "0005_feedback_snapshot"
down_revision: str | None = "0004_notify"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("view", sa.JSON(), nullable=False),
        sa.Column("closed_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("taken_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycles.id"], name=op.f("fk_feedback_snapshots_cycle_id_cycles")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_feedback_snapshots_employee_id_employees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_snapshots")),
        sa.UniqueConstraint("cycle_id", "employee_id", name=op.f("uq_feedback_snapshots_cycle_id")),
    )
    with op.batch_alter_table("feedback_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_snapshots_employee_id"), ["employee_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("feedback_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_snapshots_employee_id"))
    op.drop_table("feedback_snapshots")
