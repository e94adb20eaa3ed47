"""PostgreSQL database names of one academy, derived from the one server URL (``ACADEMY_DB_URL``).

``postgresql+psycopg://USER:PASSWORD@HOST:PORT/PREFIX`` gives ``PREFIX_hub`` (JupyterHub),
``PREFIX_academy`` (runtime.db) and ``PREFIX_gb_<course>`` (one nbgrader gradebook per course);
PREFIX defaults to ``academy``, so several academies can share one server by their prefixes.
``ensure_database`` creates a database once (idempotent, safe when two processes race).
"""
from __future__ import annotations

import re

DEFAULT_PREFIX = "academy"
_UNSAFE = re.compile(r"[^a-z0-9_]")


def _url(server: str):
    from sqlalchemy.engine import make_url

    url = make_url(server)
    if not url.drivername.startswith("postgresql"):
        raise ValueError(f"ACADEMY_DB_URL 须为 PostgreSQL 地址 / ACADEMY_DB_URL must be a PostgreSQL URL, "
                         f"not {url.drivername!r}")
    return url


def database_name(server: str, suffix: str) -> str:
    """``PREFIX_suffix`` in lower-case ASCII (PostgreSQL folds unquoted names; 63 bytes at most)."""
    prefix = _url(server).database or DEFAULT_PREFIX
    name = _UNSAFE.sub("_", f"{prefix}_{suffix}".lower())
    if len(name) > 63:
        raise ValueError(f"数据库名过长 / database name too long: {name}")
    return name


def database_url(server: str, suffix: str) -> str:
    """The SQLAlchemy URL of database ``PREFIX_suffix`` on ``server`` (password kept in the URL)."""
    url = _url(server).set(database=database_name(server, suffix))
    return url.render_as_string(hide_password=False)


def ensure_database(db_url: str) -> bool:
    """Create the database of ``db_url`` on its server unless it exists; True when created.

    Connects to the server's ``postgres`` database with the same account (which needs CREATEDB,
    not superuser)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    url = _url(db_url)
    name = url.database or ""
    if not name or _UNSAFE.search(name):  # quoted into CREATE DATABASE below
        raise ValueError(f"数据库名无效 / not a database name of the academy: {name!r}")
    eng = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    exists = text("SELECT 1 FROM pg_database WHERE datname = :n")
    try:
        with eng.connect() as con:
            if con.execute(exists, {"n": name}).first():
                return False
            try:
                con.execute(text(f'CREATE DATABASE "{name}"'))  # name is [a-z0-9_] (database_name)
            except DBAPIError:  # "already exists" or a unique violation: another process won the race
                if con.execute(exists, {"n": name}).first():
                    return False
                raise
            return True
    finally:
        eng.dispose()
