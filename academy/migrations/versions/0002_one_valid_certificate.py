"""One valid certificate per person and course, enforced by the database.

The release before migrations looked for a valid certificate before issuing one, but two grading
runs on different days (or at once) could both find none and issue two numbers for one result. This
revision keeps the first issued (earliest ``issued_on``, then number) of each such group valid,
revokes the later ones (rows kept: a printed number still verifies, as revoked), and adds a
partial unique index over (account, course) of the rows not revoked.

Revision ID: 0002_one_valid_certificate
Revises: 0001_baseline
Create Date: 2026-12-01 19:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002_one_valid_certificate"
down_revision: Union[str, Sequence[str], None] = "0001_baseline"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

certificates = sa.table("certificates", sa.column("number", sa.String), sa.column("account", sa.String),
                        sa.column("course", sa.String), sa.column("issued_on", sa.String),
                        sa.column("revoked", sa.Boolean))


def _revoke_later_duplicates() -> None:
    con = op.get_bind()
    valid = con.execute(sa.select(certificates.c.number, certificates.c.account, certificates.c.course)
                        .where(certificates.c.revoked.is_(False))
                        .order_by(certificates.c.account, certificates.c.course, certificates.c.issued_on,
                                  certificates.c.number)).all()
    seen: set[tuple[str, str]] = set()
    later = []
    for number, account, course in valid:
        if (account, course) in seen:
            later.append(number)
        seen.add((account, course))
    if later:
        con.execute(certificates.update().where(certificates.c.number.in_(later)).values(revoked=True))


def upgrade() -> None:
    _revoke_later_duplicates()
    # A database made by the models' create_all before it was put under migrations has it already.
    existing = {ix["name"] for ix in sa.inspect(op.get_bind()).get_indexes("certificates")}
    if "uq_certificates_valid" in existing:
        return
    op.create_index("uq_certificates_valid", "certificates", ["account", "course"], unique=True,
                    sqlite_where=sa.text("revoked = 0"), postgresql_where=sa.text("revoked = false"))


def downgrade() -> None:
    op.drop_index("uq_certificates_valid", table_name="certificates")
