"""Runs in SQLite through SQLAlchemy: schema from the record columns, bulk inserts, pandas loading.

Tables (documented in sandbox/README.md): ``runs`` (one row per run: scenario, seed, span, summary),
``cases`` and ``pools`` (the record columns plus ``run_id``), and the label tables ``halls``, ``items``
and ``bundles`` per run (so a run stays readable after the catalog changes). Saving an existing run
id replaces that run (or is refused with ``replace=False``: the CLI's default). The run table's rules
(engine, run ids, replacing) are :mod:`sandbox.storage.runs`, shared with the other parts. The bulk load goes through the driver's ``executemany`` inside one transaction
with WAL (``synchronous=NORMAL``: one sync per run) — SQLAlchemy's ORM or per-row inserts would be ~20× slower.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, Boolean, Column, Integer, MetaData, String, Table, text
from sqlalchemy.engine import Engine

from ..base.ids import SYNTHETIC_MARK
from ..hall.records import CASE_COLUMNS, POOL_COLUMNS, Records
from . import runs as runs_layer
from .runs import CHUNK, json_default, new_run_id

__all__ = ["engine_for", "save_run", "load_records", "load_cases", "load_pools", "list_runs", "delete_run",
           "new_run_id", "metadata"]

metadata = MetaData()
_TYPES = {"int64": BigInteger, "int32": Integer, "int16": Integer, "int8": Integer, "bool": Boolean}

runs = runs_layer.run_table(metadata, "runs", "cases", SYNTHETIC_MARK)
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

PART_TABLES = (cases, pools, halls, items, bundles)  # every table of a run except ``runs`` itself


def check_writable(db: str | Path | Engine, run_id: str | None, *, replace: bool) -> None:
    """Before simulating: may a run ``run_id`` be written to ``db``? (see :func:`sandbox.storage.runs.check_writable`)."""
    runs_layer.check_writable(db, runs, run_id, replace=replace)


def engine_for(db: str | Path | Engine, *, create: bool = True) -> Engine:
    """An engine on the hall tables (see :func:`sandbox.storage.runs.engine_for`)."""
    return runs_layer.engine_for(db, metadata, create=create)


def delete_run(db: str | Path | Engine, run_id: str) -> None:
    with engine_for(db).begin() as conn:
        runs_layer.clear_run(conn, runs, PART_TABLES, run_id, replace=True)


def save_run(db: str | Path | Engine, records: Records, run_id: str | None = None,
             summary: dict[str, Any] | None = None, *, replace: bool = True) -> str:
    """Store a run; returns the run id. An existing run id is replaced, or with ``replace=False``
    refused (:class:`~sandbox.storage.runs.RunExistsError`)."""
    from ..hall.metrics import summary as make_summary

    eng = engine_for(db)
    run_id = run_id or new_run_id()
    summ = summary if summary is not None else make_summary(records)
    with eng.begin() as conn:
        runs_layer.clear_run(conn, runs, PART_TABLES, run_id, replace=replace)
        conn.execute(runs.insert().values(
            run_id=run_id, created_at=runs_layer.utc_now(),
            scenario_name=records.scenario_name,
            scenario_json=json.dumps(records.meta.get("scenario", {}), ensure_ascii=False, default=json_default),
            seed=records.seed, start_date=records.start, days=records.days, cases=len(records),
            summary_json=json.dumps(summ, ensure_ascii=False, default=json_default), data_mark=SYNTHETIC_MARK))

        def bulk(table: str, names: list[str], columns: list) -> None:
            runs_layer.bulk_insert(conn, table, run_id, names, columns)

        bulk("cases", list(CASE_COLUMNS), [np.asarray(records.cases[k]) for k in CASE_COLUMNS])
        bulk("pools", list(POOL_COLUMNS), [np.asarray(records.pools[k]) for k in POOL_COLUMNS])
        bulk("halls", ["idx", "name"], [list(range(len(records.hall_names))), list(records.hall_names)])
        bulk("items", ["idx", "code", "name"], [list(range(len(records.item_codes))), list(records.item_codes),
                                                list(records.item_names)])
        bulk("bundles", ["idx", "name"], [list(range(len(records.bundle_names))), list(records.bundle_names)])
    return run_id


def list_runs(db: str | Path | Engine):
    """The stored runs, newest first (pandas)."""
    import pandas as pd

    eng = engine_for(db, create=False)
    if not runs_layer.has_tables(eng, "runs"):
        return pd.DataFrame(columns=["run_id", "created_at", "scenario_name", "seed", "start_date", "days", "cases",
                                     "data_mark"])
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
    """A stored run back as :class:`Records` (the latest run when ``run_id`` is None). Reads only."""
    eng = engine_for(db, create=False)
    if not runs_layer.has_tables(eng, "runs", "cases"):
        raise KeyError("数据库中还没有模拟运行")
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
