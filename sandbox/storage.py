"""Runs in SQLite through SQLAlchemy: schema from the record columns, bulk inserts, pandas loading.

Tables (documented in sandbox/README.md): ``runs`` (one row per run: scenario, seed, span, summary),
``cases`` and ``pools`` (the record columns plus ``run_id``), and the label tables ``halls``, ``items``
and ``bundles`` per run (so a run stays readable after the catalog changes). Saving an existing run
id replaces that run. The bulk load goes through the driver's ``executemany`` inside one transaction
with WAL (``synchronous=NORMAL``: one sync per run) — SQLAlchemy's ORM or per-row inserts would be ~20× slower.
"""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import (BigInteger, Boolean, Column, Date, DateTime, Integer, MetaData, String, Table, Text,
                        create_engine, event, text)
from sqlalchemy.engine import Engine

from .ids import SYNTHETIC_MARK
from .records import CASE_COLUMNS, POOL_COLUMNS, Records

__all__ = ["engine_for", "save_run", "load_records", "load_cases", "load_pools", "list_runs", "delete_run",
           "new_run_id", "metadata"]

metadata = MetaData()
_TYPES = {"int64": BigInteger, "int32": Integer, "int16": Integer, "int8": Integer, "bool": Boolean}

runs = Table(
    "runs", metadata,
    Column("run_id", String(64), primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Column("scenario_name", String(100), nullable=False),
    Column("scenario_json", Text, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("days", Integer, nullable=False),
    Column("cases", BigInteger, nullable=False),
    Column("summary_json", Text, nullable=False),
    Column("data_mark", String(20), nullable=False, default=SYNTHETIC_MARK),
)
# WITHOUT ROWID: rows live in the primary-key B-tree itself (one tree to write, not two).
cases = Table("cases", metadata, Column("run_id", String(64), primary_key=True),
              *[Column(k, _TYPES[dt], primary_key=(k == "case_id"), nullable=False, comment=doc)
                for k, (dt, doc) in CASE_COLUMNS.items()], sqlite_with_rowid=False)
pools = Table("pools", metadata, Column("run_id", String(64), nullable=False, index=True),
              *[Column(k, _TYPES[dt], nullable=False, comment=doc) for k, (dt, doc) in POOL_COLUMNS.items()])
halls = Table("halls", metadata, Column("run_id", String(64), primary_key=True),
              Column("idx", Integer, primary_key=True), Column("name", String(100), nullable=False))
items = Table("items", metadata, Column("run_id", String(64), primary_key=True),
              Column("idx", Integer, primary_key=True), Column("code", String(40), nullable=False),
              Column("name", String(200), nullable=False))
bundles = Table("bundles", metadata, Column("run_id", String(64), primary_key=True),
                Column("idx", Integer, primary_key=True), Column("name", String(200), nullable=False))

_ENGINES: dict[str, Engine] = {}
CHUNK = 50_000


def engine_for(db: str | Path | Engine) -> Engine:
    """An engine for a SQLite file path (or a SQLAlchemy URL / engine); tables created on first use."""
    if isinstance(db, Engine):
        eng = db
    else:
        url = str(db) if "://" in str(db) else f"sqlite:///{Path(db)}"
        if url in _ENGINES:
            return _ENGINES[url]
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        eng = create_engine(url)
        if eng.dialect.name == "sqlite":
            @event.listens_for(eng, "connect")
            def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                # One transaction per run: with WAL, NORMAL means a single sync at commit.
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()
        _ENGINES[url] = eng
    metadata.create_all(eng)
    return eng


def new_run_id() -> str:
    return f"{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"


def _json_default(o: Any) -> Any:
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    if isinstance(o, np.generic):
        return o.item()
    raise TypeError(type(o))


def delete_run(db: str | Path | Engine, run_id: str) -> None:
    eng = engine_for(db)
    with eng.begin() as conn:
        for t in (cases, pools, halls, items, bundles, runs):
            conn.execute(t.delete().where(t.c.run_id == run_id))


def save_run(db: str | Path | Engine, records: Records, run_id: str | None = None,
             summary: dict[str, Any] | None = None) -> str:
    """Store a run (replacing an existing run with the same id); returns the run id."""
    from .metrics import summary as make_summary

    eng = engine_for(db)
    run_id = run_id or new_run_id()
    summ = summary if summary is not None else make_summary(records)
    case_cols = list(CASE_COLUMNS)
    pool_cols = list(POOL_COLUMNS)
    with eng.begin() as conn:
        raw = conn.connection.driver_connection
        cur = raw.cursor()
        for t in (cases, pools, halls, items, bundles, runs):
            conn.execute(t.delete().where(t.c.run_id == run_id))
        conn.execute(runs.insert().values(
            run_id=run_id, created_at=datetime.now(timezone.utc).replace(tzinfo=None),
            scenario_name=records.scenario_name,
            scenario_json=json.dumps(records.meta.get("scenario", {}), ensure_ascii=False, default=_json_default),
            seed=records.seed, start_date=records.start, days=records.days, cases=len(records),
            summary_json=json.dumps(summ, ensure_ascii=False, default=_json_default), data_mark=SYNTHETIC_MARK))
        ph = "?" if eng.dialect.paramstyle == "qmark" else "%s"

        def bulk(table: str, names: list[str], columns: list) -> None:
            sql = f"INSERT INTO {table} (run_id, {', '.join(names)}) VALUES ({ph}{(', ' + ph) * len(names)})"
            n = len(columns[0]) if columns else 0
            # Chunks keep the Python objects of a 2-million-row year to a few MB at a time.
            for lo in range(0, n, CHUNK):
                part = [c[lo:lo + CHUNK] for c in columns]
                part = [p.tolist() if isinstance(p, np.ndarray) else p for p in part]
                cur.executemany(sql, zip([run_id] * len(part[0]), *part))

        bulk("cases", case_cols, [np.asarray(records.cases[k]) for k in case_cols])
        bulk("pools", pool_cols, [np.asarray(records.pools[k]) for k in pool_cols])
        bulk("halls", ["idx", "name"], [list(range(len(records.hall_names))), list(records.hall_names)])
        bulk("items", ["idx", "code", "name"], [list(range(len(records.item_codes))), list(records.item_codes),
                                                list(records.item_names)])
        bulk("bundles", ["idx", "name"], [list(range(len(records.bundle_names))), list(records.bundle_names)])
    return run_id


def list_runs(db: str | Path | Engine):
    """The stored runs, newest first (pandas)."""
    import pandas as pd

    eng = engine_for(db)
    with eng.connect() as conn:
        return pd.read_sql_query(
            text("SELECT run_id, created_at, scenario_name, seed, start_date, days, cases, data_mark FROM runs "
                 "ORDER BY created_at DESC"), conn)


def _latest(conn, run_id: str | None) -> str:
    if run_id is None:
        row = conn.execute(text("SELECT run_id FROM runs ORDER BY created_at DESC LIMIT 1")).first()
        if row is None:
            raise KeyError("数据库中还没有模拟运行")
        return row[0]
    if conn.execute(text("SELECT 1 FROM runs WHERE run_id = :r"), {"r": run_id}).first() is None:
        raise KeyError(f"数据库中没有运行 {run_id!r}")
    return run_id


def _columns(conn, table: str, names: list[str], spec: dict, run_id: str, order: str) -> dict[str, np.ndarray]:
    raw = conn.connection.driver_connection
    cur = raw.cursor()
    ph = "?" if conn.engine.dialect.paramstyle == "qmark" else "%s"
    cur.execute(f"SELECT {', '.join(names)} FROM {table} WHERE run_id = {ph} ORDER BY {order}", (run_id,))
    blocks = []
    while rows := cur.fetchmany(CHUNK):
        blocks.append(np.array(rows, dtype=np.int64))  # every stored column is an integer: one C loop
    table_ = np.concatenate(blocks) if blocks else np.zeros((0, len(names)), np.int64)
    return {k: table_[:, j].astype(spec[k][0]) for j, k in enumerate(names)}


def load_records(db: str | Path | Engine, run_id: str | None = None) -> Records:
    """A stored run back as :class:`Records` (the latest run when ``run_id`` is None)."""
    eng = engine_for(db)
    with eng.connect() as conn:
        rid = _latest(conn, run_id)
        meta = conn.execute(runs.select().where(runs.c.run_id == rid)).mappings().one()
        case_cols = _columns(conn, "cases", list(CASE_COLUMNS), CASE_COLUMNS, rid, "case_id")
        pool_cols = _columns(conn, "pools", list(POOL_COLUMNS), POOL_COLUMNS, rid, "hall, day, pool")
        hall_names = tuple(r[0] for r in conn.execute(
            halls.select().with_only_columns(halls.c.name).where(halls.c.run_id == rid).order_by(halls.c.idx)))
        item_rows = conn.execute(items.select().where(items.c.run_id == rid).order_by(items.c.idx)).all()
        bundle_names = tuple(r[0] for r in conn.execute(
            bundles.select().with_only_columns(bundles.c.name).where(bundles.c.run_id == rid)
            .order_by(bundles.c.idx)))
    return Records.build(
        case_cols, pool_cols, hall_names=hall_names, item_codes=tuple(r.code for r in item_rows),
        item_names=tuple(r.name for r in item_rows), bundle_names=bundle_names, start=meta["start_date"],
        days=meta["days"], seed=meta["seed"], scenario_name=meta["scenario_name"],
        meta={"scenario": json.loads(meta["scenario_json"]), "run_id": rid,
              "summary": json.loads(meta["summary_json"])})


def load_cases(db: str | Path | Engine, run_id: str | None = None, labels: bool = True):
    """The cases of a run as a pandas DataFrame (Chinese labels, datetimes)."""
    return load_records(db, run_id).frame(labels=labels)


def load_pools(db: str | Path | Engine, run_id: str | None = None):
    return load_records(db, run_id).pools_frame()
