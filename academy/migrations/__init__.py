"""Schema migrations of the academy database (Alembic): every schema change is one revision here.

The academy database's tables are declared on ``runtime.db.Base`` by runtime.people, academy.db and
grading.store; this package (academy: the lowest layer that may import all three) holds the Alembic
environment and ``versions/``. ``python -m academy up``/``serve`` and the academy's CLI verbs bring
the database to the newest revision (``head``) before anything else reads it (:func:`upgrade`).

- A database without Alembic's ``alembic_version`` table but with the academy's tables was made by
  the release before migrations (``Base.metadata.create_all``): it is stamped as ``0001_baseline``
  (that release's schema) and then upgraded. If it already matches the models (made by a later
  ``create_all``, e.g. a tool run before ``up``), it is stamped ``head``.
- Each upgrade runs in one transaction (SQLite too, see env.py): a failed migration leaves the
  database as it was, and the caller exits 2 with :class:`MigrationError`'s Chinese message.

Interfaces:
    upgrade(db_url) -> str             # revision after the upgrade (head)
    current(db_url) -> str | None      # revision of the database (None: not under Alembic yet)
    head() -> str
    pending(db_url) -> bool            # the database is behind the code
    new_revision(message) -> Path      # autogenerate the next revision from the models (developers)
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from academy.migrations.env_engine import engine

HERE = Path(__file__).resolve().parent
BASELINE = "0001_baseline"
# The tables of the release before migrations (BASELINE): their presence marks an academy database.
BASELINE_TABLES = frozenset({"people", "enrolments", "courses", "grading_results", "competence_scores",
                             "certificates"})


class MigrationError(RuntimeError):
    """The academy database could not be brought to the code's schema (message: Chinese / English)."""


def config(db_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("file_template", "%%(rev)s")  # versions/0002_one_valid_certificate.py
    cfg.attributes["db_url"] = db_url  # not a config option: '%' in a password, and never written out
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(config("")).get_current_head()


def _state(db_url: str) -> tuple[str | None, set[str], bool]:
    """(revision, tables, matches the models) of the database at ``db_url``."""
    from alembic.autogenerate import compare_metadata

    from academy.migrations.models import metadata

    if db_url.startswith("sqlite:///"):
        Path(db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    eng = create_engine(db_url, connect_args={"timeout": 60} if db_url.startswith("sqlite") else {})
    try:
        with eng.connect() as con:
            tables = set(inspect(con).get_table_names())
            ctx = MigrationContext.configure(con, opts={"compare_type": True})
            rev = ctx.get_current_revision()
            old = rev is None and bool(tables & BASELINE_TABLES)
            matches = old and not compare_metadata(ctx, metadata())
            return rev, tables, matches
    finally:
        eng.dispose()


def current(db_url: str) -> str | None:
    return _state(db_url)[0]


def pending(db_url: str) -> bool:
    return current(db_url) != head()


def upgrade(db_url: str) -> str:
    """Bring the academy database to ``head`` (see the module doc) in one transaction; returns the revision."""
    try:
        rev, tables, matches = _state(db_url)
        if rev == head():
            return rev
        eng = engine(db_url)
        try:
            with eng.begin() as con:  # stamp and every revision commit together, or not at all
                cfg = config(db_url)
                cfg.attributes["connection"] = con
                if rev is None and tables & BASELINE_TABLES:
                    command.stamp(cfg, head() if matches else BASELINE)
                command.upgrade(cfg, "head")
        finally:
            eng.dispose()
        return current(db_url) or ""
    except Exception as exc:  # noqa: BLE001 — any failure: the transaction was rolled back
        raise MigrationError(
            f"学院数据库结构升级失败，数据库未作改动（升级在一个事务中回滚）：{type(exc).__name__}: {exc}\n"
            f"  the academy database could not be upgraded to {head()}; it was left as it was. "
            f"See docs/operations.md, “Migrations”.") from exc


def new_revision(message: str) -> Path:
    """Write ``versions/NNNN_<slug>.py`` with the operations that bring a ``head`` database to the
    models (Alembic autogenerate against a scratch SQLite database). Review it before committing:
    autogenerate misses renames and data moves, and SQLite batch operations need a name for every
    constraint."""
    # "NNNN_" + 27 = 32: alembic_version.version_num is VARCHAR(32) on PostgreSQL.
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:27].rstrip("_") or "change"
    numbers = [int(p.name[:4]) for p in (HERE / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")]
    rev_id = f"{max(numbers, default=0) + 1:04d}_{slug}"
    with tempfile.TemporaryDirectory() as tmp:
        cfg = config(f"sqlite:///{tmp}/scratch.sqlite")
        command.upgrade(cfg, "head")
        script = command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
    return Path(script.path)
