"""objections: admins decide when the rater has no superior; who decided; answers name questions

Revision ID: 0003_objection
Revises: 0002
Create Date: 2026-11-28 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_objection"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.alter_column("decider_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("decided_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_objections_decided_by_employees"), "employees", ["decided_by"], ["id"]
        )

    with op.batch_alter_table("objection_notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_to_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_objection_notes_reply_to_id_objection_notes"),
            "objection_notes",
            ["reply_to_id"],
            ["id"],
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_objection_notes_reply_to_id"), ["reply_to_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("objection_notes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_objection_notes_reply_to_id"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_objection_notes_reply_to_id_objection_notes"), type_="foreignkey"
        )
        batch_op.drop_column("reply_to_id")

    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_objections_decided_by_employees"), type_="foreignkey"
        )
        batch_op.drop_column("decided_by")
        batch_op.alter_column("decider_id", existing_type=sa.Integer(), nullable=False)
