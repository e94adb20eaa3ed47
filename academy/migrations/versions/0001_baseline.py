"""Baseline: the academy database as the release before migrations made it (create_all on main at
a1a781c, 2026-12-01). A database of that release has these tables without ``alembic_version``;
academy.migrations.upgrade stamps it with this revision instead of running it.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-12-01 18:46:56.858600
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0001_baseline'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('certificates',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('course', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('unit', sa.String(length=128), nullable=False),
    sa.Column('course_title', sa.String(length=128), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.Column('issued_on', sa.String(length=10), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('number')
    )
    op.create_index('ix_certificates_account', 'certificates', ['account'], unique=False)

    op.create_table('competence_scores',
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('course', sa.String(length=64), nullable=False),
    sa.Column('assignment', sa.String(length=64), nullable=False),
    sa.Column('dimension', sa.String(length=32), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('max_points', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('account', 'course', 'assignment', 'dimension')
    )
    op.create_table('courses',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=128), nullable=False),
    sa.Column('source', sa.String(length=512), nullable=False),
    sa.Column('port', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('port')
    )
    op.create_table('grading_results',
    sa.Column('course', sa.String(length=64), nullable=False),
    sa.Column('assignment', sa.String(length=64), nullable=False),
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('max_score', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('needs_manual_grade', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', sa.String(length=40), nullable=False),
    sa.Column('graded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('course', 'assignment', 'account')
    )
    op.create_table('people',
    sa.Column('account', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('unit', sa.String(length=128), nullable=False),
    sa.Column('county', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('cohort', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('account')
    )
    op.create_table('enrolments',
    sa.Column('account', sa.String(length=32), nullable=False),
    sa.Column('course', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['account'], ['people.account'], ),
    sa.PrimaryKeyConstraint('account', 'course')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('enrolments')
    op.drop_table('people')
    op.drop_table('grading_results')
    op.drop_table('courses')
    op.drop_table('competence_scores')
    op.drop_index('ix_certificates_account', table_name='certificates')
    op.drop_table('certificates')
