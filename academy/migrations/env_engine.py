"""The engine migrations run on: SQLite with real transactions around DDL (see :func:`engine`)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine


def engine(db_url: str) -> Engine:
    """An engine for ``db_url``; on SQLite, pysqlite's own transaction handling (no BEGIN before DDL)
    is replaced by an explicit ``BEGIN IMMEDIATE`` (SQLAlchemy's documented recipe), so that a
    migration failing half-way is rolled back whole, as on PostgreSQL."""
    if not db_url.startswith("sqlite"):
        return create_engine(db_url)
    if db_url.startswith("sqlite:///"):
        Path(db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    eng = create_engine(db_url, connect_args={"timeout": 60})

    @event.listens_for(eng, "connect")
    def _no_pysqlite_transactions(dbapi_con, record):  # noqa: ANN001
        dbapi_con.isolation_level = None

    @event.listens_for(eng, "begin")
    def _begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return eng
