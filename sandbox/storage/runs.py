"""The run-table layer every part stores through (hall, hotline, and the platform to come).

One rule for each thing the parts used to repeat: which database a ``--db`` may name and how it is
opened (SQLite pragmas, a missing directory created on write, never on read), run ids, what happens
when a run id is stored twice, the latest run, and the bulk insert. Each part keeps its own tables
(``runs`` + ``cases`` … for halls, ``hotline_runs`` + ``hotline_tickets``) beside one another in
the same file; this module knows only that every table of a run has a ``run_id`` column.

Errors a user can cause raise :class:`StorageError` with a Chinese message (the CLIs exit 2 on it).
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence
from urllib.parse import quote

import numpy as np
from sqlalchemy import (BigInteger, Column, Date, DateTime, Integer, MetaData, String, Table, Text, create_engine,
                        event, select)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError

from ..base.calendar import now_beijing

__all__ = ["run_table", "StorageError", "RunExistsError", "engine_for", "new_run_id", "json_default", "clear_run",
           "latest_run", "run_exists", "check_writable", "bulk_insert", "has_tables", "utc_now", "CHUNK"]

CHUNK = 50_000  # rows per executemany: a 2-million-row year stays a few MB of Python objects at a time
SQLITE_HEADER = b"SQLite format 3\x00"


def run_table(metadata: MetaData, name: str, count_column: str, data_mark: str) -> Table:
    """The one-row-per-run table of a part that simulates days (halls: ``runs``/``cases``, the platform:
    ``platform_runs``/``applications``): scenario, seed, span, how many records, summary, 合成数据."""
    return Table(
        name, metadata,
        Column("run_id", String(64), primary_key=True),
        Column("created_at", DateTime, nullable=False),
        Column("scenario_name", String(100), nullable=False),
        Column("scenario_json", Text, nullable=False),
        Column("seed", BigInteger, nullable=False),
        Column("start_date", Date, nullable=False),
        Column("days", Integer, nullable=False),
        Column(count_column, BigInteger, nullable=False),
        Column("summary_json", Text, nullable=False),
        Column("data_mark", String(20), nullable=False, default=data_mark),
    )


class StorageError(Exception):
    """A database the sandbox cannot use, or a run it must not overwrite (message in Chinese)."""


class RunExistsError(StorageError):
    """The run id is already stored and replacing it was not asked for."""


def _sqlite_file(db: str | Path) -> Path | None:
    """The file behind a path or ``sqlite:///`` URL; None for other URLs and in-memory databases."""
    text = str(db)
    if "://" not in text:
        return Path(text)
    if text.startswith("sqlite:///") and text != "sqlite:///:memory:":
        return Path(text.removeprefix("sqlite:///"))
    return None


def _check_file(path: Path, create: bool) -> None:
    if path.is_dir():
        raise StorageError(f"数据库路径 {path} 是一个目录，请给出文件名（例如 {path / 'runs.sqlite'}）")
    if path.exists():
        try:
            with path.open("rb") as fh:
                head = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise StorageError(f"无法读取数据库文件 {path}：{exc.strerror}") from None
        if head and head != SQLITE_HEADER:
            raise StorageError(f"{path} 不是 SQLite 数据库文件")
        return
    if not create:
        raise StorageError(f"数据库文件不存在：{path}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # one behaviour for every verb that writes
    except OSError as exc:
        raise StorageError(f"无法创建数据库所在目录 {path.parent}：{exc.strerror}") from None


def _sqlite_pragmas(eng: Engine) -> None:
    @event.listens_for(eng, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # One transaction per run: with WAL, NORMAL means a single sync at commit.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()


def engine_for(db: str | Path | Engine, metadata: MetaData | None = None, *, create: bool = True) -> Engine:
    """An engine for a SQLite file path, a SQLAlchemy URL or an engine.

    ``create=True`` (writers): a missing directory and file are created, and the part's tables
    (``metadata``). ``create=False`` (readers): nothing is created — a missing file is an error and
    a file opened read-only, so reading a database never changes it.
    """
    if isinstance(db, Engine):
        eng = db
    else:
        path = _sqlite_file(db)
        if path is not None:
            _check_file(path, create)
            url = f"sqlite:///{path}" if create else f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro&uri=true"
        else:
            url = str(db)
        eng = create_engine(url)
        if eng.dialect.name == "sqlite" and create:
            _sqlite_pragmas(eng)
    if create and metadata is not None:
        try:
            metadata.create_all(eng)
        except DatabaseError as exc:
            raise StorageError(f"无法使用数据库 {db}：{exc.orig}") from None
    return eng


def has_tables(eng: Engine, *names: str) -> bool:
    """Whether every named table exists (a reader asks before it queries)."""
    from sqlalchemy import inspect

    try:
        present = set(inspect(eng).get_table_names())
    except DatabaseError as exc:
        raise StorageError(f"无法读取数据库：{exc.orig}") from None
    return set(names) <= present


def new_run_id() -> str:
    """A new run id: Beijing time of the run plus six random hex digits (sorts by time, never collides
    in practice; the same under TZ=UTC and TZ=Asia/Shanghai)."""
    return f"{now_beijing():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"


def utc_now() -> datetime:
    """``created_at`` of a run: naive UTC, whatever the machine's time zone (orders runs, never shown)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def json_default(o: Any) -> Any:
    """``json.dumps(default=...)`` for scenarios and summaries: dates as ISO text, numpy scalars as numbers."""
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    if isinstance(o, np.generic):
        return o.item()
    raise TypeError(type(o))


def run_exists(conn: Connection, runs: Table, run_id: str) -> bool:
    return conn.execute(select(runs.c.run_id).where(runs.c.run_id == run_id)).first() is not None


def check_writable(db: str | Path | Engine, runs: Table, run_id: str | None, *, replace: bool) -> None:
    """Before a long simulation: is ``db`` a database we may write, and is ``run_id`` free (or to be
    replaced)? Raises :class:`StorageError` at once, so nothing is simulated only to be refused. Reads only."""
    path = None if isinstance(db, Engine) else _sqlite_file(db)
    if path is not None:
        if path.exists():
            _check_file(path, create=False)  # a directory, or a file that is not SQLite
        elif any(p.exists() and not p.is_dir() for p in path.parents):
            raise StorageError(f"数据库路径 {path} 的上级 {next(p for p in path.parents if p.exists())} 不是目录")
        else:
            return  # created on write, its directory too
    if run_id is None or replace:
        return
    eng = engine_for(db, create=False)
    if not has_tables(eng, runs.name):
        return
    with eng.connect() as conn:
        if run_exists(conn, runs, run_id):
            raise RunExistsError(f"运行编号 {run_id} 已存在；如要覆盖请加 --replace，或换一个 --run-id")


def clear_run(conn: Connection, runs: Table, tables: Sequence[Table], run_id: str, *, replace: bool) -> None:
    """Make room for ``run_id`` inside the caller's transaction: refuse an existing run unless
    ``replace``, else delete every row of it (the run row last)."""
    if run_exists(conn, runs, run_id):
        if not replace:
            raise RunExistsError(f"运行编号 {run_id} 已存在；如要覆盖请加 --replace，或换一个 --run-id")
        for t in (*tables, runs):
            conn.execute(t.delete().where(t.c.run_id == run_id))


def latest_run(conn: Connection, runs: Table) -> str | None:
    row = conn.execute(select(runs.c.run_id).order_by(runs.c.created_at.desc()).limit(1)).first()
    return row[0] if row else None


def bulk_insert(conn: Connection, table: str, run_id: str, names: Sequence[str], columns: Sequence[Iterable]) -> None:
    """Rows of equal-length columns, with ``run_id`` in front, through the driver's ``executemany``
    (SQLAlchemy's ORM or per-row inserts would be ~20× slower)."""
    ph = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} (run_id, {', '.join(names)}) VALUES ({ph}{(', ' + ph) * len(names)})"
    cur = conn.connection.driver_connection.cursor()
    n = len(columns[0]) if columns else 0
    for lo in range(0, n, CHUNK):
        part = [c[lo:lo + CHUNK] for c in columns]
        part = [p.tolist() if isinstance(p, np.ndarray) else list(p) for p in part]
        cur.executemany(sql, zip([run_id] * len(part[0]), *part))
