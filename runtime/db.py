"""The academy database (``$ACADEMY_ROOT/data/academy.sqlite``): one declarative base, one engine per
URL and one clock for every table in it — academy's people and courses, grading's results.

SQLAlchemy 2 so that moving to PostgreSQL is a URL change. Tables are created on first use; a
module that registers more tables later (grading.store after academy.db) gets them created the
next time it asks for the engine.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session


class Base(DeclarativeBase):
    pass


def now() -> dt.datetime:
    """Timestamps in the academy database are timezone-aware UTC."""
    return dt.datetime.now(dt.timezone.utc)


_engines: dict[str, Engine] = {}
_created: dict[str, frozenset[str]] = {}


def engine(db_url: str) -> Engine:
    """One engine per URL; tables of every model imported so far exist when it is returned."""
    eng = _engines.get(db_url)
    if eng is None:
        if db_url.startswith("sqlite:///"):
            Path(db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # grading workers write results while the hub reads people: wait for SQLite's lock
        eng = create_engine(db_url, future=True, connect_args={"timeout": 60} if db_url.startswith("sqlite") else {})
        _engines[db_url] = eng
    tables = frozenset(Base.metadata.tables)
    if _created.get(db_url) != tables:
        Base.metadata.create_all(eng)
        _created[db_url] = tables
    return eng


def session(db_url: str) -> Session:
    return Session(engine(db_url), expire_on_commit=False)
