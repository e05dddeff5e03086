"""unit heads: who heads each unit (kepala unit), named by BKPSDM, one per unit

No backfill: heads are never guessed from superiors. After this upgrade every unit is without a
head until BKPSDM names one (the personnel import's ``kepala_unit`` column, or `kinerja unit
head UNIT NIP`); until then only BKPSDM admins publish results. `kinerja db upgrade` says how
many OPDs still need a head.

Revision ID: 0006_unit_heads
Revises: 0005_feedback_snapshot
Create Date: 2026-12-07 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.db.types import UTCDateTime

revision: str = "0006_unit_heads"
down_revision: str | None = "0005_feedback_snapshot"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unit_heads",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("set_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_unit_heads_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_unit_heads_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_unit_heads")),
    )
    with op.batch_alter_table("unit_heads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unit_heads_employee_id"), ["employee_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("unit_heads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_heads_employee_id"))
    op.drop_table("unit_heads")
