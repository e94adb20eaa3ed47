"""Platform runs, on the one run-table layer (:mod:`sandbox.storage.runs`) like the halls and the hotline.

Tables: ``platform_runs`` (the hall's ``runs`` columns: run_id, created_at, scenario_name,
scenario_json, seed, start_date, days, an ``applications`` count in place of ``cases``, summary_json,
data_mark), ``platform_applications``, ``platform_accounts``, ``platform_days`` (the record columns
plus ``run_id``) and ``platform_items``/``platform_licences`` (labels at the time of the run). Saving
an existing run id replaces it, or with ``replace=False`` (the CLI's default) is refused.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, Boolean, Column, Integer, MetaData, String, Table, text
from sqlalchemy.engine import Engine

from ..base.ids import SYNTHETIC_MARK
from ..platform.records import ACCOUNT_COLUMNS, APP_COLUMNS, DAY_COLUMNS, PlatformRecords
from ..platform.scenario import PlatformScenario, to_dict
from . import runs as runs_layer
from .runs import CHUNK, json_default, new_run_id

__all__ = ["save_platform_run", "load_platform_records", "list_platform_runs", "engine_for", "metadata"]

metadata = MetaData()
_TYPES = {"int64": BigInteger, "int32": Integer, "int16": Integer, "int8": Integer, "bool": Boolean}

runs = runs_layer.run_table(metadata, "platform_runs", "applications", SYNTHETIC_MARK)
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
PART_TABLES = (*tables.values(), *labels.values())  # every table of a run except ``platform_runs``


def engine_for(db: str | Path | Engine, *, create: bool = True) -> Engine:
    """An engine on the platform tables (see :func:`sandbox.storage.runs.engine_for`)."""
    return runs_layer.engine_for(db, metadata, create=create)


def save_platform_run(db: str | Path | Engine, rec: PlatformRecords, scenario: PlatformScenario | None = None,
                      run_id: str | None = None, summary: dict[str, Any] | None = None, *,
                      replace: bool = True) -> str:
    """Store a run; returns the run id. An existing run id is replaced, or with ``replace=False``
    refused (:class:`~sandbox.storage.runs.RunExistsError`)."""
    from ..platform.metrics import summary as make_summary

    run_id = run_id or new_run_id()
    summ = summary if summary is not None else make_summary(rec)
    with engine_for(db).begin() as conn:
        runs_layer.clear_run(conn, runs, PART_TABLES, run_id, replace=replace)
        conn.execute(runs.insert().values(
            run_id=run_id, created_at=datetime.now(timezone.utc).replace(tzinfo=None), scenario_name=rec.scenario_name,
            scenario_json=json.dumps({"scenario": to_dict(scenario) if scenario else {}, "meta": rec.meta},
                                     ensure_ascii=False, default=json_default),
            seed=rec.seed, start_date=rec.start, days=rec.days, applications=len(rec),
            summary_json=json.dumps(summ, ensure_ascii=False, default=json_default), data_mark=SYNTHETIC_MARK))
        for name, source in (("platform_applications", rec.applications), ("platform_accounts", rec.accounts),
                             ("platform_days", rec.days_table)):
            spec = _SPECS[name][0]
            runs_layer.bulk_insert(conn, name, run_id, list(spec), [np.asarray(source[k]) for k in spec])
        runs_layer.bulk_insert(conn, "platform_items", run_id, ["idx", "code", "name"],
                               [list(range(len(rec.item_codes))), list(rec.item_codes), list(rec.item_names)])
        runs_layer.bulk_insert(conn, "platform_licences", run_id, ["idx", "code", "name"],
                               [list(range(len(rec.licence_names))),
                                [f"L{i:03d}" for i in range(len(rec.licence_names))], list(rec.licence_names)])
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
    eng = engine_for(db, create=False)
    if not runs_layer.has_tables(eng, "platform_runs"):
        raise KeyError("数据库中还没有平台运行")
    with eng.connect() as conn:
        if run_id is None:
            run_id = runs_layer.latest_run(conn, runs)
            if run_id is None:
                raise KeyError("数据库中还没有平台运行")
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

    eng = engine_for(db, create=False)
    if not runs_layer.has_tables(eng, "platform_runs"):
        return pd.DataFrame(columns=["run_id", "created_at", "scenario_name", "seed", "start_date", "days",
                                     "applications", "data_mark"])
    with eng.connect() as conn:
        return pd.read_sql_query(text("SELECT run_id, created_at, scenario_name, seed, start_date, days, applications, "
                                      "data_mark FROM platform_runs ORDER BY created_at DESC"), conn)
