"""Platform runs in SQLite through SQLAlchemy — the hall's pattern (sandbox/storage.py), own tables.

Tables: ``platform_runs`` (the hall's ``runs`` columns: run_id, created_at, scenario_name,
scenario_json, seed, start_date, days, an ``applications`` count in place of ``cases``, summary_json,
data_mark), ``platform_applications``, ``platform_accounts``, ``platform_days`` (the record columns
plus ``run_id``) and ``platform_items``/``platform_licences`` (labels at the time of the run). When the
run tables are unified, ``platform_runs`` folds into ``runs`` with a ``part = 'platform'`` column;
the column tables stay as they are. Saving an existing run id replaces it.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import (BigInteger, Boolean, Column, Date, DateTime, Integer, MetaData, String, Table, Text,
                        text)
from sqlalchemy.engine import Engine

from sandbox.ids import SYNTHETIC_MARK
from sandbox.storage import engine_for as hall_engine_for, new_run_id

from .records import ACCOUNT_COLUMNS, APP_COLUMNS, DAY_COLUMNS, PlatformRecords
from .scenario import PlatformScenario, to_dict

__all__ = ["save_platform_run", "load_platform_records", "list_platform_runs", "engine_for", "metadata"]

metadata = MetaData()
_TYPES = {"int64": BigInteger, "int32": Integer, "int16": Integer, "int8": Integer, "bool": Boolean}
CHUNK = 50_000

runs = Table(
    "platform_runs", metadata,
    Column("run_id", String(64), primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Column("scenario_name", String(100), nullable=False),
    Column("scenario_json", Text, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("days", Integer, nullable=False),
    Column("applications", BigInteger, nullable=False),
    Column("summary_json", Text, nullable=False),
    Column("data_mark", String(20), nullable=False, default=SYNTHETIC_MARK),
)
_SPECS = {"platform_applications": (APP_COLUMNS, "app_id"), "platform_accounts": (ACCOUNT_COLUMNS, "account_id"),
          "platform_days": (DAY_COLUMNS, "day")}
tables = {name: Table(name, metadata, Column("run_id", String(64), primary_key=True),
                      *[Column(k, _TYPES[dt], primary_key=(k == pk), nullable=False, comment=doc)
                        for k, (dt, doc) in spec.items()], sqlite_with_rowid=False)
          for name, (spec, pk) in _SPECS.items()}
labels = {name: Table(name, metadata, Column("run_id", String(64), primary_key=True),
                      Column("idx", Integer, primary_key=True), Column("code", String(40), nullable=False),
                      Column("name", String(200), nullable=False))
          for name in ("platform_items", "platform_licences")}


def _json_default(o: Any) -> Any:
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    if isinstance(o, np.generic):
        return o.item()
    raise TypeError(type(o))


def engine_for(db: str | Path | Engine) -> Engine:
    eng = hall_engine_for(db)  # the hall's engine cache and SQLite pragmas (WAL, one sync per run)
    metadata.create_all(eng)
    return eng


def _all_tables():
    return (*tables.values(), *labels.values(), runs)


def save_platform_run(db: str | Path | Engine, rec: PlatformRecords, scenario: PlatformScenario | None = None,
                      run_id: str | None = None, summary: dict[str, Any] | None = None) -> str:
    """Store a run (replacing an existing run with the same id); returns the run id."""
    from .metrics import summary as make_summary

    eng = engine_for(db)
    run_id = run_id or new_run_id()
    summ = summary if summary is not None else make_summary(rec)
    with eng.begin() as conn:
        cur = conn.connection.driver_connection.cursor()
        for t in _all_tables():
            conn.execute(t.delete().where(t.c.run_id == run_id))
        conn.execute(runs.insert().values(
            run_id=run_id, created_at=datetime.now(timezone.utc).replace(tzinfo=None), scenario_name=rec.scenario_name,
            scenario_json=json.dumps({"scenario": to_dict(scenario) if scenario else {}, "meta": rec.meta},
                                     ensure_ascii=False, default=_json_default),
            seed=rec.seed, start_date=rec.start, days=rec.days, applications=len(rec),
            summary_json=json.dumps(summ, ensure_ascii=False, default=_json_default), data_mark=SYNTHETIC_MARK))
        ph = "?" if eng.dialect.paramstyle == "qmark" else "%s"

        def bulk(table: str, names: list[str], columns: list) -> None:
            sql = f"INSERT INTO {table} (run_id, {', '.join(names)}) VALUES ({ph}{(', ' + ph) * len(names)})"
            n = len(columns[0]) if columns else 0
            for lo in range(0, n, CHUNK):
                part = [c[lo:lo + CHUNK] for c in columns]
                part = [p.tolist() if isinstance(p, np.ndarray) else p for p in part]
                cur.executemany(sql, zip([run_id] * len(part[0]), *part))

        for name, source in (("platform_applications", rec.applications), ("platform_accounts", rec.accounts),
                             ("platform_days", rec.days_table)):
            spec = _SPECS[name][0]
            bulk(name, list(spec), [np.asarray(source[k]) for k in spec])
        bulk("platform_items", ["idx", "code", "name"],
             [list(range(len(rec.item_codes))), list(rec.item_codes), list(rec.item_names)])
        bulk("platform_licences", ["idx", "code", "name"],
             [list(range(len(rec.licence_names))), [f"L{i:03d}" for i in range(len(rec.licence_names))],
              list(rec.licence_names)])
    return run_id


def _columns(conn, table: str, spec: dict, run_id: str, order: str) -> dict[str, np.ndarray]:
    cur = conn.connection.driver_connection.cursor()
    ph = "?" if conn.engine.dialect.paramstyle == "qmark" else "%s"
    names = list(spec)
    cur.execute(f"SELECT {', '.join(names)} FROM {table} WHERE run_id = {ph} ORDER BY {order}", (run_id,))
    blocks = []
    while rows := cur.fetchmany(CHUNK):
        blocks.append(np.array(rows, dtype=np.int64))
    arr = np.concatenate(blocks) if blocks else np.zeros((0, len(names)), np.int64)
    return {k: arr[:, j].astype(spec[k][0]) for j, k in enumerate(names)}


def load_platform_records(db: str | Path | Engine, run_id: str | None = None) -> PlatformRecords:
    """A stored run back as :class:`PlatformRecords` (the latest when ``run_id`` is None)."""
    eng = engine_for(db)
    with eng.connect() as conn:
        if run_id is None:
            row = conn.execute(text("SELECT run_id FROM platform_runs ORDER BY created_at DESC LIMIT 1")).first()
            if row is None:
                raise KeyError("数据库中还没有平台运行")
            run_id = row[0]
        meta = conn.execute(runs.select().where(runs.c.run_id == run_id)).mappings().first()
        if meta is None:
            raise KeyError(f"数据库中没有平台运行 {run_id!r}")
        cols = {name: _columns(conn, name, spec, run_id, pk) for name, (spec, pk) in _SPECS.items()}
        lab = {name: conn.execute(t.select().where(t.c.run_id == run_id).order_by(t.c.idx)).all()
               for name, t in labels.items()}
    summ = json.loads(meta["summary_json"])
    stored = json.loads(meta["scenario_json"])
    return PlatformRecords.build(
        cols["platform_applications"], cols["platform_accounts"], cols["platform_days"],
        item_codes=tuple(r.code for r in lab["platform_items"]), item_names=tuple(r.name for r in lab["platform_items"]),
        licence_names=tuple(r.name for r in lab["platform_licences"]), start=meta["start_date"], days=meta["days"],
        seed=meta["seed"], scenario_name=meta["scenario_name"],
        meta={**stored.get("meta", {}), "run_id": run_id, "summary": summ, "scenario": stored.get("scenario", {})})


def list_platform_runs(db: str | Path | Engine):
    import pandas as pd

    eng = engine_for(db)
    with eng.connect() as conn:
        return pd.read_sql_query(text("SELECT run_id, created_at, scenario_name, seed, start_date, days, applications, "
                                      "data_mark FROM platform_runs ORDER BY created_at DESC"), conn)
