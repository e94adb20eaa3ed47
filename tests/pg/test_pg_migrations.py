"""Alembic on PostgreSQL: the academy database of the release before migrations (a pg_dump of it,
tests/fixtures/academy-db-release0.pg.sql) upgraded to head, every row kept, the duplicate
certificate revoked, the new unique rule enforced by the server; a failed upgrade rolls back whole."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, insert, text
from sqlalchemy.exc import IntegrityError

from runtime.dburl import database_name, ensure_database
from runtime.paths import Paths
from tests.fixtures.release0 import expected_after_upgrade, load_pg, table_rows

pytestmark = [pytest.mark.pg, pytest.mark.timeout(300)]


def _release0(pg_server, prefix: str) -> str:
    url = Paths(root=pg_server.base, root_mode=False, db_server=pg_server.server_url(prefix)).academy_db_url
    ensure_database(url)
    load_pg(pg_server.bindir / "psql", pg_server.port, pg_server.password,
            database_name(pg_server.server_url(prefix), "academy"))
    return url


def test_release0_pg_database_upgrades_with_every_row_kept(pg_server):
    from academy import migrations

    url = _release0(pg_server, "r0up")
    assert migrations.current(url) is None
    assert migrations.upgrade(url) == migrations.head()
    assert table_rows(url) == expected_after_upgrade()
    eng = create_engine(url)
    try:
        with pytest.raises(IntegrityError), eng.begin() as con:
            con.execute(insert(migrations.models.metadata().tables["certificates"]).values(
                number="HDXY-2026-DEMO-FFFFFFFF", account="r0trainee1", course="demo", name="马建国", unit="",
                course_title="", hours=8, level="优秀", share=0.9, issued_on="2026-11-30", revoked=False))
    finally:
        eng.dispose()


def test_failed_pg_upgrade_rolls_back_whole(pg_server):
    from academy import migrations

    url = _release0(pg_server, "r0fail")
    eng = create_engine(url)
    try:
        with eng.begin() as con:
            con.execute(text("CREATE INDEX uq_certificates_valid ON people (name)"))
        with pytest.raises(migrations.MigrationError, match="数据库未作改动"):
            migrations.upgrade(url)
        with eng.connect() as con:
            assert not con.execute(text("SELECT to_regclass('alembic_version')")).scalar()
            assert con.execute(text("SELECT count(*) FROM certificates WHERE NOT revoked")).scalar() == 2
    finally:
        eng.dispose()
