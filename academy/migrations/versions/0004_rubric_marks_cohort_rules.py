"""Staff pages (issue 16): per-criterion rubric marks and per-cohort due dates, 补考 windows, caps.

Only what is missing is created: grading.rubric / grading.cohorts create their tables on first use
(create_all) on databases made before this revision.

Revision ID: 0004_rubric_marks_cohort_rules
Revises: 0003_checker_attempts_and_items
Create Date: 2026-12-01 20:17:04.547818

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004_rubric_marks_cohort_rules'
down_revision: Union[str, Sequence[str], None] = '0003_checker_attempts_and_items'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    have = set(sa.inspect(op.get_bind()).get_table_names())
    if 'cohort_rules' not in have:
        _cohort_rules()
    if 'rubric_marks' not in have:
        _rubric_marks()


def _cohort_rules() -> None:
    op.create_table('cohort_rules',
    sa.Column('course', sa.String(length=64), nullable=False),
    sa.Column('assignment', sa.String(length=64), nullable=False),
    sa.Column('cohort', sa.String(length=64), nullable=False),
    sa.Column('due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resubmit_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('max_attempts', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('course', 'assignment', 'cohort')
    )


def _rubric_marks() -> None:
    op.create_table('rubric_marks',
    sa.Column('course', sa.String(length=64), nullable=False),
    sa.Column('assignment', sa.String(length=64), nullable=False),
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('notebook', sa.String(length=128), nullable=False),
    sa.Column('cell', sa.String(length=128), nullable=False),
    sa.Column('scores', sa.Text(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('grader', sa.String(length=64), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('course', 'assignment', 'account', 'notebook', 'cell')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('rubric_marks')
    op.drop_table('cohort_rules')
