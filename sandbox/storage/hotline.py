"""Storage of hotline runs in SQLite through SQLAlchemy (the same DB file as the hall runs).

Tables (own names, prefixed ``hotline_``):
- ``hotline_runs``: run_id, seed, start month, months, monthly volume, created_at, scenario JSON.
- ``hotline_tickets``: one row per ticket, every column of :class:`sandbox.hotline.records.TicketRecords`
  (times as ``YYYY-MM-DD HH:MM:SS`` text in Beijing time), keyed by (run_id, number).
The run-table rules (engine, run ids, replacing a run, bulk insert) are :mod:`sandbox.storage.runs`,
shared with the hall. Readers open the database read-only and never create tables.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import (Boolean, Column, DateTime, Float, Index, Integer, MetaData, String, Table, Text, func,
                        insert, select)
from sqlalchemy.engine import Engine

from ..hotline.records import BOOL_COLUMNS, INT_COLUMNS, TEXT_COLUMNS, TIME_COLUMNS, TicketRecords
from ..hotline.replay import replay
from ..hotline.scenario import HotlineScenario, to_dict
from ..hotline.tickets import Ticket
from . import runs as runs_layer

metadata = MetaData()

runs = Table(
    "hotline_runs", metadata,
    Column("run_id", String(64), primary_key=True),
    Column("seed", Integer, nullable=False),
    Column("start", String(7), nullable=False),
    Column("months", Integer, nullable=False),
    Column("monthly_volume", Float, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("scenario", Text, nullable=False),
)

tickets = Table(
    "hotline_tickets", metadata,
    Column("run_id", String(64), primary_key=True),
    Column("number", String(20), primary_key=True),
    *[Column(c, DateTime, nullable=(c != "received_at")) for c in TIME_COLUMNS],
    *[Column(c, Text if c == "text" else String(120)) for c in TEXT_COLUMNS if c != "number"],
    *[Column(c, Integer) for c in INT_COLUMNS],
    *[Column(c, Boolean) for c in BOOL_COLUMNS],
    Index("ix_hotline_tickets_run_received", "run_id", "received_at"),
)
COLUMNS = [c.name for c in tickets.columns]


def engine_for(db: str | Path | Engine, *, create: bool = True) -> Engine:
    """An engine on the hotline tables (see :func:`sandbox.storage.runs.engine_for`)."""
    return runs_layer.engine_for(db, metadata, create=create)


def check_writable(db: str | Path | Engine, run_id: str | None, *, replace: bool) -> None:
    """Before simulating: may a run ``run_id`` be written to ``db``? (see :func:`sandbox.storage.runs.check_writable`)."""
    runs_layer.check_writable(db, runs, run_id, replace=replace)


def _reader(db: str | Path | Engine) -> Engine:
    """A read-only engine on a database that holds hotline runs (a clear error otherwise)."""
    eng = engine_for(db, create=False)
    if not runs_layer.has_tables(eng, "hotline_runs", "hotline_tickets"):
        raise runs_layer.StorageError(f"数据库 {db} 中没有热线模拟运行")
    return eng


def _column_values(records: TicketRecords, name: str) -> list:
    a = records[name]
    if name in TIME_COLUMNS:
        arr = a.astype("datetime64[s]")
        txt = np.char.replace(np.datetime_as_string(arr, unit="s"), "T", " ").astype(object)
        txt[np.isnat(arr)] = None
        return txt.tolist()
    if name in INT_COLUMNS:
        return [int(v) for v in a]
    if name in BOOL_COLUMNS:
        return [None if v is None else bool(v) for v in a.tolist()]
    return [None if isinstance(v, float) and np.isnan(v) else v for v in a.tolist()]


def store(db: str | Path | Engine, records: TicketRecords, *, scenario: HotlineScenario, seed: int,
          run_id: str | None = None, replace: bool = True) -> str:
    """Store a simulated run; returns its run id. An existing id is replaced, or with
    ``replace=False`` refused (:class:`~sandbox.storage.runs.RunExistsError`)."""
    eng = engine_for(db)
    run_id = run_id or uuid.uuid4().hex[:12]
    cols = [c for c in COLUMNS if c != "run_id"]
    with eng.begin() as conn:
        runs_layer.clear_run(conn, runs, (tickets,), run_id, replace=replace)
        conn.execute(insert(runs).values(
            run_id=run_id, seed=seed, start=f"{scenario.start:%Y-%m}", months=scenario.months,
            monthly_volume=float(scenario.monthly_volume), created_at=runs_layer.utc_now(),
            scenario=json.dumps(to_dict(scenario), ensure_ascii=False, default=runs_layer.json_default)))
        runs_layer.bulk_insert(conn, "hotline_tickets", run_id, cols, [_column_values(records, c) for c in cols])
    return run_id


def latest_run(db: str | Path | Engine) -> str | None:
    """The newest hotline run, or None (also for a database without hotline tables: reading creates none)."""
    eng = engine_for(db, create=False)
    if not runs_layer.has_tables(eng, "hotline_runs"):
        return None
    with eng.connect() as conn:
        return runs_layer.latest_run(conn, runs)


def run_info(db: str | Path | Engine, run_id: str) -> dict | None:
    eng = _reader(db)
    with eng.connect() as conn:
        row = conn.execute(select(runs).where(runs.c.run_id == run_id)).mappings().first()
    return dict(row) if row else None


def load(db: str | Path | Engine, run_id: str, *, start: datetime | None = None,
         end: datetime | None = None, columns: list[str] | None = None,
         numbers: list[str] | None = None) -> pd.DataFrame:
    """Tickets of a run received in [start, end) (or with the given numbers), with datetime columns."""
    eng = _reader(db)
    cols = columns or [c for c in COLUMNS if c != "run_id"]
    where = ["run_id = ?"]
    params: list = [run_id]
    if start is not None:
        where.append("received_at >= ?")
        params.append(f"{start:%Y-%m-%d %H:%M:%S}")
    if end is not None:
        where.append("received_at < ?")
        params.append(f"{end:%Y-%m-%d %H:%M:%S}")
    if numbers is not None:
        where.append(f"number IN ({', '.join('?' * len(numbers))})")
        params.extend(numbers)
    sql = f"SELECT {', '.join(cols)} FROM hotline_tickets WHERE {' AND '.join(where)}"
    with eng.connect() as conn:
        rows = conn.exec_driver_sql(sql, tuple(params)).fetchall()
    df = pd.DataFrame.from_records(rows, columns=cols)
    for c in cols:
        if c in TIME_COLUMNS:
            df[c] = pd.to_datetime(df[c], format="%Y-%m-%d %H:%M:%S")
        elif c in BOOL_COLUMNS:
            df[c] = df[c].map(lambda v: None if v is None else bool(v)).astype(object)
    return df


def monthly_counts(db: str | Path | Engine, run_id: str, by: str = "level1") -> pd.DataFrame:
    """Tickets per received month and ``by`` (level1, level2, county …) for the whole run."""
    if by not in COLUMNS:
        raise ValueError(by)
    eng = _reader(db)
    sql = (f"SELECT substr(received_at, 1, 7) AS month, {by} AS key, count(*) AS n FROM hotline_tickets "
           f"WHERE run_id = ? GROUP BY month, key ORDER BY month")
    with eng.connect() as conn:
        rows = conn.exec_driver_sql(sql, (run_id,)).fetchall()
    return pd.DataFrame.from_records(rows, columns=["month", "key", "n"])


def count(db: str | Path | Engine, run_id: str) -> int:
    eng = _reader(db)
    with eng.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(tickets).where(tickets.c.run_id == run_id)).scalar())


def load_ticket(db: str | Path | Engine, run_id: str, number: str) -> Ticket:
    """One stored ticket with its full history, rebuilt through the public API (was hotline.simulate)."""
    rows = load(db, run_id, numbers=[number])
    if rows.empty:
        raise KeyError(f"运行 {run_id} 中没有工单 {number}")
    return replay(rows)[0]
