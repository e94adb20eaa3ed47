"""Checker-graded assignments (grading.formgrade, issue 12): per-question results and attempts.

``grading_results`` gets ``attempt`` (which graded attempt the row is) and ``items`` (the per-question
results as JSON); the new table ``grading_attempts`` counts graded attempts against the cap. Written
to be safe on the databases that grading.store's own ``_ready`` (which added the two columns with a
plain ALTER before this revision existed) or a ``create_all`` already changed: only what is missing
is added.

Revision ID: 0003_checker_attempts_and_items
Revises: 0002_one_valid_certificate
Create Date: 2026-12-01 20:05:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003_checker_attempts_and_items"
down_revision: Union[str, Sequence[str], None] = "0002_one_valid_certificate"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    have = {c["name"] for c in inspector.get_columns("grading_results")}
    new = [sa.Column("attempt", sa.Integer(), nullable=False, server_default="0"),
           sa.Column("items", sa.Text(), nullable=False, server_default="[]")]
    missing = [c for c in new if c.name not in have]
    if missing:
        with op.batch_alter_table("grading_results") as batch:
            for column in missing:
                batch.add_column(column)
    if "grading_attempts" not in inspector.get_table_names():
        op.create_table(
            "grading_attempts",
            sa.Column("course", sa.String(length=64), nullable=False),
            sa.Column("assignment", sa.String(length=64), nullable=False),
            sa.Column("account", sa.String(length=64), nullable=False),
            sa.Column("attempt", sa.Integer(), nullable=False),
            sa.Column("submitted_at", sa.String(length=40), nullable=False),
            sa.Column("score", sa.Float(), nullable=False),
            sa.Column("max_score", sa.Float(), nullable=False),
            sa.Column("graded_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("course", "assignment", "account", "attempt"),
        )


def downgrade() -> None:
    op.drop_table("grading_attempts")
    with op.batch_alter_table("grading_results") as batch:
        batch.drop_column("items")
        batch.drop_column("attempt")
