"""Consistent copies of the academy's databases while it runs, and putting them back.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a database page by page under
its own read transaction — a consistent snapshot while the hub and the graders keep writing (WAL
included). PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot per database) and
``pg_restore`` into an empty database; the client programs come from Debian's ``postgresql-client``
(the newest ``/usr/lib/postgresql/<major>/bin``, else ``PATH``). The password goes to them in
``PGPASSWORD`` of their environment only, never on a command line (``ps`` shows those to everyone).
"""
from __future__ import annotations

import glob
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class DbCopyError(RuntimeError):
    """A database could not be copied or restored (message: Chinese / English)."""


def sqlite_backup(src: Path, dest: Path) -> None:
    """``src`` → new file ``dest``, consistent while others write (0600)."""
    dest.touch(mode=0o600, exist_ok=False)
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=60)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target, pages=4096)  # in steps: writers are not held off for the whole copy
        finally:
            target.close()
    finally:
        source.close()


def pg_program(name: str) -> Path:
    """``pg_dump``/``pg_restore`` of the newest PostgreSQL client installed (Debian's layout)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1])
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    raise DbCopyError(f"未找到 {name}：请安装 PostgreSQL 客户端（apt-get install postgresql-client）"
                      f" / {name} not found: apt-get install postgresql-client")


def _conn_args(db_url: str) -> tuple[list[str], dict[str, str]]:
    url = make_url(db_url)
    args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "", "-d",
            url.database or ""]
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PGPASSWORD": url.password or "", "PGCONNECT_TIMEOUT": "30"}
    return args, env


def _run(argv: list[str], env: dict[str, str], what: str, timeout: float = 3600) -> None:
    r = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise DbCopyError(f"{what} 失败 / failed (exit {r.returncode}): {r.stderr.strip()[-2000:]}")


def pg_dump(db_url: str, dest: Path) -> None:
    """One database → ``dest`` in pg_dump's custom format (compressed; pg_restore reads it)."""
    args, env = _conn_args(db_url)
    dest.touch(mode=0o600, exist_ok=False)
    _run([str(pg_program("pg_dump")), "--format=custom", "--no-owner", "--no-privileges", "-f", str(dest), *args],
         env, f"pg_dump {make_url(db_url).database}")


def pg_is_empty(db_url: str) -> bool:
    """True if the database has no table of its own (or does not exist yet)."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import OperationalError

    eng = create_engine(db_url)
    try:
        with eng.connect() as con:
            return not inspect(con).get_table_names()
    except OperationalError as exc:
        if "does not exist" in str(exc):
            return True
        raise
    finally:
        eng.dispose()


def pg_restore(dump: Path, db_url: str) -> None:
    """``dump`` into the (existing, empty) database of ``db_url``; one transaction: all or nothing."""
    args, env = _conn_args(db_url)
    _run([str(pg_program("pg_restore")), "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", *args, str(dump)], env, f"pg_restore {make_url(db_url).database}")
